"""WTForms classes per feature: shape and format validation only.

Every form derives from `Form`, which cleans typed text before any validator sees it: C0
control characters (NUL, ESC, vertical tab ...) never reach a page, a feed, a mail header or
the database; multi-line fields keep their line breaks and tabs, single-line fields turn any
line break into a space. A text field left out of a POST reads as "" instead of None, so no
crafted request reaches a service with a missing string.
"""

import re
import secrets
from functools import cache

from babel.support import NullTranslations, Translations
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path

# C0 controls and DEL, except tab (\x09), line feed (\x0a) and carriage return (\x0d)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x85]+")


def clean_multiline(value):
    """Text of a multi-line field: line breaks as \\n, tabs kept, other controls gone."""
    if not isinstance(value, str):
        return "" if value is None else value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", value)


def clean_line(value):
    """Text of a single-line field: any line break or tab becomes a space, controls go."""
    if not isinstance(value, str):
        return "" if value is None else value
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", value))


def _present(value):
    return "" if value is None else value


class Form(FlaskForm):
    """The base of every form: cleans typed text (see the module's docstring)."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField):  # text, e-mail, URL, hidden, password
                if issubclass(field_class, PasswordField):  # a password is taken as typed
                    clean = _present
                elif issubclass(field_class, TextAreaField):
                    clean = clean_multiline
                else:
                    clean = clean_line
                # bind() lets these options override the field's own kwargs: keep its filters
                options["filters"] = [clean, *unbound_field.kwargs.get("filters", ())]
            if issubclass(field_class, CSRFTokenField):  # one page may hold several forms:
                options["render_kw"] = {"id": False}  # no id="csrf_token" twice
            return unbound_field.bind(form=form, **options)

        def get_translations(self, form):
            """WTForms' own messages in the page's language. Flask-WTF reads their catalogue
            from disk on every request that shows a form; it does not change while the
            process runs, so it is read once per language."""
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtforms_translations(str(get_locale() or "de"))


@cache
def wtforms_translations(locale: str) -> NullTranslations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class ActionForm(Form):
    """A POST button with nothing but its CSRF token."""


def choices(labels: dict) -> list[SelectChoice]:
    """Choices from one of the maps in `labels`, in its order, submitting the enum's value."""
    return [SelectChoice(member.value, label) for member, label in labels.items()]


def once_field() -> HiddenField:
    """The one-time key of a form that creates something (services.once): a new random key
    when the form is shown, the same key when it is sent again after an error or a preview,
    so only the first successful POST with it creates anything."""
    return HiddenField(default=new_once_key)


def new_once_key() -> str:
    return secrets.token_urlsafe(32)
