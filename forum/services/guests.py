"""Questions from guests: asked with a display name and an e-mail address, confirmed by a
link in a mail (double opt-in), then pre-moderated like every guest post. The guest follows
the thread through a personal link that is signed, expires and can be revoked.

A question asked with the address of an existing account becomes that account's question
once confirmed; the account holder follows it after logging in."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from .. import permissions
from ..enums import AuditAction, DeletionMode
from ..extensions import db
from ..models import (
    Board,
    GuestLink,
    Post,
    PostState,
    Thread,
    ThreadState,
    User,
    Watch,
    WatchMode,
    utcnow,
)
from . import Mail, ServiceError, audit, once, outbox, password_quality, rows_changed, threads
from .identities import check_display_name, find_user_by_email, normalise_email
from .privacy import erase_person, person

CONFIRM = "guest-confirm"
PERSONAL = "guest-link"


# --- tokens -----------------------------------------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def token(link: GuestLink, purpose: str = PERSONAL) -> str:
    return _serializer(purpose).dumps(link.id)


def load(value: str, purpose: str = PERSONAL) -> GuestLink | None:
    """The link a token stands for, or None if the signature is wrong or the confirmation
    window has passed. Whether a personal link is still usable is the rulebook's question."""
    max_age = (current_app.config["GUEST_UNCONFIRMED_DAYS"] * 86400 if purpose == CONFIRM
               else None)
    try:
        link_id = _serializer(purpose).loads(value, max_age=max_age)
    except BadSignature:  # includes SignatureExpired
        return None
    return db.session.get(GuestLink, link_id) if isinstance(link_id, int) else None


# --- asking and confirming --------------------------------------------------------------

def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not 2 <= len(name) <= 80:
        raise ServiceError(_l("Der Name muss 2 bis 80 Zeichen lang sein."), field="display_name")
    check_display_name(name, taken=_l("Diesen Namen verwendet bereits ein Konto im Fachdialog. "
                                      "Bitte wählen Sie einen anderen."))
    return name


def ask(actor, board: Board, display_name: str, email: str, title: str, body: str, *,
        about=None, locale: str | None = None, once_key: str | None = None) -> GuestLink:
    """A visitor (`actor`, not logged in) asks: store the question unconfirmed and mail the
    confirmation link (once per form: see services.once)."""
    permissions.check("guest.ask", actor, board)
    key = once.begin(once_key, actor, "guest_question")
    with once.refusals_checked(key, actor):
        name = _check_name(display_name)
        address = normalise_email(email)
        if "@" not in address:
            raise ServiceError(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
                               field="email")
        author = find_user_by_email(address)
        if author is None:
            author = User(email=address, display_name=name, password_hash="", is_guest=True,
                          locale=locale)
            db.session.add(author)
            db.session.flush()
        permissions.check("account.write", author)  # a blocked guest address asks no more
        thread = threads.new_question(author, board, title, body, about=about,
                                      state=ThreadState.UNCONFIRMED)
    link = _new_link(thread.id, author.id, thread.created_at, confirmed=False)
    link.display_name = name
    _mail_confirmation(link, author, thread, locale)
    once.commit(key, link)
    return link


def _mail_confirmation(link: GuestLink, author: User, thread: Thread, locale=None) -> None:
    outbox.enqueue(Mail(
        to=author.email, template="guest_confirm", locale=locale or author.locale,
        subject=_l("Bitte bestätigen Sie Ihre Frage im Fachdialog"),
        context={"name": link.display_name, "title": thread.title,
                 "has_account": not author.is_guest and author.is_confirmed,
                 "token": token(link, CONFIRM),
                 "days": current_app.config["GUEST_UNCONFIRMED_DAYS"]}))


def waiting_for_confirmation(link_id) -> GuestLink | None:
    """The question this browser just sent as a guest (its link id kept in the session),
    while it still waits for the address to be confirmed; None otherwise."""
    link = db.session.get(GuestLink, link_id) if isinstance(link_id, int) else None
    if link is None or link.confirmed_at is not None or link.revoked_at is not None:
        return None
    return link if link.thread.state == ThreadState.UNCONFIRMED else None


def resend_confirmation(link: GuestLink) -> None:
    """The confirmation mail once more, to the same address."""
    _mail_confirmation(link, link.user, link.thread)
    db.session.commit()


def correct_address(link: GuestLink, email: str) -> GuestLink:
    """The guest mistyped the address: the waiting question moves to the corrected one, the
    link mailed to the wrong address stops working, and a new one goes to the right one."""
    address = normalise_email(email)
    if "@" not in address:
        raise ServiceError(_l("Bitte geben Sie eine gültige E-Mail-Adresse ein."),
                           field="email")
    old_user, thread = link.user, link.thread
    if address == old_user.email:
        raise ServiceError(_l("An diese Adresse haben wir die E-Mail schon geschickt. Sie "
                              "können sie unten noch einmal anfordern."), field="email")
    existing = find_user_by_email(address)
    refusal = permissions.denial("account.write", existing) if existing else None
    if refusal is not None:  # a blocked address does not come back through a correction
        raise ServiceError(refusal, field="email")
    revoked = db.session.execute(
        sa.update(GuestLink).where(GuestLink.id == link.id, GuestLink.confirmed_at.is_(None),
                                   GuestLink.revoked_at.is_(None)).values(revoked_at=utcnow()))
    if not rows_changed(revoked):
        db.session.rollback()
        raise ServiceError(_l("Diese Frage ist schon bestätigt."), field="email")
    author = find_user_by_email(address)
    if author is None:
        author = User(email=address, display_name=link.display_name or old_user.display_name,
                      password_hash="", is_guest=True, locale=old_user.locale)
        db.session.add(author)
        db.session.flush()
    thread.author_id = author.id
    db.session.execute(sa.update(Post).where(Post.thread_id == thread.id,
                                             Post.author_id == old_user.id)
                       .values(author_id=author.id))
    fresh = _new_link(thread.id, author.id, utcnow(), confirmed=False)
    fresh.display_name = link.display_name
    db.session.flush()
    _mail_confirmation(fresh, author, thread)
    db.session.commit()
    return fresh


def confirm(link: GuestLink) -> bool:
    """The guest confirmed the address: the question enters the moderation queue and the
    personal link is mailed. Returns False if it was confirmed before (nothing changes); a
    blocked address is refused."""
    permissions.check("account.write", link.user)
    claimed = db.session.execute(
        sa.update(GuestLink).where(GuestLink.id == link.id, GuestLink.confirmed_at.is_(None))
        .values(confirmed_at=utcnow()))
    if not rows_changed(claimed):
        db.session.rollback()
        return False
    thread = link.thread
    thread.state = ThreadState.PENDING
    db.session.execute(sa.update(Post).where(Post.thread_id == thread.id,
                                             Post.state == PostState.UNCONFIRMED)
                       .values(state=PostState.PENDING))
    _prove_address(link)
    author = link.user
    if db.session.scalar(sa.select(Watch.id).where(Watch.user_id == author.id,
                                                   Watch.thread_id == thread.id)) is None:
        db.session.add(Watch(user_id=author.id, thread_id=thread.id, mode=WatchMode.INSTANT))
    _mail_link(link)
    db.session.commit()
    db.session.refresh(link)
    return True


def personal_token(user_id: int, thread_id: int) -> str | None:
    """The guest's personal link to a question for a mail about it (the newest one still
    usable), or None when they need a new one."""
    link = db.session.scalar(
        sa.select(GuestLink).where(GuestLink.user_id == user_id, GuestLink.thread_id == thread_id,
                                   GuestLink.confirmed_at.is_not(None),
                                   GuestLink.revoked_at.is_(None),
                                   GuestLink.expires_at > utcnow())
        .order_by(GuestLink.id.desc()).limit(1))
    return token(link) if link is not None else None


def _new_link(thread_id: int, user_id: int, now, confirmed: bool = True) -> GuestLink:
    """A personal link valid for the configured days (flushed, so it has its id)."""
    link = GuestLink(thread_id=thread_id, user_id=user_id, created_at=now,
                     confirmed_at=now if confirmed else None,
                     expires_at=now + timedelta(days=current_app.config["GUEST_LINK_DAYS"]))
    db.session.add(link)
    db.session.flush()
    return link


def _prove_address(link: GuestLink) -> None:
    """Opening the confirmation mail proves the address, never a password: an account that
    was registered with this address but not confirmed (perhaps by someone else) becomes a
    guest identity without that password, under the name typed with the question. A guest
    takes the name typed last. A confirmed account stays as it is."""
    author = link.user
    if author.is_confirmed and not author.is_guest:
        return
    if not author.is_guest:
        author.is_guest, author.password_hash = True, ""
    if link.display_name:
        author.display_name = link.display_name
    author.email_confirmed_at = author.email_confirmed_at or utcnow()


def _mail_link(link: GuestLink) -> None:
    outbox.enqueue(Mail(
        to=link.user.email, template="guest_link", locale=link.user.locale,
        subject=_l("Ihr persönlicher Link zur Frage „%(title)s“", title=link.thread.title),
        context={"name": link.user.display_name, "title": link.thread.title,
                 "token": token(link), "expires_at": link.expires_at.isoformat()}))


# --- acting through the personal link ---------------------------------------------------

def thread_posts(link: GuestLink) -> list[Post]:
    """The posts the guest sees on the personal page: published ones and their own."""
    query = (sa.select(Post).where(Post.thread_id == link.thread_id,
                                   permissions.guest_visible_posts(link))
             .options(joinedload(Post.author)).order_by(Post.id))
    return list(db.session.scalars(query))


def renew(link: GuestLink) -> GuestLink:
    """Revoke every link of this guest to this question (any of them may have been passed
    on: older ones, or those "request new links" mailed) and mail a fresh one."""
    permissions.check("guest.view", link, link.thread)
    now = utcnow()
    db.session.execute(sa.update(GuestLink).where(GuestLink.thread_id == link.thread_id,
                                                  GuestLink.user_id == link.user_id,
                                                  GuestLink.revoked_at.is_(None))
                       .values(revoked_at=now))
    fresh = _new_link(link.thread_id, link.user_id, now)
    _mail_link(fresh)
    db.session.commit()
    return fresh


ACCOUNT = "guest-account"


def resend_links(email: str) -> None:
    """Mail new personal links for the guest's questions, or, if none is left to follow, a
    link to turn the guest identity into an account; silent for unknown addresses, so the
    form does not tell whom we know."""
    user = find_user_by_email(email)
    if user is None or not user.is_guest:
        return
    now = utcnow()
    usable = (sa.select(GuestLink).join(Thread, Thread.id == GuestLink.thread_id)
              .where(GuestLink.user_id == user.id, GuestLink.confirmed_at.is_not(None),
                     Thread.state.not_in(permissions.GUEST_HIDDEN))
              .order_by(GuestLink.id.desc()))
    seen: set[int] = set()
    for old in db.session.scalars(usable):
        if old.thread_id in seen or len(seen) >= 20:
            continue
        seen.add(old.thread_id)
        _mail_link(_new_link(old.thread_id, user.id, now))
    if not seen:
        outbox.enqueue(Mail(
            to=user.email, template="guest_account", locale=user.locale,
            subject=_l("Ihr Konto im Fachdialog anlegen"),
            context={"name": user.display_name,
                     "token": account_token(user)}))
    db.session.commit()


def account_token(user: User) -> str:
    return _serializer(ACCOUNT).dumps([user.id, user.email])


def load_account_token(value: str) -> User | None:
    """The guest identity an account-setup link from the mail stands for (valid 3 days)."""
    try:
        user_id, email = _serializer(ACCOUNT).loads(
            value, max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE"])
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.email == email else None


def withdraw(link: GuestLink) -> None:
    """The guest takes the question back: it leaves the public and every link to it stops."""
    thread = link.thread
    permissions.check("guest.withdraw", link, thread)
    was_public = thread.state in (ThreadState.OPEN, ThreadState.ANSWERED)
    claimed = db.session.execute(
        sa.update(Thread).where(Thread.id == thread.id, Thread.state == thread.state)
        .values(state=ThreadState.WITHDRAWN))
    if not rows_changed(claimed):
        db.session.rollback()
        raise ServiceError(_l("Die Frage hat sich inzwischen geändert. Bitte laden Sie die "
                              "Seite neu."))
    if was_public:
        db.session.execute(sa.update(Board).where(Board.id == thread.board_id)
                           .values(thread_count=Board.thread_count - 1))
    db.session.execute(sa.update(GuestLink).where(GuestLink.thread_id == thread.id,
                                                  GuestLink.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    audit.record(link.user, AuditAction.GUEST_WITHDRAW, thread, thread.title)
    db.session.commit()


def convert(user: User, display_name: str, password: str) -> User:
    """Turn the guest identity into an account with the same address; it keeps every question
    the guest asked. The guest links stop: from now on the person logs in. The caller has
    checked the personal link ("guest.convert") or the account-setup link from the mail."""
    permissions.check("guest.become_account", user)
    name = _check_name(display_name)
    password_quality.check_quality(password, email=user.email, display_name=name)
    user.display_name = name
    user.set_password(password)
    user.is_guest = False
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.execute(sa.update(GuestLink).where(GuestLink.user_id == user.id,
                                                  GuestLink.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    audit.record(user, AuditAction.GUEST_CONVERT, user, name)
    db.session.commit()
    return user


# --- housekeeping -----------------------------------------------------------------------

def purge_unconfirmed(now=None) -> int:
    """Delete questions never confirmed within the set days, and guest rows left with
    nothing; returns the number of questions deleted."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["GUEST_UNCONFIRMED_DAYS"])
    others = sa.select(Post.id).where(Post.thread_id == Thread.id,
                                      Post.state != PostState.UNCONFIRMED).exists()
    stale = list(db.session.scalars(sa.select(Thread).where(
        Thread.state == ThreadState.UNCONFIRMED, Thread.created_at < cutoff, ~others)))
    for thread in stale:
        db.session.delete(thread)
    db.session.flush()
    purge_leftover_guests()
    db.session.commit()
    return len(stale)


def purge_leftover_guests() -> int:
    """Guests with nothing left to follow (never confirmed, or every question withdrawn) go
    with everything that names them: their mails in the outbox, their links, the audit
    entries about them (services/privacy.py); in the caller's transaction."""
    live = sa.select(Thread.id).where(Thread.state != ThreadState.WITHDRAWN)
    has_posts = sa.select(Post.id).where(Post.author_id == User.id,
                                         Post.thread_id.in_(live)).exists()
    has_threads = sa.select(Thread.id).where(Thread.author_id == User.id,
                                             Thread.state != ThreadState.WITHDRAWN).exists()
    leftover = list(db.session.scalars(
        sa.select(User).where(User.is_guest.is_(True), ~has_posts, ~has_threads)))
    for user in leftover:  # withdrawn questions stay, unlinked, until retention.purge_withdrawn
        erase_person(person(user), DeletionMode.ANONYMISE)
    return len(leftover)
