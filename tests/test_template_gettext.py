"""Templates translate through forum/template_gettext.py: the request's language, a language
forced for a mail in the middle of a request, escaping in HTML and none in text, plurals."""

from flask import render_template_string
from flask_babel import force_locale
from jinja2 import Template

QUESTION = "{{ _('Aus der zusammengeführten Frage „%(title)s“', title=title) }}"


def _html(app, source: str, **context) -> str:
    # an autoescaping template, as every .html page is
    app.jinja_env.autoescape = True
    try:
        return app.jinja_env.from_string(source).render(**context)
    finally:
        app.jinja_env.autoescape = app.select_jinja_autoescape


def test_a_template_speaks_the_language_of_the_request(app):
    for language, word in (("en", "Edit"), ("de", "Bearbeiten"), ("en", "Edit")):
        # each request its own app context, as a served request has
        with app.app_context(), app.test_request_context(
                "/", headers={"Accept-Language": language}):
            assert render_template_string("{{ _('Bearbeiten') }}") == word


def test_a_forced_language_holds_inside_its_block_and_ends_with_it(app):
    template = "{{ _('Bearbeiten') }}"
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert render_template_string(template) == "Bearbeiten"
        with force_locale("en"):  # a mail to an English-speaking recipient
            assert render_template_string(template) == "Edit"
            assert render_template_string("{{ ngettext('%(num)d Tag', '%(num)d Tage', 3) }}"
                                          ) == "3 days"
        assert render_template_string(template) == "Bearbeiten"


def test_the_variables_are_escaped_into_an_html_template(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        html = _html(app, QUESTION, title='<script>alert("x")</script>')
    assert html == "From the merged question “&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;”"


def test_a_text_template_is_not_escaped(app):
    # mails' text parts are .txt templates: no escaping, no entities in a plain-text mail
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        app.jinja_env.autoescape = False
        try:
            text = app.jinja_env.from_string(QUESTION).render(title="Löhne & <Tarife>")
        finally:
            app.jinja_env.autoescape = app.select_jinja_autoescape
    assert text == "Aus der zusammengeführten Frage „Löhne & <Tarife>“"


def test_plurals_take_num_and_a_percent_sign_is_written_twice(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert _html(app, "{{ ngettext('%(num)d Tag', '%(num)d Tage', 1) }}") == "1 day"
        assert _html(app, "{{ ngettext('%(num)d Tag', '%(num)d Tage', n) }}", n=7) == "7 days"
        assert _html(app, "{{ _('100 %%') }}") == "100 %"


def test_the_template_callables_are_the_forums_own(app):
    # what Flask-Babel installed is replaced, for `_`, `gettext` and `ngettext` alike
    for name in ("_", "gettext", "ngettext"):
        assert app.jinja_env.globals[name].__module__ == "forum.template_gettext", name
    assert isinstance(app.jinja_env.from_string(""), Template)
