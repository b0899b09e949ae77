"""The role an author speaks in on a board, as the thread pages show it beside each post and
the open-data export writes it: Gast, Moderation, Fachperson, Projektteam, or
"Forumsmitglied" for an answer from anyone else. One rule for both, so they never differ."""

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import permissions


@dataclass(frozen=True)
class Badge:
    """Where a post comes from: kind is "guest", "moderation", "expert", "team" or
    "community"; an expert's badge names the field and (with consent) the organisation;
    `profile_id` is the expert's id when the public profile is listed (the templates link
    it as `url`)."""

    kind: str
    label: str
    field: str = ""
    organisation: str = ""
    profile_id: int | None = None
    url: str | None = None

    def __str__(self) -> str:
        return self.label


def _expert_field(verification, board) -> str:
    """The verified topic field or project that matches the board, else all verified ones;
    `verification` is the expert's scope (every verification in force together)."""
    if board is not None and board.topic_field_id is not None:
        match = [t.name for t in verification.topic_fields if t.id == board.topic_field_id]
    elif board is not None and board.project_id is not None:
        match = [p.name for p in verification.projects if p.id == board.project_id]
        if not match and verification.topic_fields:
            tagged = {t.id for t in board.project.topic_fields}
            match = [t.name for t in verification.topic_fields if t.id in tagged]
    else:
        match = []
    if match:
        return match[0]
    return ", ".join([t.name for t in verification.topic_fields]
                     + [p.name for p in verification.projects])


def author_badge(author, board, answer: bool = False) -> Badge | None:
    """The badge of `author`'s post on `board` (None for a deleted account, and for a
    question or follow-up of somebody without a role)."""
    if author is None:
        return None
    if author.is_guest:
        return Badge("guest", _("Gast"))
    if board is not None and permissions.moderates_board(author, board):
        return Badge("moderation", _("Moderation"))
    verification = author.expert_scope
    if verification is not None:
        field = _expert_field(verification, board)
        return Badge(
            "expert", _("Fachperson für %(field)s", field=field) if field else _("Fachperson"),
            field=field,
            organisation=author.organisation if author.show_organisation else "",
            profile_id=author.id if author.profile_public else None)
    if permissions.in_project_team(author, board.project_id):
        return Badge("team", _("Projektteam %(project)s", project=board.project.name))
    return Badge("community", _("Forumsmitglied")) if answer else None
