"""`_()`, `gettext()` and `ngettext()` in templates: Flask-Babel's translations and Jinja's
"new style" rules, in one call instead of a chain.

Flask-Babel installs Jinja's new-style gettext: every `_()` in a template passes through three
of Jinja's context calls, and Flask-Babel then finds the request's domain, locale and
catalogue through four context-local lookups: about 35 µs a string, and a question page with
50 answers translates a few hundred. Here one function does the same work:

- the catalogue is the one Flask-Babel would use for the current locale (`get_locale()`
  follows `force_locale()` and `refresh()`, so a mail rendered in its recipient's language
  in the middle of a request gets theirs); it is looked up once per locale and app, as
  Flask-Babel keeps each catalogue once per process;
- where the template escapes (HTML), the translation is markup and the variables are
  escaped into it; in a text template (mails) nothing is escaped;
- the variables are always filled in with `%`, `ngettext` with `num` by default: a literal
  percent sign is written `%%`, as before."""

from flask import Flask
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup


def install(app: Flask) -> None:
    """Replace the template callables Flask-Babel's init_app installed on `app`."""
    catalogues: dict = {}

    def catalogue():
        locale = get_locale()
        found = catalogues.get(locale)
        if found is None:
            found = get_translations()
            if locale is not None:  # None: no context, Flask-Babel's empty catalogue
                catalogues[locale] = found
        return found

    @pass_eval_context
    def gettext(eval_ctx, string: str, **variables):
        text = catalogue().ugettext(string)
        if eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_eval_context
    def ngettext(eval_ctx, singular: str, plural: str, num: int, **variables):
        text = catalogue().ungettext(singular, plural, num)
        if eval_ctx.autoescape:
            text = Markup(text)
        variables.setdefault("num", num)
        return text % variables

    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
