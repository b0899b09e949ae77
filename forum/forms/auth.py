from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from . import Form
from .spam import SpamGuardMixin

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")


PASSWORD_HINT = _l(
    "Mindestens 10 Zeichen. Häufig benutzte Passwörter, einfache Muster (etwa 1234567890 oder "
    "aaaaaaaaaa) und Passwörter, die fast nur aus Ihrem Namen oder Ihrer E-Mail-Adresse "
    "bestehen, nehmen wir nicht an: Solche Passwörter werden bei Angriffen zuerst "
    "ausprobiert. Gut zu merken und schwer zu erraten sind mehrere Wörter, die nicht "
    "zusammengehören. Geprüft wird nur auf unserem Server; Ihr Passwort wird nirgendwohin "
    "gesendet.")


def new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(REQUIRED),
                    Length(10, 200, _l("Das Passwort muss mindestens 10 Zeichen lang sein."))],
        description=PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


def confirm_password_field(other: str, label) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(REQUIRED),
                    EqualTo(other, _l("Die beiden Passwörter stimmen nicht überein."))],
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(SpamGuardMixin, Form):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(REQUIRED), Email(_l("Bitte geben Sie eine gültige E-Mail-Adresse "
                                                     "ein, zum Beispiel name@example.de."))],
        description=_l("Wird nie angezeigt. Wir senden Ihnen einen Bestätigungslink."),
        render_kw={"autocomplete": "email"},
    )
    display_name = StringField(
        _l("Anzeigename"),
        validators=[DataRequired(REQUIRED), Length(2, 80, _l("Bitte 2 bis 80 Zeichen."))],
        description=_l("Wird bei Ihren Beiträgen öffentlich angezeigt."),
        render_kw={"autocomplete": "nickname"},
    )
    password = new_password_field(_l("Passwort"))
    password_confirm = confirm_password_field("password", _l("Passwort wiederholen"))


class LoginForm(Form):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Passwort"), validators=[DataRequired(REQUIRED)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Angemeldet bleiben"))
    next = HiddenField()


class ResendForm(Form):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED)],
                       render_kw={"autocomplete": "email"})


class ConfirmForm(Form):
    """Confirming a new account's address: the password chosen at registration."""

    password = PasswordField(
        _l("Ihr Passwort aus der Registrierung"), validators=[DataRequired(REQUIRED)],
        description=_l("Damit niemand anderes ein Konto mit Ihrer Adresse freischaltet, "
                       "fragen wir nach dem Passwort, das bei der Registrierung gewählt wurde."),
        render_kw={"autocomplete": "current-password"})


class ForgotForm(Form):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(REQUIRED), Email(_l("Bitte geben Sie eine gültige "
                                                     "E-Mail-Adresse ein, zum Beispiel "
                                                     "name@example.de."))],
        description=_l("Die Adresse, mit der Sie sich angemeldet haben."),
        render_kw={"autocomplete": "email"})


class ResetForm(Form):
    password = new_password_field(_l("Neues Passwort"))
    password_confirm = confirm_password_field("password", _l("Neues Passwort wiederholen"))
