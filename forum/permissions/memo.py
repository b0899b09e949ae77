"""Answers the rulebook gives once per page (permissions/pages.py): a list asks every rule for
each of its rows, and each rule asks the same questions about the person and the thread
again (are they restricted, a site moderator, do they moderate this board?). Inside
`remembering()`, the scope tests marked `@remembered` (scope.py) answer each distinct set of
arguments once: the same rules run, in the same order, only those repeated sub-answers
(results and refusals alike) are reused. Outside it they run as always."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

_ANSWERS: ContextVar[dict | None] = ContextVar("rulebook_answers", default=None)
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def remembering() -> Iterator[None]:
    token = _ANSWERS.set({})
    try:
        yield
    finally:
        _ANSWERS.reset(token)


def remembered(func: F) -> F:
    """Positional arguments only; keyed by the arguments' identity (they are kept alive with
    the answer, so an id is never reused while the answers live)."""

    @wraps(func)
    def wrapper(*args):
        answers = _ANSWERS.get()
        if answers is None:
            return func(*args)
        key = (func, *map(id, args))
        if key not in answers:
            try:
                answers[key] = (args, False, func(*args))
            except Exception as refusal:  # Denied, NotFound: the same refusal each time
                answers[key] = (args, True, refusal)
        _args, refused, answer = answers[key]
        if refused:
            raise answer.with_traceback(None)
        return answer

    return wrapper  # type: ignore[return-value]

