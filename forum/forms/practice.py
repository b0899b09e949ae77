"""The form a project's team fills in to publish a practice example."""

from flask_babel import LazyString, lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from . import Form, once_field
from .auth import REQUIRED
from .threads import MARKDOWN_HINT

TEXT_MAX = Length(max=20000, message=_l("Bitte höchstens 20.000 Zeichen."))


LARGEST_ID = 2**31 - 1  # no row has a larger id; a larger number would overflow the driver


def chosen_id(value) -> int | None:
    """A select's id: None for "Bitte wählen" or anything that is no row's id (so that the
    field says "please choose" instead of the database failing)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= LARGEST_ID else None


def _text(label, hint):
    return TextAreaField(label, validators=[DataRequired(REQUIRED), TEXT_MAX],
                         description=LazyString(lambda: f"{hint} {MARKDOWN_HINT}"),
                         render_kw={"rows": 5})


class PracticeForm(Form):
    title = StringField(
        _l("Was wurde erprobt?"),
        validators=[DataRequired(REQUIRED),
                    Length(5, 200, _l("Der Titel muss 5 bis 200 Zeichen lang sein."))],
        description=_l("In einem Satz; das ist der Titel des Praxisbeispiels."),
    )
    setting = _text(_l("Wo und für wen?"),
                    _l("Betrieb, Branche, Beschäftigte, für die es gedacht war."))
    body = _text(_l("Wie sind Sie vorgegangen?"), _l("Die Schritte, Mittel und Beteiligten."))
    outcome = _text(_l("Was ist daraus geworden?"),
                    _l("Ergebnisse, auch was nicht funktioniert hat."))
    lessons = _text(_l("Was können andere übernehmen?"),
                    _l("Was sich übertragen lässt und worauf man achten sollte."))
    # choices: the project's team (set by the view); whether the person chosen may be the
    # contact is the rulebook's question, asked by the service (with its German reason)
    contact = SelectField(_l("Ansprechperson im Team"), coerce=chosen_id, validate_choice=False,
                          validators=[DataRequired(_l("Bitte wählen Sie eine "
                                                      "Ansprechperson aus dem Team."))])
    once = once_field()
    # short: a button does not wrap, and the page must reflow at 320 CSS pixels
    submit = SubmitField(_l("Veröffentlichen"))
