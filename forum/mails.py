"""Composing and sending mail. Without FORUM_MAIL_SERVER, mails go to the console log."""

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_mail import Message

from .extensions import mail


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, always on the configured BASE_URL, never the request's
    Host header (which a client chooses)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    # from the command line (reminders): build the path without a request
    return base + current_app.url_map.bind("").build(endpoint, values)


def deliver(mails) -> None:
    """Send the mails a service asked for, after its commit. A failing mail server is logged
    and does not undo the change (the outbox of a later issue makes this reliable)."""
    for item in mails:
        try:
            send_mail(item.to, item.subject, item.template, locale=item.locale, **item.context)
        except Exception:  # noqa: BLE001 - any SMTP or network failure
            current_app.logger.exception("Mail %s to %s failed", item.template, item.to)


def send_mail(to: str, subject: str, template: str, locale: str | None = None, **context):
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
        subject = str(subject)
    message = Message(subject=subject, recipients=[to], body=body)
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.info("Mail to %s: %s\n%s", to, subject, body)
        return message
    mail.send(message)
    return message
