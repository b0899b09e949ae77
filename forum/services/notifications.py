"""Watching threads, projects and topic fields; notifications in the site and by mail.

Only published content notifies: callers invoke notify_published() when a post becomes public
(posted directly or approved), inside that transaction, so a rollback notifies nobody."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Notification,
    Post,
    PostKind,
    Project,
    Thread,
    TopicField,
    User,
    Watch,
    WatchMode,
    project_topic_fields,
    utcnow,
)
from . import Mail, ServiceError, outbox

TARGETS = {"thread": Thread, "project": Project, "topic_field": TopicField}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(watch_id: int) -> str:
    return _serializer().dumps(watch_id)


def watch_from_token(token: str) -> Watch | None:
    try:
        watch_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(Watch, watch_id)


def find_watch(user: User, kind: str, target_id: int) -> Watch | None:
    column = getattr(Watch, f"{kind}_id")
    return db.session.scalar(select(Watch).where(Watch.user_id == user.id, column == target_id))


def watch(user: User, kind: str, target_id: int, mode: WatchMode = WatchMode.INSTANT,
          *, commit: bool = True) -> Watch:
    """Start watching (or change the mode of an existing watch)."""
    if kind not in TARGETS or db.session.get(TARGETS[kind], target_id) is None:
        raise ServiceError(_l("Das gibt es nicht (mehr)."))
    existing = find_watch(user, kind, target_id)
    if existing is None:
        existing = Watch(user_id=user.id, mode=mode, **{f"{kind}_id": target_id})
        db.session.add(existing)
    else:
        existing.mode = mode
    if commit:
        db.session.commit()
    return existing


def unwatch(user: User, watch_obj: Watch) -> None:
    if watch_obj.user_id != user.id:
        raise ServiceError(_l("Das gibt es nicht (mehr)."))
    _remove(watch_obj)


def unsubscribe(watch_obj: Watch) -> None:
    """One-click unsubscribe from a mail link: no log-in, the signed link is the permission."""
    _remove(watch_obj)


def _remove(watch_obj: Watch) -> None:
    db.session.execute(update(Notification).where(Notification.watch_id == watch_obj.id)
                       .values(watch_id=None))
    db.session.execute(delete(Watch).where(Watch.id == watch_obj.id))
    db.session.commit()


def set_mode(user: User, watch_obj: Watch, mode: WatchMode) -> None:
    if watch_obj.user_id != user.id:
        raise ServiceError(_l("Das gibt es nicht (mehr)."))
    watch_obj.mode = mode
    db.session.commit()


def _watchers(post: Post) -> list[Watch]:
    thread = post.thread
    if post.kind == PostKind.QUESTION:
        board = thread.board
        conditions = []
        if board.project_id is not None:
            conditions.append(Watch.project_id == board.project_id)
            tagged = select(project_topic_fields.c.topic_field_id).where(
                project_topic_fields.c.project_id == board.project_id)
            conditions.append(Watch.topic_field_id.in_(tagged))
        if board.topic_field_id is not None:
            conditions.append(Watch.topic_field_id == board.topic_field_id)
        condition = db.or_(*conditions)
    else:
        condition = Watch.thread_id == thread.id
    query = (select(Watch).join(Watch.user)
             .where(condition, User.email_confirmed_at.is_not(None))
             .options(joinedload(Watch.user)).order_by(Watch.id))
    return list(db.session.scalars(query))


def notify_published(post: Post) -> int:
    """Notify the watchers of a post that just became public; return how many."""
    is_question = post.kind == PostKind.QUESTION
    seen: set[int] = {post.author_id} if post.author_id else set()
    count = 0
    for watch_obj in _watchers(post):
        if watch_obj.user_id in seen:
            continue
        seen.add(watch_obj.user_id)
        digest = watch_obj.mode == WatchMode.DIGEST
        note = Notification(user_id=watch_obj.user_id, watch_id=watch_obj.id,
                            thread_id=post.thread_id, post_id=post.id,
                            is_new_thread=is_question, digest=digest, created_at=utcnow())
        db.session.add(note)
        if not digest:
            user = watch_obj.user
            subject = (_l("Neue Frage: %(title)s", title=post.thread.title) if is_question
                       else _l("Neue Antwort im Thema: %(title)s", title=post.thread.title))
            outbox.enqueue(Mail(to=user.email, template="notification", locale=user.locale,
                                subject=subject, context={"note": note, "user": user}),
                           unsubscribe_watch_id=watch_obj.id)
        count += 1
    return count


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def recent(user: User, limit: int = 50) -> list[Notification]:
    query = (select(Notification).where(Notification.user_id == user.id)
             .options(joinedload(Notification.thread), joinedload(Notification.post))
             .order_by(Notification.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id,
                                                  Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()


def send_digests() -> int:
    """One mail per user with everything collected for the digest since the last one."""
    pending = (select(Notification).where(Notification.digest,
                                          Notification.digest_sent_at.is_(None))
               .order_by(Notification.user_id, Notification.id))
    by_user: dict[int, list[Notification]] = {}
    for note in db.session.scalars(pending):
        by_user.setdefault(note.user_id, []).append(note)
    now = utcnow()
    for user_id, notes in by_user.items():
        user = db.session.get(User, user_id)
        outbox.enqueue(Mail(to=user.email, template="digest", locale=user.locale,
                            subject=_l("Ihre tägliche Übersicht aus dem Fachdialog"),
                            context={"user": user, "note_ids": [n.id for n in notes]}))
        db.session.execute(update(Notification).where(
            Notification.id.in_([n.id for n in notes])).values(digest_sent_at=now))
    db.session.commit()
    return len(by_user)


def digest_notes(note_ids: list[int]) -> list[Notification]:
    query = (select(Notification).where(Notification.id.in_(note_ids))
             .options(joinedload(Notification.thread)).order_by(Notification.id))
    return list(db.session.scalars(query))
