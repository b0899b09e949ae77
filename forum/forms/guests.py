"""Forms of guests: asking without an account, and turning the guest into an account."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from . import Form
from .auth import REQUIRED
from .threads import AskForm

EMAIL_INVALID = _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel "
                   "name@example.de.")


def _name_field(label):
    return StringField(
        label, validators=[DataRequired(REQUIRED),
                           Length(2, 80, _l("Der Name muss 2 bis 80 Zeichen lang sein."))],
        description=_l("Wird bei Ihrer Frage öffentlich angezeigt, mit dem Hinweis „Gast“."),
        render_kw={"autocomplete": "nickname"})


class GuestAskForm(AskForm):
    """The ask form for visitors; the e-mail hint names the configured deletion period."""

    display_name = _name_field(_l("Ihr Name"))
    email = EmailField(
        _l("Ihre E-Mail-Adresse"),
        validators=[DataRequired(REQUIRED), Email(EMAIL_INVALID),
                    Length(max=254, message=_l("Bitte höchstens 254 Zeichen."))],
        render_kw={"autocomplete": "email"})
    field_order = ("board", "title", "body", "display_name", "email")
    submit = SubmitField(_l("Frage absenden"))

    def __init__(self, *args, days: int = 7, **kwargs):
        super().__init__(*args, **kwargs)
        self.email.description = _l(
            "Wird nie angezeigt. Sie erhalten einen Link, mit dem Sie die Frage bestätigen; "
            "ohne Bestätigung löschen wir sie nach %(days)d Tagen.", days=days)


class GuestAddressForm(Form):
    """The address of a question just sent, corrected before it is confirmed."""

    email = EmailField(_l("Richtige E-Mail-Adresse"),
                       validators=[DataRequired(REQUIRED), Email(EMAIL_INVALID),
                                   Length(max=254, message=_l("Bitte höchstens 254 Zeichen."))],
                       render_kw={"autocomplete": "email"})


class GuestLinkRequestForm(Form):
    email = EmailField(_l("E-Mail-Adresse"),
                       validators=[DataRequired(REQUIRED), Email(EMAIL_INVALID)],
                       render_kw={"autocomplete": "email"})


class GuestConvertForm(Form):
    display_name = _name_field(_l("Anzeigename"))
    password = PasswordField(
        _l("Passwort"),
        validators=[DataRequired(REQUIRED),
                    Length(10, 200, _l("Das Passwort muss mindestens 10 Zeichen lang sein."))],
        description=_l("Mindestens 10 Zeichen."),
        render_kw={"autocomplete": "new-password"})
    password_confirm = PasswordField(
        _l("Passwort wiederholen"),
        validators=[DataRequired(REQUIRED),
                    EqualTo("password", _l("Die beiden Passwörter stimmen nicht überein."))],
        render_kw={"autocomplete": "new-password"})
