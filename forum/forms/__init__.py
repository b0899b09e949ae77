"""WTForms classes per feature: shape and format validation only."""

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


class ActionForm(FlaskForm):
    """A POST button with nothing but its CSRF token."""


def choices(labels: dict) -> list[SelectChoice]:
    """Choices from one of the maps in `labels`, in its order, submitting the enum's value."""
    return [SelectChoice(member.value, label) for member, label in labels.items()]
