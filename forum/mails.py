"""Sending the outbox: render each mail in its recipient's language (plain text and HTML) and
send it through SMTP, or to the log while no mail server is configured.

`flask forum outbox run` is the worker; several may run at once, on SQLite too (overlapping
`--once` runs from cron included). A worker claims one due mail with a conditional UPDATE that
only one worker can win and commits the claim before it talks to the mail server; the claim
moves the mail's next attempt a lease (`LEASE`) ahead. It records the result the moment the
server answers. So a worker killed between the server's "250 OK" and that record is the only
way a mail goes out twice, and then only the one mail it had in flight, after the lease.
A permanent refusal (5xx) marks the mail failed at once; temporary ones are retried."""

import re
import smtplib
import time
from datetime import timedelta
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup, escape
from sqlalchemy import select, update

from .extensions import db, mail
from .markup import one_line, render_plain_excerpt
from .models import OutboxMail, utcnow
from .services import rows_changed

MAX_ATTEMPTS = 60  # with the back-off capped at an hour: about two and a half days
LEASE = timedelta(minutes=10)  # a claimed mail is due again after this if its worker died
_URL = re.compile(r"https?://[^\s<>\"]+")


class _SMTPPolicy(EmailPolicy):
    """The standard library's SMTP policy (CRLF, RFC 2047 headers), with one repair: the
    folder of Python before 3.12.4 drops the space between two encoded words, so a subject
    like "… Zukunftswerkstätten für Beschäftigte" arrived as "ZukunftswerkstättenfürBe…"
    (CPython issue 92081). A subject with non-ASCII text is therefore encoded whole by
    email.header.Header, whose encoded words carry their spaces inside them."""

    def _encoded_subject(self, name: str, value) -> str | None:
        text = str(value)
        if name.lower() != "subject" or text.isascii():
            return None
        encoded = Header(text, "utf-8", header_name=name).encode(linesep=self.linesep)
        return f"{name}: {encoded}{self.linesep}"

    def fold(self, name, value):
        return self._encoded_subject(name, value) or super().fold(name, value)

    def fold_binary(self, name, value):
        encoded = self._encoded_subject(name, value)
        return encoded.encode("ascii") if encoded else super().fold_binary(name, value)


SMTP_POLICY = _SMTPPolicy(linesep="\r\n")


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, always on the configured BASE_URL, never the request's
    Host header (which a client chooses)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    # from the worker or the command line: build the path without a request
    return base + current_app.url_map.bind("").build(endpoint, values)


def text_to_html(text: str) -> Markup:
    """The HTML part of a mail: the plain text, escaped, in paragraphs. Only links to this
    site become clickable: a name or title somebody typed may contain any address, and a
    mail from the forum must not turn that into a link."""
    own = current_app.config["BASE_URL"].rstrip("/") + "/"

    def link(match: re.Match) -> str:
        url = match.group(0)
        if not url.startswith(escape(own)):
            return url
        return f'<a href="{url}">{url}</a>'

    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        escaped = str(escape(block))
        linked = _URL.sub(link, escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return Markup("\n".join(paragraphs))


def _load_context(context: dict) -> dict:
    from . import models

    loaded = {}
    for key, value in context.items():
        if isinstance(value, dict) and "$model" in value:
            loaded[key] = db.session.get(getattr(models, value["$model"]), value["id"])
        else:
            loaded[key] = value
    return loaded


def _withdrawn(template: str, context: dict) -> bool:
    """A notification about content that is no longer public is not sent."""
    from .services import notifications

    if template == "notification":
        note = context.get("note")
        return note is None or not notifications.is_public(note)
    if template == "digest":
        return not notifications.digest_notes(context.get("note_ids", []))
    return False


class Withdrawn(Exception):
    pass


def _is_guest(address: str) -> bool | None:
    """True for a guest, False for an account, None for an address without either (someone
    who reported a post): only accounts have a settings page; guests get the page that mails
    their personal links, and the others no link at all."""
    from .models import User

    return db.session.scalar(select(User.is_guest).where(User.email == address))


def _about_the_post(template: str, context: dict, guest: bool) -> dict:
    """For mails about a post: an excerpt of a new answer, and for a guest the link to
    their personal page (where they follow up and mark the helpful answer), not the public
    one; a guest whose link has run out gets the page that sends a new one."""
    from .services import guests

    extra: dict = {"personal_url": None, "excerpt": None}
    note, decision = context.get("note"), context.get("decision")
    if template == "notification" and note is not None and note.post is not None:
        extra["excerpt"] = render_plain_excerpt(note.post.body_source, 300)
    thread = (note.thread if template == "notification" and note is not None
              else decision.thread if template == "approved" and decision is not None else None)
    user = context.get("user")
    if guest and thread is not None and user is not None:
        personal = guests.personal_token(user.id, thread.id)
        extra["personal_url"] = (external_url("guests.personal", token=personal) if personal
                                 else external_url("guests.request_link"))
    return extra


def build_message(row: OutboxMail) -> EmailMessage:
    context = _load_context(row.context)
    if _withdrawn(row.template, context):
        raise Withdrawn()
    unsubscribe = None
    if row.unsubscribe_token is not None:
        unsubscribe = external_url("notifications.unsubscribe", token=row.unsubscribe_token)
    guest = _is_guest(row.recipient)
    extra = _about_the_post(row.template, context, bool(guest))
    with force_locale(row.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"email/{row.template}.txt", unsubscribe_url=unsubscribe,
                               **context, **extra)
        text += render_template("email/_footer.txt", unsubscribe_url=unsubscribe,
                                guest=guest)
        html = render_template("email/_layout.html", body=text_to_html(text),
                               subject=row.subject, lang=row.locale or "de")
    # The standard library's EmailMessage with the SMTP policy encodes and folds headers by
    # RFC 2047 (a long subject with umlauts arrives whole), and the bodies as needed.
    message = EmailMessage(policy=SMTP_POLICY)
    message["Subject"] = one_line(row.subject)
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.recipient
    message["Date"] = formatdate()
    message["Message-ID"] = make_msgid(domain=_sender_domain())
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _sender_domain() -> str:
    address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"] or "")[1]
    return address.rpartition("@")[2] or "localhost"


def _send(message: EmailMessage) -> None:
    if not current_app.config.get("MAIL_SERVER"):
        plain = message.get_body(("plain",))
        current_app.logger.info("Mail to %s: %s\n%s", message["To"], message["Subject"],
                                plain.get_content() if plain is not None else "")
        return
    with mail.connect() as connection:  # Flask-Mail's configured SMTP connection
        if connection.host is not None:  # None while sending is suppressed
            connection.host.send_message(message)


def _due(now):
    return (OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None),
            OutboxMail.next_attempt_at <= now)


def claim_next() -> OutboxMail | None:
    """Claim the next due mail for this worker, committed, or None when nothing is due. The
    claim counts the attempt and moves the next one a lease ahead; of several workers that
    read the same row, only one UPDATE matches."""
    for _ in range(50):  # a lost race: look again
        now = utcnow()
        seen = db.session.execute(
            select(OutboxMail.id, OutboxMail.attempts).where(*_due(now))
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(1)).first()
        db.session.rollback()  # end the read before writing (SQLite: no stale snapshot)
        if seen is None:
            return None
        claimed = db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == seen.id, OutboxMail.attempts == seen.attempts, *_due(now))
            .values(attempts=OutboxMail.attempts + 1, next_attempt_at=now + LEASE),
            execution_options={"synchronize_session": False})
        db.session.commit()
        if rows_changed(claimed):
            return db.session.get(OutboxMail, seen.id, populate_existing=True)
    return None


def permanent(error: Exception) -> bool:
    """The mail server refused for good (5xx): trying again would only repeat it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def run_once(limit: int = 100) -> int:
    """Send due mails one at a time; return how many were sent."""
    sent = 0
    for _ in range(limit):
        row = claim_next()
        if row is None:
            break
        try:
            _send(build_message(row))
        except Withdrawn:
            row.failed_at = utcnow()
            row.last_error = "withdrawn: the content is no longer public"
        except Exception as error:  # noqa: BLE001 - any SMTP, network or rendering failure
            row.last_error = str(error)[:500]
            if permanent(error) or row.attempts >= MAX_ATTEMPTS:
                row.failed_at = utcnow()
            else:  # back off: 1, 2, 4, ... minutes, then every hour
                wait = min(2 ** (row.attempts - 1), 60)
                row.next_attempt_at = utcnow() + timedelta(minutes=wait)
            current_app.logger.warning("Mail %s to %s failed: %s", row.id, row.recipient, error)
        else:
            row.sent_at = utcnow()
            sent += 1
        db.session.commit()  # at once: the record of a sent mail is what keeps it sent once
    return sent


def run_forever(interval: float = 2.0, stop=None) -> None:
    """The worker loop; `stop` (a threading.Event) ends it, for tests and the dev server."""
    while stop is None or not stop.is_set():
        try:
            run_once()
        except Exception:  # noqa: BLE001 - keep the worker alive across database hiccups
            db.session.rollback()
            current_app.logger.exception("Outbox worker round failed")
        if stop is not None:
            stop.wait(interval)
        else:
            time.sleep(interval)
