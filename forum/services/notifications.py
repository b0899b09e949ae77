"""Watching threads, projects and topic fields; notifications in the site and by mail.

Only published content notifies: callers invoke notify_published() when a post becomes public
(posted directly or approved), inside that transaction, so a rollback notifies nobody."""

from typing import Literal

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import joinedload

from .. import permissions
from ..enums import WatchKind
from ..extensions import db
from ..models import (
    PUBLIC_THREAD_STATES,
    Notification,
    Post,
    PostKind,
    PostState,
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

TARGETS = {WatchKind.THREAD: Thread, WatchKind.PROJECT: Project,
           WatchKind.TOPIC_FIELD: TopicField}
GONE = _l("Das gibt es nicht (mehr).")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def _target(watch_obj: Watch) -> tuple[WatchKind, int]:
    for kind in WatchKind:
        target_id = getattr(watch_obj, f"{kind.value}_id")
        if target_id is not None:
            return kind, target_id
    raise ValueError("watch without target")


def watch_kind(watch_obj: Watch) -> WatchKind:
    """What the watch follows: a thread, a project or a topic field."""
    return _target(watch_obj)[0]


def unsubscribe_token(watch_obj: Watch) -> str:
    """Names the watch by owner and target too, so a link can never remove another watch
    that later got the same id."""
    kind, target_id = _target(watch_obj)
    return _serializer().dumps({"w": watch_obj.id, "u": watch_obj.user_id, "k": kind,
                                "t": target_id})


def digest_unsubscribe_token(user: User) -> str:
    return _serializer().dumps({"d": user.id})


def from_token(
    token: str,
) -> tuple[Literal["digest"], User] | tuple[Literal["watch"], Watch] | None:
    """("watch", Watch) or ("digest", User) for a valid unsubscribe link, else None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    if "d" in data:
        user = db.session.get(User, data["d"])
        return ("digest", user) if user is not None else None
    watch_obj = db.session.get(Watch, data.get("w"))
    if watch_obj is None or watch_obj.user_id != data.get("u"):
        return None
    if _target(watch_obj) != (data.get("k"), data.get("t")):
        return None
    return "watch", watch_obj


def digest_watches(user: User) -> list[Watch]:
    """What the daily digest reports on (the unsubscribe page names it)."""
    return list(db.session.scalars(
        select(Watch).where(Watch.user_id == user.id, Watch.mode == WatchMode.DIGEST)
        .options(joinedload(Watch.thread), joinedload(Watch.project),
                 joinedload(Watch.topic_field)).order_by(Watch.id)))


def unsubscribe_digest(user: User) -> None:
    """One click from a digest mail: no more digest; what it reported on stays watched in
    the forum (its notification list), without mail."""
    db.session.execute(update(Watch).where(Watch.user_id == user.id,
                                           Watch.mode == WatchMode.DIGEST)
                       .values(mode=WatchMode.SITE))
    db.session.commit()


def watches_of(user: User) -> list[Watch]:
    """The user's own watches, in the order they were started, with what they follow."""
    return list(db.session.scalars(
        select(Watch).where(Watch.user_id == user.id)
        .options(joinedload(Watch.thread), joinedload(Watch.project),
                 joinedload(Watch.topic_field)).order_by(Watch.id)))


def find_watch(user: User, kind: WatchKind, target_id: int) -> Watch | None:
    column = getattr(Watch, f"{WatchKind(kind).value}_id")
    return db.session.scalar(select(Watch).where(Watch.user_id == user.id, column == target_id))


def watch(user: User, kind: WatchKind, target_id: int, mode: WatchMode = WatchMode.INSTANT,
          *, commit: bool = True) -> Watch:
    """Start watching (or change the mode of an existing watch)."""
    target = db.session.get(TARGETS[kind], target_id) if kind in TARGETS else None
    if target is None or (kind == WatchKind.THREAD
                          and not permissions.can("thread.view", user, target)):
        raise ServiceError(GONE)
    existing = find_watch(user, kind, target_id)
    if existing is None:
        existing = Watch(user_id=user.id, mode=mode,
                         **{f"{WatchKind(kind).value}_id": target_id})
        db.session.add(existing)
    else:
        existing.mode = mode
    if commit:
        db.session.commit()
    return existing


def unwatch(user: User, watch_obj: Watch) -> None:
    if watch_obj.user_id != user.id:
        raise ServiceError(GONE)
    _remove(watch_obj)


def unsubscribe(watch_obj: Watch, *, stop_watching: bool = False) -> None:
    """One-click unsubscribe from a mail link: no log-in, the signed link is the permission.
    Only the mails stop (the watch stays, in the forum only), unless the person chose to
    stop watching altogether."""
    if stop_watching:
        _remove(watch_obj)
        return
    watch_obj.mode = WatchMode.SITE
    db.session.commit()


def _remove(watch_obj: Watch, commit: bool = True) -> None:
    db.session.execute(update(Notification).where(Notification.watch_id == watch_obj.id)
                       .values(watch_id=None))
    db.session.execute(delete(Watch).where(Watch.id == watch_obj.id))
    if commit:
        db.session.commit()


def set_mode(user: User, watch_obj: Watch, mode: WatchMode) -> None:
    if watch_obj.user_id != user.id:
        raise ServiceError(GONE)
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
    """Notify the watchers of a post that just became public; return how many. A reply in a
    thread that is not public (pending, hidden) notifies nobody."""
    is_question = post.kind == PostKind.QUESTION
    if not is_question and post.thread.state not in PUBLIC_THREAD_STATES:
        return 0
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
        if watch_obj.mode == WatchMode.INSTANT:
            user = watch_obj.user
            subject = (_l("Neue Frage: %(title)s", title=post.thread.title) if is_question
                       else _l("Neue Antwort auf die Frage: %(title)s", title=post.thread.title))
            outbox.enqueue(Mail(to=user.email, template="notification", locale=user.locale,
                                subject=subject, context={"note": note, "user": user}),
                           unsubscribe_token=unsubscribe_token(watch_obj))
        count += 1
    return count


def _public():
    """Notifications whose post and thread are still public (content hidden later drops
    out of lists, counts and mails)."""
    # correlated: each of the user's notifications looks up its post and thread by key,
    # instead of listing every published post and public thread first (a million rows)
    return (select(Post.id).where(Post.id == Notification.post_id,
                                  Post.state == PostState.PUBLISHED).exists()
            & select(Thread.id).where(Thread.id == Notification.thread_id,
                                      Thread.state.in_(PUBLIC_THREAD_STATES)).exists())


def is_public(note: Notification) -> bool:
    return (note.post is not None and note.post.state == PostState.PUBLISHED
            and note.thread.state in PUBLIC_THREAD_STATES)


def unread_count(user: User) -> int:
    return db.session.execute(select(unread_count_of(user.id))).scalar_one()


def unread_count_of(user_id) -> ColumnElement[int]:
    """The unread public notifications of an account (an id, or a column such as User.id
    in the log-in's statement, services/sessions.py) as a column."""
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None), _public())
            .scalar_subquery().label("unread_notifications"))


def recent(user: User, limit: int = 50) -> list[Notification]:
    query = (select(Notification).where(Notification.user_id == user.id, _public())
             .options(joinedload(Notification.thread), joinedload(Notification.post))
             .order_by(Notification.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id,
                                                  Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()


def send_digests() -> int:
    """One mail per user with everything collected for the digest since the last one. Rows
    are claimed with a conditional UPDATE, so overlapping runs never mail a note twice."""
    pending = (select(Notification.user_id, Notification.id)
               .where(Notification.digest, Notification.digest_sent_at.is_(None), _public())
               .order_by(Notification.user_id, Notification.id))
    by_user: dict[int, list[int]] = {}
    for user_id, note_id in db.session.execute(pending):
        by_user.setdefault(user_id, []).append(note_id)
    sent = 0
    for user_id, note_ids in by_user.items():
        claimed = db.session.execute(
            update(Notification).where(Notification.id.in_(note_ids),
                                       Notification.digest_sent_at.is_(None))
            .values(digest_sent_at=utcnow()).returning(Notification.id)).scalars().all()
        if not claimed:
            continue
        user = db.session.get(User, user_id)
        if user is None:  # deleted meanwhile: its notifications went with it
            continue
        outbox.enqueue(Mail(to=user.email, template="digest", locale=user.locale,
                            subject=_l("Ihre tägliche Übersicht aus dem Fachdialog"),
                            context={"user": user, "note_ids": sorted(claimed)}),
                       unsubscribe_token=digest_unsubscribe_token(user))
        db.session.commit()
        sent += 1
    db.session.commit()
    return sent


def digest_notes(note_ids: list[int]) -> list[Notification]:
    query = (select(Notification).where(Notification.id.in_(note_ids), _public())
             .options(joinedload(Notification.thread)).order_by(Notification.id))
    return list(db.session.scalars(query))
