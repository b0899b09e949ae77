"""What changed in each edit of a post: line diffs between consecutive versions (difflib)."""

import difflib
from dataclasses import dataclass

from ..models import Post, PostRevision

CONTEXT_LINES = 2  # unchanged lines shown around a change; longer unchanged stretches fold


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "removed", "added" or "gap" (unchanged lines left out)
    text: str


@dataclass(frozen=True)
class Change:
    """One edit: the revision holding the text before it, the title before and after (when
    the edit changed it), and the changed lines with a little context. Plain text: the
    template escapes it."""

    revision: PostRevision
    old_title: str | None
    new_title: str | None
    lines: list[Line]


def diff_lines(before: str, after: str) -> list[Line]:
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    # read before grouping: get_grouped_opcodes trims the matcher's own list of opcodes
    last_tag, last_i1, last_i2, _j1, _j2 = (matcher.get_opcodes() or [("equal", 0, 0, 0, 0)])[-1]
    lines: list[Line] = []
    for number, group in enumerate(matcher.get_grouped_opcodes(CONTEXT_LINES)):
        if number > 0 or group[0][1] > 0:
            lines.append(Line("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(Line("same", text) for text in old[i1:i2])
                continue
            lines.extend(Line("removed", text) for text in old[i1:i2])
            lines.extend(Line("added", text) for text in new[j1:j2])
    if lines and last_tag == "equal" and last_i2 - last_i1 > CONTEXT_LINES:
        lines.append(Line("gap", ""))
    return lines


def changes(post: Post, current_title: str | None = None) -> list[Change]:
    """The post's edits, newest first. Each revision keeps the text before its edit; the
    text after it is the next revision's (or the post's current text)."""
    revisions = list(post.revisions)
    result = []
    for index, revision in enumerate(revisions):
        later = revisions[index + 1:]
        after = later[0].body_source if later else post.body_source
        new_title = None
        if revision.title is not None:
            new_title = next((r.title for r in later if r.title is not None), current_title)
        result.append(Change(revision, revision.title, new_title,
                             diff_lines(revision.body_source, after)))
    return list(reversed(result))
