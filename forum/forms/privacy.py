"""Downloading one's data and deleting the account: both ask for the password again."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from .. import labels
from . import Form, choices

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
FORMATS = {"json": _l("JSON-Datei (maschinenlesbar, zum Weitergeben an andere Dienste)"),
           "html": _l("Lesbare Übersicht (zum Ansehen und Drucken)")}


class ExportForm(Form):
    password = PasswordField(_l("Ihr Passwort"), validators=[DataRequired(REQUIRED)],
                             render_kw={"autocomplete": "current-password"})
    format = RadioField(_l("Format"), default="json", validators=[InputRequired(REQUIRED)],
                        choices=[SelectChoice(v, label) for v, label in FORMATS.items()])


class DeleteForm(Form):
    mode = RadioField(_l("Was soll mit Ihren Beiträgen geschehen?"),
                      choices=choices(labels.DELETION_MODES),
                      validators=[InputRequired(_l("Bitte wählen Sie, was mit Ihren Beiträgen "
                                                   "geschehen soll."))])
    password = PasswordField(_l("Ihr Passwort"), validators=[DataRequired(REQUIRED)],
                             render_kw={"autocomplete": "current-password"})
