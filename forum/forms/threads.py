from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from . import Form, once_field
from .auth import REQUIRED
from .spam import SpamGuardMixin

TITLE_MAX = 200
# no maxlength on the input: the browser would cut a longer pasted title without a word; the
# counter under the field and the validation message say it instead
TITLE_INPUT = {"maxlength": False, "data-zeichen-max": TITLE_MAX}
TITLE_HINT = _l("Höchstens 200 Zeichen.")

MARKDOWN_HINT = _l("Sie können Markdown verwenden: **fett**, *kursiv*, - Listen, "
                   "[Link](https://…), [Text in anderer Sprache]{lang=en}.")


class _TextForm(Form):
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(REQUIRED),
                    Length(max=20000, message=_l("Bitte höchstens 20.000 Zeichen."))],
        description=MARKDOWN_HINT,
        render_kw={"rows": 8},
    )
    preview = SubmitField(_l("Vorschau"))


class UpdateForm(_TextForm):
    title = StringField(
        _l("Titel der Neuigkeit"),
        validators=[DataRequired(REQUIRED),
                    Length(5, 200, _l("Der Titel muss 5 bis 200 Zeichen lang sein."))],
    )
    field_order: tuple[str, ...] = ("title", "body")
    once = once_field()
    submit = SubmitField(_l("Neuigkeit veröffentlichen"))


def board_id(value) -> int | None:
    """The board select's value: None for "Bitte wählen" (so that DataRequired says so)."""
    return None if value in (None, "") else int(value)


class AskForm(SpamGuardMixin, _TextForm):
    board = SelectField(_l("Wo möchten Sie fragen?"), coerce=board_id,
                        validators=[DataRequired(_l("Bitte wählen Sie einen Bereich."))])
    title = StringField(
        _l("Ihre Frage in einem Satz"),
        validators=[DataRequired(REQUIRED),
                    Length(8, TITLE_MAX, _l("Der Titel muss 8 bis 200 Zeichen lang sein."))],
        description=TITLE_HINT, render_kw=TITLE_INPUT,
    )
    field_order: tuple[str, ...] = ("board", "title", "body")
    suggest = SubmitField(_l("Ähnliche Fragen anzeigen"))
    update = HiddenField()
    once = once_field()
    submit = SubmitField(_l("Frage veröffentlichen"))


class MoveOwnForm(Form):
    """The asker's own waiting question into another board."""

    board = SelectField(
        _l("Bereich Ihrer Frage"), coerce=board_id,
        validators=[DataRequired(_l("Bitte wählen Sie einen Bereich."))],
        description=_l("Passt Ihre Frage an anderer Stelle besser? Solange sie auf Freigabe "
                       "wartet, können Sie den Bereich ändern."))
    submit = SubmitField(_l("Bereich ändern"))


class ReplyForm(_TextForm):
    once = once_field()
    submit = SubmitField(_l("Antwort veröffentlichen"))


class EditForm(_TextForm):
    title = StringField(
        _l("Titel"),
        validators=[Length(8, TITLE_MAX, _l("Der Titel muss 8 bis 200 Zeichen lang sein."))],
        description=TITLE_HINT, render_kw=TITLE_INPUT,
    )
    # the version of the post this edit started from (threads.version_of): saving over a
    # newer version is a conflict the person gets to see instead of losing either text
    base = HiddenField()
    submit = SubmitField(_l("Änderung speichern"))
