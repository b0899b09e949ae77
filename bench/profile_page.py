"""Where the time of one page goes, in-process: pyinstrument over repeated requests.

    .venv/bin/python bench/profile_page.py [--page question|...|all]
                                           [--as anonymous|user|moderator|all]
                                           [--requests 50] [--database-url URL] [--quiet]

Builds the database of `make bench` (bench/http_bench.py) and requests the page through the
Flask test client, as make bench's servers would serve it (page cache off). Prints the CPU
time per request (measured without the profiler, in batches of 10: the fastest and the
median batch) and, for one page and role, the profile."""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_bench import PASSWORD, build_database  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

PAGES = {"start": "start page", "project": "project page", "topic": "topic field page",
         "question": "question, 50 answers", "search": "search", "feed": "feed"}
WHO = ("anonymous", "user", "moderator")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", choices=[*PAGES, "all"], default="question")
    parser.add_argument("--as", dest="who", choices=(*WHO, "all"), default="anonymous")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url")
    parser.add_argument("--quiet", action="store_true", help="only the CPU time per request")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'profile.db'}"
    built = build_database(url)

    from forum import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "profile",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "PAGE_CACHE": False})
    pages = list(PAGES) if args.page == "all" else [args.page]
    people = list(WHO) if args.who == "all" else [args.who]
    profile = not args.quiet and len(pages) * len(people) == 1
    for who in people:
        client = app.test_client()
        if who != "anonymous":
            client.post("/konto/anmelden", data={"email": built["accounts"][who],
                                                 "password": PASSWORD})
            client.get("/")
        for page in pages:
            path = built["paths"][PAGES[page]]
            assert client.get(path).status_code == 200
            # without the profiler: CPU time per request, in batches of 10; the fastest batch
            # is the figure least disturbed by the other processes of a shared machine
            batches = []
            for _ in range(max(1, args.requests // 10)):
                started = time.process_time()
                for _ in range(10):
                    client.get(path)
                batches.append((time.process_time() - started) * 100)
            cpu_ms, median = min(batches), statistics.median(batches)
            if profile:
                profiler = Profiler()
                with profiler:
                    for _ in range(args.requests):
                        client.get(path)
                print(profiler.output_text(unicode=True, color=False, show_all=False))
            print(f"{page:<9} as {who:<10} {cpu_ms:6.1f} ms CPU per request (fastest batch "
                  f"of 10; median {median:.1f}; without the profiler)", flush=True)


if __name__ == "__main__":
    main()
