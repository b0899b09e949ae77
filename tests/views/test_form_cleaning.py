"""Typed text is cleaned at the form layer: control characters never reach the database,
a page, a feed or a mail header; line breaks stay where a text may have them."""

import sqlalchemy as sa

from forum.extensions import db
from forum.forms import clean_line, clean_multiline
from forum.models import Post, Thread
from tests.conftest import login
from tests.factories import make_topic, make_user

TITLE = "\x00Wie\x0b geht\r\nSchicht\x1bplanung\x01 im\tTeam?\x7f"
BODY = "Zeile 1\r\nZeile 2\x00\x0c mit\tTab\rZeile 3\x1b"


def test_single_line_text_loses_controls_and_line_breaks():
    assert clean_line(TITLE) == "Wie geht Schichtplanung im Team?"
    assert clean_line(None) == "" and clean_line(5) == 5


def test_multi_line_text_keeps_line_breaks_and_tabs():
    assert clean_multiline(BODY) == "Zeile 1\nZeile 2 mit\tTab\nZeile 3"


def test_asked_question_is_stored_clean(client):
    topic = make_topic()
    login(client, make_user())
    response = client.post("/fragen/neu", data={"board": topic.board.id, "title": TITLE,
                                                "body": BODY})
    assert response.status_code == 302
    thread = db.session.scalar(sa.select(Thread))
    assert thread.title == "Wie geht Schichtplanung im Team?"
    post = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    assert post.body_source == "Zeile 1\nZeile 2 mit\tTab\nZeile 3"
    assert client.get("/feeds/fragen.atom").status_code == 200


def test_nul_byte_in_a_form_field_is_no_server_error(client):
    """PostgreSQL refuses NUL in text: it must never get that far."""
    topic = make_topic()
    login(client, make_user())
    response = client.post("/suche", data={"q": "a\x00b"})
    assert response.status_code < 500
    response = client.post("/fragen/neu", data={"board": topic.board.id,
                                                "title": "\x00" * 5, "body": "\x00"})
    assert response.status_code == 200 and "Bitte" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 0


def test_text_fields_left_out_of_a_post_are_no_server_error(client):
    """A crafted POST without its optional text fields reaches no service with None."""
    from tests.factories import make_thread

    thread = make_thread(make_topic().board, make_user())
    post_id = thread.posts[0].id
    assert client.post(f"/beitraege/{post_id}/melden", data={"category": "spam",
                                                             "good_faith": "y"}).status_code < 500
    login(client, make_user(role="admin"))
    for path in ("/admin/projekte", "/admin/angebote/neu", "/admin/gruende/neu"):
        assert client.post(path, data={}).status_code < 500, path


def test_wtforms_own_messages_follow_the_page_language_each_request(app, monkeypatch):
    """WTForms' built-in messages come from its catalogue, read once per language
    (forms.Form.Meta.get_translations; Flask-WTF reads it on every request), and still
    follow each request's language."""
    from babel.support import Translations
    from wtforms import SelectField
    from wtforms.fields.choices import SelectChoice

    from forum import forms
    from forum.forms import Form

    read = []
    load = Translations.load
    monkeypatch.setattr(Translations, "load", classmethod(
        lambda cls, *args, **kwargs: read.append(kwargs.get("domain")) or load(*args, **kwargs)))
    forms.wtforms_translations.cache_clear()

    class Choice(Form):
        class Meta:
            csrf = False

        pick = SelectField(choices=[SelectChoice("a", "A")])

    for language, message in (("de", "Keine gültige Auswahl"), ("en", "Not a valid choice"),
                              ("de", "Keine gültige Auswahl"), ("en", "Not a valid choice")):
        # an app context of its own: Flask-Babel keeps the language on g
        with app.app_context(), app.test_request_context(
                "/", method="POST", data={"pick": "z"}, headers={"Accept-Language": language}):
            form = Choice()
            assert not form.validate()
            assert message in form.pick.errors[0], (language, form.pick.errors)
    assert read.count("wtforms") == 2  # German and English, once each
