"""Statements built from the rulebook's moderation filters, kept per moderation scope.

A queue statement applies the moderator's scope through several subqueries (the boards they
moderate, the threads outside moderation, the appeals they are a party to). Building one,
and then SQLAlchemy's walk over it for the key of its compiled form, took longer than
PostgreSQL took to run it. `moderation_scope` holds all that the moderation filters take
from a person (who they are, and what they moderate now), so a statement built from them is
kept under it and its name and reused until that changes: a Select never changes once
built, and it keeps its cache key. Only statements without values of the moment (no "older
than" time, no filter from the address) are kept."""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from ..permissions import moderation_scope

S = TypeVar("S")
MAX_KEPT = 512  # statements; each scope holds a handful, so this is about a hundred scopes

_kept: OrderedDict[tuple, object] = OrderedDict()
_lock = Lock()


def kept(name: Hashable, user, build: Callable[[], S]) -> S:
    """The statement `build` makes for the user, built once per `name` and scope."""
    key = (name, moderation_scope(user))
    with _lock:
        statement = _kept.get(key)
        if statement is not None:
            _kept.move_to_end(key)
            return statement  # type: ignore[return-value]
    statement = build()
    with _lock:
        _kept[key] = statement
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return statement

