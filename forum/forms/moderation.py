from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
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
                                        "„Dialogregel 2: respektvoll bleiben“."))
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
    good_faith = BooleanField(
        _l("Ich bin in gutem Glauben, dass meine Angaben richtig und vollständig sind."),
        validators=[DataRequired(_l("Bitte bestätigen Sie, dass Ihre Angaben nach bestem "
                                    "Wissen richtig und vollständig sind."))])


class ReasonedForm(Form):
    """A restricting action: the rule or law, and the facts."""

    ground_kind = RadioField(_l("Grundlage"), choices=choices(labels.GROUND_CHOICES),
                             validators=[DataRequired(_l("Bitte wählen Sie eine Grundlage."))])
    ground = StringField(_l("Regel oder Rechtsvorschrift"),
                         validators=[DataRequired(REQUIRED), Length(max=300)])
    facts = TextAreaField(_l("Tatsachen und Umstände"), validators=[DataRequired(REQUIRED)],
                          description=_l("Diese Begründung erhält die Person, die den Beitrag "
                                         "geschrieben hat."), render_kw={"rows": 4})


class RejectForm(Form):
    reason = SelectField(_l("Grund"), coerce=int,
                         validators=[DataRequired(_l("Bitte wählen Sie einen Grund aus."))])
    facts = TextAreaField(_l("Tatsachen und Umstände"), validators=[DataRequired(REQUIRED)],
                          description=_l("Diese Begründung erhält die Person, die den Beitrag "
                                         "geschrieben hat."), render_kw={"rows": 4})


class ApproveEditForm(Form):
    body = TextAreaField(_l("Text des Beitrags"), validators=[DataRequired(REQUIRED)],
                         render_kw={"rows": 8})


class NoteForm(Form):
    facts = TextAreaField(_l("Begründung"), validators=[DataRequired(REQUIRED)],
                          render_kw={"rows": 3})


class MoveForm(Form):
    board = SelectField(_l("Neuer Bereich"), coerce=int,
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
