"""Forms of the legal pages: Barriere melden, the operator's facts, the sign-language video,
and answering a barrier case."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..labels import SITE_FACTS as FACTS
from . import Form, once_field
from .auth import REQUIRED

VALID_EMAIL = _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel "
                 "name@example.de.")


class BarrierReportForm(Form):
    once = once_field()
    description = TextAreaField(
        _l("Was funktioniert nicht?"), validators=[DataRequired(REQUIRED), Length(max=5000)],
        description=_l("Beschreiben Sie die Barriere und, wenn Sie mögen, welche Hilfsmittel "
                       "Sie nutzen (etwa Screenreader, Vergrößerung, nur Tastatur)."),
        render_kw={"rows": 6})
    location = StringField(
        _l("Wo ist die Barriere?"), validators=[Length(max=500)],
        description=_l("Die Adresse der Seite oder der Name des Knopfs oder Formulars."))
    name = StringField(_l("Ihr Name"), validators=[Length(max=120)],
                       description=_l("Freiwillig."))
    email = EmailField(
        _l("Ihre E-Mail-Adresse"),
        validators=[Optional(), Email(VALID_EMAIL), Length(max=254)],
        description=_l("Freiwillig. Dann bestätigen wir den Eingang und antworten Ihnen."))


class BarrierAnswerForm(Form):
    answer = TextAreaField(_l("Antwort an die meldende Person"),
                           validators=[DataRequired(REQUIRED), Length(max=10000)],
                           render_kw={"rows": 8})


def _fact_field(key: str):
    label = FACTS[key]
    if key.startswith("statement_"):
        return DateField(label, validators=[Optional()], format="%Y-%m-%d")
    if key.endswith("_email"):
        return EmailField(label, validators=[Optional(), Email(VALID_EMAIL), Length(max=254)])
    if key in ("operator_address", "operator_supervisor", "content_responsible"):
        return TextAreaField(label, validators=[Length(max=1000)], render_kw={"rows": 3})
    return StringField(label, validators=[Length(max=300)])


class SiteFactsForm(Form):
    """One field per key of `site_pages.FACTS`, in its order."""

    operator_name = _fact_field("operator_name")
    operator_address = _fact_field("operator_address")
    operator_representative = _fact_field("operator_representative")
    operator_email = _fact_field("operator_email")
    operator_phone = _fact_field("operator_phone")
    operator_vat_id = _fact_field("operator_vat_id")
    operator_supervisor = _fact_field("operator_supervisor")
    content_responsible = _fact_field("content_responsible")
    editorial_email = _fact_field("editorial_email")
    moderation_email = _fact_field("moderation_email")
    accessibility_email = _fact_field("accessibility_email")
    accessibility_phone = _fact_field("accessibility_phone")
    statement_date = _fact_field("statement_date")
    statement_reviewed = _fact_field("statement_reviewed")


class SignVideoForm(Form):
    video = FileField(_l("Video in Deutscher Gebärdensprache (MP4 oder WebM)"),
                      render_kw={"accept": "video/mp4,video/webm"})
    captions = FileField(_l("Untertitel (WebVTT, .vtt)"), render_kw={"accept": ".vtt,text/vtt"})
    transcript = TextAreaField(_l("Transkript"), validators=[DataRequired(REQUIRED),
                                                          Length(max=20000)],
                               render_kw={"rows": 10})
