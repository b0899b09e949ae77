"""The rulebook's decisions for a whole page at once: which controls each post of a list shows,
decided by the rules in permissions/__init__.py with their repeated thread-level questions
answered once (memo.py)."""

from . import can
from .memo import remembering

# what a page shows beside each post
POST_CONTROLS = ("post.accept", "post.report", "post.edit", "post.history", "post.moderate")


def allowed_on_posts(user, posts, actions=POST_CONTROLS) -> dict[int, frozenset[str]]:
    """{post id: the actions the user may take on it} for the posts of one page."""
    user = getattr(user, "_get_current_object", lambda: user)()  # not through a proxy
    with remembering():
        return {post.id: frozenset(action for action in actions if can(action, user, post))
                for post in posts}
