from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from . import Form
from .spam import SpamGuardMixin

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")


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
    password = PasswordField(
        _l("Passwort"),
        validators=[DataRequired(REQUIRED),
                    Length(10, 200, _l("Das Passwort muss mindestens 10 Zeichen lang sein."))],
        description=_l("Mindestens 10 Zeichen."),
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Passwort wiederholen"),
        validators=[DataRequired(REQUIRED),
                    EqualTo("password", _l("Die beiden Passwörter stimmen nicht überein."))],
        render_kw={"autocomplete": "new-password"},
    )


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
