"""A honeypot field and a minimum fill time: spam defences without puzzles.

The time a form was shown travels in the form, signed: it is taken only by the kind of form
it was made for and only while it is at most MAX_AGE_SECONDS old, so a stamp fetched once
cannot be kept and reused for sending forms of every kind for ever."""

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField, ValidationError

TOO_FAST = _l("Das ging sehr schnell. Bitte prüfen Sie Ihre Eingaben und senden Sie das "
              "Formular noch einmal ab.")
TOO_OLD = _l("Das Formular war sehr lange geöffnet. Bitte prüfen Sie Ihre Eingaben und senden "
             "Sie das Formular noch einmal ab.")

# a form left open over a weekend is fine; a stamp kept for a week is not
MAX_AGE_SECONDS = 2 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="form-started-v2")


class SpamGuardMixin:
    """Mix into a FlaskForm. `website` must stay empty (people do not see it); `started`
    carries the signed time the form was shown, for this kind of form."""

    website = StringField(_l("Dieses Feld bitte leer lassen"),
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()

    @classmethod
    def _stamp_kind(cls) -> str:
        """The form the guard was mixed into (GuestAskForm stamps as AskForm: the ask page
        shows one or the other, depending on the log-in)."""
        for klass in cls.__mro__:
            if SpamGuardMixin in klass.__bases__:
                return klass.__name__
        return cls.__name__

    def stamp(self) -> None:
        """Call when showing the form (not when re-showing it after an error)."""
        self.started.data = _serializer().dumps([time.time(), self._stamp_kind()])

    def validate_website(self, field):
        if field.data:
            raise ValidationError(_l("Dieses Feld muss leer bleiben."))

    def validate_started(self, field):
        if not current_app.config["MIN_FILL_SECONDS"]:
            return  # the check is switched off
        preview = getattr(self, "preview", None)
        if preview is not None and preview.data:
            return  # a preview saves nothing
        try:
            started, kind = _serializer().loads(field.data or "")
            started = float(started)
        except (BadSignature, TypeError, ValueError):
            self.stamp()
            raise ValidationError(TOO_FAST) from None
        if kind != self._stamp_kind():
            self.stamp()
            raise ValidationError(TOO_FAST)
        age = time.time() - started
        if age > MAX_AGE_SECONDS:
            self.stamp()  # the form is shown again with its text and a fresh stamp
            raise ValidationError(TOO_OLD)
        if age < current_app.config["MIN_FILL_SECONDS"]:
            raise ValidationError(TOO_FAST)
