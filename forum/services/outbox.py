"""Writing mails to the outbox, in the caller's transaction: a rolled-back change leaves no
mail behind, and a mail server that is down loses nothing (forum/mails.py sends)."""

from flask import current_app
from flask_babel import force_locale

from ..extensions import Base, db
from ..markup import one_line
from ..models import OutboxMail
from . import Mail

MODEL_KEY = "$model"


def enqueue(mail: Mail, *, unsubscribe_token: str | None = None) -> OutboxMail:
    locale = mail.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        subject = str(mail.subject)
    row = OutboxMail(recipient=mail.to, subject=one_line(subject)[:300], template=mail.template,
                     locale=locale, context=_serialise(mail.context),
                     unsubscribe_token=unsubscribe_token)
    db.session.add(row)
    return row


def _serialise(context: dict) -> dict:
    """Objects of the models are stored by class and id and loaded again when sending."""
    out = {}
    for key, value in context.items():
        if isinstance(value, Base):
            db.session.flush()
            # every model a mail names has an integer `id`; the base class does not declare it
            row_id = value.id  # type: ignore[attr-defined]
            out[key] = {MODEL_KEY: type(value).__name__, "id": row_id}
        else:
            out[key] = value
    return out
