"""A honeypot field and a minimum fill time: spam defences without puzzles."""

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField, ValidationError

TOO_FAST = _l("Das ging sehr schnell. Bitte prüfen Sie Ihre Eingaben und senden Sie das "
              "Formular noch einmal ab.")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="form-started")


class SpamGuardMixin:
    """Mix into a FlaskForm. `website` must stay empty (people do not see it); `started`
    carries the signed time the form was shown."""

    website = StringField(_l("Dieses Feld bitte leer lassen"),
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()

    def stamp(self) -> None:
        """Call when showing the form (not when re-showing it after an error)."""
        self.started.data = _serializer().dumps(time.time())

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
            started = float(_serializer().loads(field.data or ""))
        except (BadSignature, TypeError, ValueError):
            self.stamp()
            raise ValidationError(TOO_FAST) from None
        if time.time() - started < current_app.config["MIN_FILL_SECONDS"]:
            raise ValidationError(TOO_FAST)
