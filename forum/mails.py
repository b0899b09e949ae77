"""Composing and sending mail. Without FORUM_MAIL_SERVER, mails go to the console log."""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from .extensions import mail


def send_mail(to: str, subject: str, template: str, locale: str | None = None, **context):
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
    message = Message(subject=subject, recipients=[to], body=body)
    if not current_app.config.get("MAIL_SERVER"):
        current_app.logger.info("Mail to %s: %s\n%s", to, subject, body)
        return message
    mail.send(message)
    return message
