"""The reply form of a question page as first shown is rendered once per question, mode,
generation and language (jinja.blank_form), not built with WTForms on every request. Each
request still gets the person's own form token and a one-time key of its own, so a reply
sent from any of them is saved once, and a second page open in another tab is not taken
for a repeat of the first."""

import re

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.forms.threads import ReplyForm
from forum.models import Post
from forum.services import threads
from tests.conftest import _client_as, configured
from tests.factories import make_expert, make_project, make_thread, make_user

TOKEN = re.compile(r'name="csrf_token"[^>]* value="([^"]+)"')
ONCE = re.compile(r'name="once" type="hidden" value="([^"]+)"')


pytestmark = pytest.mark.usefixtures("empty_fragment_cache")


@pytest.fixture
def question(app):
    project = make_project(name="Pflege digital")
    asker = make_user(display_name="Anna Fragende")
    thread = make_thread(project.board, asker, title="Wie gelingt Gleitzeit im Team?")
    return {"asker": asker, "thread": thread, "url": f"/fragen/{thread.id}-{thread.slug}"}


def _reply_form(page: str) -> str:
    start = page.index('<section aria-labelledby="antwort-schreiben">')
    return page[start:page.index("</section>", start)]


def _forms_built(monkeypatch) -> list:
    built: list = []
    init = ReplyForm.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(ReplyForm, "__init__", counting)
    return built


def test_each_request_gets_its_own_token_and_one_time_key_and_no_form_is_built(
        app, question, monkeypatch):
    expert = _client_as(app, make_expert(display_name="Dr. Berta Fachfrau"))
    other = _client_as(app, make_expert(display_name="Dr. Carl Zweit"))
    with configured(app, WTF_CSRF_ENABLED=True):  # the tokens are what this test looks at
        _each_request_gets_its_own(expert, other, question, monkeypatch)


def _each_request_gets_its_own(expert, other, question, monkeypatch) -> None:
    first = expert.get(question["url"]).text  # renders the blank form once
    built = _forms_built(monkeypatch)
    second, third = expert.get(question["url"]).text, expert.get(question["url"]).text
    elsewhere = other.get(question["url"]).text
    assert built == []  # every one of them from the kept form
    keys = [ONCE.findall(_reply_form(page)) for page in (first, second, third, elsewhere)]
    assert all(len(key) == 1 for key in keys)
    assert len({key[0] for key in keys}) == 4  # a new one-time key on every page
    for page in (first, second, elsewhere):
        form = _reply_form(page)
        assert "Ihre Antwort" in form and 'name="body"' in form
        # the person's own token, the one the page's other forms (log-out) carry
        assert set(TOKEN.findall(form)) == set(TOKEN.findall(page)), page
    assert TOKEN.findall(_reply_form(second)) != TOKEN.findall(_reply_form(elsewhere))


def test_replies_sent_from_two_open_pages_are_both_saved_and_a_repeat_once(app, question):
    expert = _client_as(app, make_expert(display_name="Dr. Berta Fachfrau"))
    with configured(app, WTF_CSRF_ENABLED=True):
        pages = [expert.get(question["url"]).text for _ in range(2)]  # two tabs
        for number, page in enumerate(pages):
            form = _reply_form(page)
            data = {"csrf_token": TOKEN.findall(form)[0], "once": ONCE.findall(form)[0],
                    "body": f"Antwort aus Tab {number}: Wir haben gute Erfahrungen gemacht.",
                    "submit": "1"}
            for _ in range(2):  # each sent twice: the repeat creates nothing
                assert expert.post(question["url"], data=data).status_code == 302
    bodies = db.session.scalars(sa.select(Post.body_source).where(
        Post.thread_id == question["thread"].id, Post.kind != "question")).all()
    assert sorted(bodies) == [f"Antwort aus Tab {n}: Wir haben gute Erfahrungen gemacht."
                              for n in range(2)]


def test_the_kept_form_follows_mode_and_language(app, question):
    asker = _client_as(app, question["asker"])
    threads.add_answer(make_expert(), question["thread"], "Eine erste Antwort zur Gleitzeit.")
    for _ in range(2):
        form = _reply_form(asker.get(question["url"]).text)
        assert "Ihre Rückfrage" in form and "Rückfrage veröffentlichen" in form
    asker.post("/sprache", data={"locale": "en", "next": question["url"]})
    english = _reply_form(asker.get(question["url"]).text)
    assert "Rückfrage veröffentlichen" not in english and "Publish" in english, english


def test_an_error_keeps_the_text_and_shows_the_message_in_a_form_of_its_own(app, question):
    expert = _client_as(app, make_expert(display_name="Dr. Berta Fachfrau"))
    with configured(app, WTF_CSRF_ENABLED=True):
        form = _reply_form(expert.get(question["url"]).text)
        page = expert.post(question["url"], data={
            "csrf_token": TOKEN.findall(form)[0], "once": ONCE.findall(form)[0],
            "body": "x" * 30_000, "submit": "1"}).text
    assert "x" * 30_000 in page and "Fehler:" in page
    assert ONCE.findall(_reply_form(page)) == ONCE.findall(form)  # the same key, sent again
