"""Where the time of one page goes, in-process: pyinstrument over repeated requests.

    .venv/bin/python bench/profile_page.py [--page question] [--as anonymous|user|moderator]
                                           [--requests 50] [--database-url URL]

Builds the database of `make bench` (bench/http_bench.py) and requests the page through the
Flask test client, as make bench's servers would serve it (page cache off)."""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_bench import PASSWORD, build_database  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

PAGES = {"start": "start page", "project": "project page", "topic": "topic field page",
         "question": "question, 50 answers", "search": "search", "feed": "feed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", choices=PAGES, default="question")
    parser.add_argument("--as", dest="who", choices=("anonymous", "user", "moderator"),
                        default="anonymous")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'profile.db'}"
    built = build_database(url)

    from forum import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "profile",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "PAGE_CACHE": False})
    client = app.test_client()
    if args.who != "anonymous":
        client.post("/konto/anmelden", data={"email": built["accounts"][args.who],
                                             "password": PASSWORD})
        client.get("/")
    path = built["paths"][PAGES[args.page]]
    assert client.get(path).status_code == 200
    profiler = Profiler()
    with profiler:
        for _ in range(args.requests):
            client.get(path)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
