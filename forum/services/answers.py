"""The helpful answer ("Hilfreichste Antwort") and "Ich habe die gleiche Frage"."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from .. import permissions
from ..extensions import db
from ..models import PUBLIC_THREAD_STATES, MeToo, Post, Thread, ThreadState, User
from . import ServiceError, rows_changed

CHANGED = _l("Die Frage hat sich inzwischen geändert. Bitte laden Sie die Seite neu.")


def mark_helpful(actor: User | None, post: Post, *, link=None) -> None:
    """Mark (or move the mark to) this answer; the thread becomes "beantwortet". A guest
    asker marks through the personal `link`."""
    if link is not None:
        permissions.check("guest.accept", link, post)
    else:
        permissions.check("post.accept", actor, post)
    marked = db.session.execute(update(Thread).where(
        Thread.id == post.thread_id, Thread.state.in_(PUBLIC_THREAD_STATES)).values(
        accepted_post_id=post.id, state=ThreadState.ANSWERED))
    if not rows_changed(marked):  # hidden or withdrawn meanwhile: it stays that way
        db.session.rollback()
        raise ServiceError(CHANGED)
    db.session.commit()


def unmark_helpful(actor: User | None, post: Post, *, link=None) -> None:
    if link is not None:
        permissions.check("guest.accept", link, post)
    else:
        permissions.check("post.accept", actor, post)
    result = db.session.execute(
        update(Thread).where(Thread.id == post.thread_id, Thread.accepted_post_id == post.id,
                             Thread.state == ThreadState.ANSWERED)
        .values(accepted_post_id=None, state=ThreadState.OPEN))
    if not rows_changed(result):
        db.session.rollback()
        raise ServiceError(_l("Diese Antwort ist nicht (mehr) als hilfreichste markiert."))
    db.session.commit()


def clear_if_accepted(post: Post) -> None:
    """When the marked answer leaves the public (hidden, merged away), the mark goes too;
    part of the caller's transaction."""
    db.session.execute(
        update(Thread).where(Thread.accepted_post_id == post.id, Thread.state ==
                             ThreadState.ANSWERED)
        .values(accepted_post_id=None, state=ThreadState.OPEN))
    db.session.execute(update(Thread).where(Thread.accepted_post_id == post.id)
                       .values(accepted_post_id=None))


def has_me_too(user: User, thread: Thread) -> bool:
    if not user.is_authenticated:
        return False
    return db.session.get(MeToo, (user.id, thread.id)) is not None


def toggle_me_too(actor: User, thread: Thread) -> bool:
    """Add or take back the user's "same question"; returns whether it is now set."""
    return set_me_too(actor, thread, not has_me_too(actor, thread))


def set_me_too(actor: User, thread: Thread, wanted: bool) -> bool:
    """Set or take back the user's "same question" as the button said (pressing it twice,
    or a reload, does not undo it); returns whether it is now set."""
    permissions.check("thread.me_too", actor, thread)
    existing = db.session.get(MeToo, (actor.id, thread.id))
    if wanted and existing is None:
        db.session.add(MeToo(user_id=actor.id, thread_id=thread.id))
        try:
            db.session.flush()
        except IntegrityError:  # the same person clicked twice at once: one counts
            db.session.rollback()
            return True
        db.session.execute(update(Thread).where(Thread.id == thread.id)
                           .values(me_too_count=Thread.me_too_count + 1))
    elif not wanted and existing is not None:
        result = db.session.execute(delete(MeToo).where(MeToo.user_id == actor.id,
                                                        MeToo.thread_id == thread.id))
        if rows_changed(result):
            db.session.execute(update(Thread).where(Thread.id == thread.id)
                               .values(me_too_count=Thread.me_too_count - 1))
    db.session.commit()
    return wanted

