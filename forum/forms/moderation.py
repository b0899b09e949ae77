from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from .. import labels
from . import Form, SelectChoice, choices, once_field
from .auth import REQUIRED


class ReportForm(Form):
    once = once_field()
    category = RadioField(_l("Was ist das Problem?"), choices=choices(labels.CATEGORY_CHOICES),
                          validators=[DataRequired(_l("Bitte wählen Sie eine Art aus."))])
    ground = StringField(_l("Welches Gesetz oder welche Dialogregel?"),
                         validators=[Length(max=300)],
                         description=_l("Zum Beispiel „§ 185 StGB (Beleidigung)“ oder "
                                        "„Dialogregel 1: sachlich und respektvoll bleiben“."))
    explanation = TextAreaField(_l("Warum melden Sie den Beitrag?"),
                                validators=[DataRequired(REQUIRED), Length(max=5000)],
                                render_kw={"rows": 5})
    name = StringField(_l("Ihr Name"), validators=[Length(max=120)],
                       description=_l("Freiwillig, außer bei rechtswidrigen Inhalten."))
    email = EmailField(_l("Ihre E-Mail-Adresse"),
                       validators=[Optional(), Email(_l("Bitte geben Sie eine gültige "
                                                        "E-Mail-Adresse ein, zum Beispiel "
                                                        "name@example.de.")), Length(max=254)],
                       description=_l("Freiwillig, außer bei rechtswidrigen Inhalten. Dann "
                                      "bestätigen wir den Eingang und teilen Ihnen das "
                                      "Ergebnis mit."))
    concerns_child_abuse = BooleanField(_l("Der Inhalt betrifft sexuellen Missbrauch von "
                                           "Kindern (dann sind Name und E-Mail freiwillig)"))
    concerns_threat = BooleanField(_l("Der Inhalt lässt eine Gefahr für das Leben oder die "
                                      "Sicherheit von Menschen befürchten"))
    good_faith = BooleanField(
        _l("Ich bin in gutem Glauben, dass meine Angaben richtig und vollständig sind."),
        validators=[DataRequired(_l("Bitte bestätigen Sie, dass Ihre Angaben nach bestem "
                                    "Wissen richtig und vollständig sind."))])


PLEASE_CHOOSE = _l("Bitte wählen")


def chosen_id(value) -> int | None:
    """An id from a select that starts on "Bitte wählen" (value ""): None until chosen."""
    return None if value in (None, "", "0", 0) else int(value)


class DecisionForm(Form):
    """A decision on a post carries the post's decision version the page showed: a decision
    on an older view (somebody decided in between) is refused."""

    version = HiddenField()

    def seen_version(self) -> int:
        """The version the page showed; a form without one counts as a page that showed no
        decision (0), anything unreadable as a page that cannot be current (-1)."""
        value = (self.version.data or "").strip()
        if not value:
            return 0
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


def _ground_named_unless_catalogue(form, extra_validators=None) -> bool:
    """Without a catalogue text, the ground (rule or law) and its kind are required: all
    missing fields are named at once."""
    valid = Form.validate(form, extra_validators)
    if form.reason.data:
        return valid
    if not form.ground_kind.data:
        form.ground_kind.errors = [*form.ground_kind.errors,
                                   _l("Bitte wählen Sie eine Grundlage oder einen Textbaustein.")]
        valid = False
    if not (form.ground.data or "").strip():
        form.ground.errors = [*form.ground.errors,
                              _l("Bitte nennen Sie die Regel oder die Rechtsvorschrift.")]
        valid = False
    return valid


class ReasonedForm(DecisionForm):
    """A restricting action: a catalogue text, or the rule or law named by hand; the facts."""

    def validate(self, extra_validators=None) -> bool:
        return _ground_named_unless_catalogue(self, extra_validators)

    reason = SelectField(_l("Textbaustein"), coerce=chosen_id, validators=[Optional()],
                         description=_l("Ein Eintrag aus dem Katalog füllt die Grundlage aus; "
                                        "ohne ihn nennen Sie sie unten selbst."))
    ground_kind = RadioField(_l("Grundlage"), choices=choices(labels.GROUND_CHOICES),
                             validators=[Optional()])
    ground = StringField(_l("Regel oder Rechtsvorschrift"), validators=[Length(max=300)])
    facts = TextAreaField(_l("Tatsachen und Umstände"), validators=[DataRequired(REQUIRED)],
                          description=_l("Diese Begründung erhält die Person, die den Beitrag "
                                         "geschrieben hat."), render_kw={"rows": 4})


class RejectForm(DecisionForm):
    reason = SelectField(_l("Grund"), coerce=chosen_id,
                         validators=[DataRequired(_l("Bitte wählen Sie einen Grund aus."))])
    facts = TextAreaField(_l("Tatsachen und Umstände"), validators=[DataRequired(REQUIRED)],
                          description=_l("Diese Begründung erhält die Person, die den Beitrag "
                                         "geschrieben hat."), render_kw={"rows": 4})


class ApproveEditForm(DecisionForm):
    body = TextAreaField(_l("Text des Beitrags"), validators=[DataRequired(REQUIRED)],
                         render_kw={"rows": 8})
    reason = TextAreaField(_l("Grund der Änderung"), validators=[Length(max=2000)],
                           description=_l("Nur beim Bearbeiten nötig. Die Person, die den "
                                          "Beitrag geschrieben hat, erhält die Begründung mit "
                                          "der alten und der neuen Fassung."),
                           render_kw={"rows": 2})


class ModeratorEditForm(DecisionForm):
    title = StringField(_l("Titel der Frage"), validators=[Length(max=200)])
    body = TextAreaField(_l("Text des Beitrags"), validators=[DataRequired(REQUIRED)],
                         render_kw={"rows": 8})
    reason = TextAreaField(_l("Grund der Änderung"),
                           validators=[DataRequired(REQUIRED), Length(max=2000)],
                           description=_l("Die Person, die den Beitrag geschrieben hat, erhält "
                                          "die Begründung mit der alten und der neuen Fassung."),
                           render_kw={"rows": 2})


class NoteForm(DecisionForm):
    facts = TextAreaField(_l("Begründung"), validators=[DataRequired(REQUIRED)],
                          render_kw={"rows": 3})


class InternalNoteForm(Form):
    body = TextAreaField(_l("Interne Notiz"), validators=[DataRequired(REQUIRED),
                                                         Length(max=5000)],
                         description=_l("Nur für das Moderationsteam; nie in Begründungen oder "
                                        "Exporten."), render_kw={"rows": 2})


class BulkForm(Form):
    action = RadioField(_l("Für die ausgewählten Beiträge"), choices=[
        SelectChoice("approve", _l("freigeben")), SelectChoice("reject", _l("ablehnen"))],
        validators=[DataRequired(_l("Bitte wählen Sie, was geschehen soll."))])
    reason = SelectField(_l("Grund (beim Ablehnen)"), coerce=chosen_id, validators=[Optional()])
    facts = TextAreaField(_l("Tatsachen und Umstände (beim Ablehnen)"), render_kw={"rows": 3})


class MeasureForm(Form):
    once = once_field()

    def validate(self, extra_validators=None) -> bool:
        return _ground_named_unless_catalogue(self, extra_validators)

    action = RadioField(_l("Maßnahme"), choices=choices(labels.MEASURE_CHOICES),
                        validators=[DataRequired(_l("Bitte wählen Sie eine Maßnahme."))])
    days = IntegerField(_l("Dauer der Sperre in Tagen"), validators=[Optional()],
                        description=_l("Nur bei einer vorübergehenden Sperre: 1 bis 365 Tage."))
    reason = SelectField(_l("Textbaustein"), coerce=chosen_id, validators=[Optional()])
    ground_kind = RadioField(_l("Grundlage"), choices=choices(labels.GROUND_CHOICES),
                             validators=[Optional()])
    ground = StringField(_l("Regel oder Rechtsvorschrift"), validators=[Length(max=300)])
    facts = TextAreaField(_l("Tatsachen und Umstände"), validators=[DataRequired(REQUIRED)],
                          description=_l("Diese Begründung erhält die betroffene Person."),
                          render_kw={"rows": 4})
    reject_pending = BooleanField(_l("Wartende Beiträge des Kontos mit derselben Begründung "
                                     "ablehnen"))


class LiftForm(Form):
    facts = TextAreaField(_l("Warum endet die Sperre?"), validators=[DataRequired(REQUIRED)],
                          render_kw={"rows": 2})


class MeasureRequestForm(Form):
    text = TextAreaField(_l("Was beantragen Sie, und warum?"),
                         validators=[DataRequired(REQUIRED), Length(max=5000)],
                         render_kw={"rows": 3})


class MoveForm(Form):
    board = SelectField(_l("Neuer Bereich"), coerce=chosen_id,
                        validators=[DataRequired(_l("Bitte wählen Sie einen Bereich."))])


class MergeForm(Form):
    target = IntegerField(_l("Nummer des Ziel-Themas"),
                          validators=[DataRequired(_l("Bitte geben Sie die Nummer des Themas "
                                                      "an (aus seiner Adresse)."))],
                          description=_l("Die Zahl vor dem Titel in der Adresse, z. B. 42 bei "
                                         "/fragen/42-…"))


class AppealForm(Form):
    once = once_field()
    text = TextAreaField(_l("Ihre Beschwerde"), validators=[DataRequired(REQUIRED),
                                                            Length(max=5000)],
                         description=_l("Warum halten Sie die Entscheidung für falsch?"),
                         render_kw={"rows": 6})


class AppealDecisionForm(Form):
    upheld = RadioField(_l("Entscheidung"), choices=[
        SelectChoice("yes", _l("Der Beschwerde wird abgeholfen")),
        SelectChoice("no", _l("Die Beschwerde wird zurückgewiesen"))],
        validators=[DataRequired(_l("Bitte entscheiden Sie."))])
    answer = TextAreaField(_l("Begründung für die beschwerdeführende Person"),
                           validators=[DataRequired(REQUIRED)], render_kw={"rows": 4})
    ground_kind = RadioField(_l("Grundlage (nur wenn ein gemeldeter Beitrag jetzt "
                                "ausgeblendet wird)"), choices=choices(labels.GROUND_CHOICES),
                             validators=[Optional()])
    ground = StringField(_l("Regel oder Rechtsvorschrift"), validators=[Length(max=300)])
    facts = TextAreaField(_l("Tatsachen und Umstände"), render_kw={"rows": 3})


class ReasonForm(Form):
    title = StringField(_l("Kurzbezeichnung"), validators=[DataRequired(REQUIRED),
                                                            Length(max=120)])
    ground_kind = RadioField(_l("Grundlage"), choices=choices(labels.GROUND_CHOICES),
                             validators=[DataRequired(_l("Bitte wählen Sie eine Grundlage."))])
    ground = StringField(_l("Regel oder Rechtsvorschrift"),
                         validators=[DataRequired(REQUIRED), Length(max=300)])
    explanation = TextAreaField(_l("Erklärung für die betroffene Person"),
                                render_kw={"rows": 3})
    active = BooleanField(_l("In der Auswahl anbieten"), default=True)
    position = IntegerField(_l("Reihenfolge"), default=0, validators=[Optional()])
