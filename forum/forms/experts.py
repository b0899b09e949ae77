"""Forms for verifying experts (admin) and for an expert's public profile (account)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from . import Form
from .admin import CheckboxListField
from .auth import REQUIRED


class GermanDateField(DateField):
    """A date from `<input type="date">` (2027-12-31) or typed the German way (31.12.2027),
    with a German message when it is neither."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d.%m.%Y"], **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None  # InputRequired says what is missing
            return
        try:
            super().process_formdata([valuelist[0].strip()])
        except ValueError as error:
            raise ValueError(str(_l("Bitte geben Sie ein gültiges Datum an, z. B. "
                                    "31.12.2027."))) from error


class VerifyForm(Form):
    email = EmailField(_l("E-Mail-Adresse des Kontos"), validators=[DataRequired(REQUIRED)],
                       description=_l("Die Person braucht ein bestätigtes Konto. Die Adresse "
                                      "wird nirgends angezeigt."))
    evidence = TextAreaField(
        _l("Nachweis"), validators=[DataRequired(REQUIRED)], render_kw={"rows": 4},
        description=_l("Worauf beruht die Bestätigung? Zum Beispiel Funktion, Institution, "
                       "Veröffentlichungen oder Empfehlung."))
    topic_fields = CheckboxListField(_l("Themenfelder"), coerce=int)
    projects = CheckboxListField(_l("Projekte"), coerce=int)
    valid_from = GermanDateField(_l("Gültig ab"), validators=[InputRequired(REQUIRED)])
    valid_until = GermanDateField(_l("Gültig bis"), validators=[InputRequired(REQUIRED)])


class RevokeForm(Form):
    reason = TextAreaField(_l("Grund für den Widerruf"),
                           validators=[DataRequired(REQUIRED), Length(max=500)],
                           render_kw={"rows": 2})


class ProfileForm(Form):
    profile_public = BooleanField(_l("Mein Profil im öffentlichen Verzeichnis der Fachleute "
                                     "zeigen"))
    show_organisation = BooleanField(_l("Meine Organisation im Profil und an meinen Antworten "
                                        "zeigen"))
    show_expertise = BooleanField(_l("Meine Expertise im Profil zeigen"))
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    expertise = TextAreaField(_l("Expertise"), validators=[Length(max=300)],
                              render_kw={"rows": 3},
                              description=_l("Ein bis zwei Sätze, höchstens 300 Zeichen."))
