"""The yardstick of `make bench`: a minimal Flask page that renders 50 items through a Jinja
template (a layout with a header and a footer, each item with an author, a date and a body),
served by gunicorn exactly as the forum is. Fachdialog's pages are measured as a ratio to it."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "bare_templates"))

_START = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
ITEMS = [{"id": n, "author": f"Person {n % 10}", "created_at": _START + timedelta(minutes=n),
          "body_html": f"<p>Antwort {n}: Bei uns war wichtig, dass die Beschäftigten die neue "
                       f"Arbeitsweise zuerst <strong>gemeinsam</strong> erproben.</p>"}
         for n in range(50)]


@app.get("/")
def items():
    return render_template("items.html", title="Eine Frage mit 50 Antworten", items=ITEMS)
