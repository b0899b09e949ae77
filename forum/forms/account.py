"""The account settings (/konto/einstellungen): name, language, address, password."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from . import Form, once_field
from .auth import REQUIRED, confirm_password_field, new_password_field


def _current_password() -> PasswordField:
    return PasswordField(_l("Ihr bisheriges Passwort"), validators=[DataRequired(REQUIRED)],
                         render_kw={"autocomplete": "current-password"})


class NameForm(Form):
    display_name = StringField(
        _l("Anzeigename"),
        validators=[DataRequired(REQUIRED), Length(2, 80, _l("Bitte 2 bis 80 Zeichen."))],
        description=_l("Wird bei Ihren Beiträgen öffentlich angezeigt, auch bei den früheren."),
        render_kw={"autocomplete": "nickname"})


class LanguageForm(Form):
    locale = SelectField(_l("Sprache der Seiten und E-Mails"),
                         # each language named in its own words, as in the footer
                         choices=[SelectChoice("de", "Deutsch"), SelectChoice("en", "English")])


class EmailForm(Form):
    email = EmailField(
        _l("Neue E-Mail-Adresse"),
        validators=[DataRequired(REQUIRED), Email(_l("Bitte geben Sie eine gültige "
                                                     "E-Mail-Adresse ein, zum Beispiel "
                                                     "name@example.de."))],
        description=_l("Wir senden einen Bestätigungslink an die neue Adresse; erst mit der "
                       "Bestätigung gilt sie. An Ihre bisherige Adresse schicken wir einen "
                       "Hinweis."),
        render_kw={"autocomplete": "email"})
    current_password = _current_password()


class PasswordForm(Form):
    current_password = _current_password()
    new_password = new_password_field(_l("Neues Passwort"))
    new_password_confirm = confirm_password_field("new_password",
                                                  _l("Neues Passwort wiederholen"))


class TokenForm(Form):
    """A personal access token for the JSON API: a name to recognise it, and whether it may
    write (ask, answer, follow up, mark, watch) or only read."""

    once = once_field()

    name = StringField(
        _l("Name des Zugangsschlüssels"),
        validators=[DataRequired(REQUIRED), Length(2, 80, _l("Bitte 2 bis 80 Zeichen."))],
        description=_l("Woran Sie ihn wiedererkennen, zum Beispiel „Website unseres Projekts“."))
    write = BooleanField(
        _l("Auch schreiben: Fragen stellen, antworten, Rückfragen, hilfreichste Antwort "
           "markieren, beobachten"),
        description=_l("Ohne dieses Recht kann der Schlüssel nur lesen."))
