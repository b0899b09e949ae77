from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from .. import labels
from . import Form, choices
from .auth import REQUIRED

SLUG = Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
              message=_l("Nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. mein-projekt."))
WEB_URL = URL(message=_l("Bitte eine vollständige Adresse mit https:// angeben."))

APPROVE_ALL = _l("Jeden Beitrag in diesem Bereich vor der Veröffentlichung prüfen")


def _escalation_field():
    return IntegerField(
        _l("Tage bis zur Eskalation unbeantworteter Fragen"), default=5,
        validators=[DataRequired(_l("Bitte geben Sie eine Zahl von 1 bis 60 an.")),
                    NumberRange(1, 60, _l("Bitte geben Sie eine Zahl von 1 bis 60 an."))],
        description=_l("Danach werden Moderation und Fachleute der Themenfelder "
                       "benachrichtigt."))



class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=160)])
    lead_organisation = StringField(_l("Träger"), validators=[Length(max=300)])
    partners = TextAreaField(_l("Partner"), description=_l("Ein Partner je Zeile."),
                             render_kw={"rows": 4})
    period = StringField(_l("Laufzeit"), validators=[Length(max=80)],
                         description=_l("z. B. 01.11.2018–31.10.2021"))
    status = SelectField(_l("Status"), choices=choices(labels.PROJECT_STATUSES))
    website = URLField(_l("Website"), validators=[Optional(), WEB_URL, Length(max=300)])
    description = TextAreaField(_l("Beschreibung"), validators=[DataRequired(REQUIRED)],
                                render_kw={"rows": 6})
    topic_fields = CheckboxListField(_l("Themenfelder"), coerce=int)
    sectors = CheckboxListField(_l("Bereiche"), coerce=int)
    require_approval = BooleanField(APPROVE_ALL)
    escalate_after_days = _escalation_field()


class NewProjectForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=160)])
    slug = StringField(_l("Kurzbezeichnung für die Adresse"),
                       validators=[DataRequired(REQUIRED), Length(max=80), SLUG])


class MemberForm(Form):
    email = EmailField(_l("E-Mail-Adresse des Kontos"), validators=[DataRequired(REQUIRED)])
    role = SelectField(_l("Rolle im Projekt"),
                       choices=choices(labels.PROJECT_ROLES))


class TeamMemberForm(Form):
    """A project lead adds a team member by the address of their account."""

    email = EmailField(_l("E-Mail-Adresse des Kontos"), validators=[DataRequired(REQUIRED)],
                       description=_l("Die Person braucht ein bestätigtes Konto. Die Adresse "
                                      "wird nirgends angezeigt."))


class TopicFieldForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    description = TextAreaField(_l("Beschreibung"), render_kw={"rows": 4})
    require_approval = BooleanField(APPROVE_ALL)
    escalate_after_days = _escalation_field()


class OfferForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    slug = StringField(_l("Kurzbezeichnung"),
                       validators=[DataRequired(REQUIRED), Length(max=80), SLUG])
    url = URLField(_l("Website"), validators=[Optional(), WEB_URL, Length(max=300)])
    description = TextAreaField(_l("Beschreibung"), validators=[DataRequired(REQUIRED)],
                                render_kw={"rows": 4})
    position = IntegerField(_l("Reihenfolge"), default=0,
                            validators=[Optional()],
                            description=_l("Kleinere Zahlen stehen weiter oben."))


class PageForm(Form):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=160)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[DataRequired(REQUIRED)],
                         render_kw={"rows": 16})


class SiteRoleForm(Form):
    site_role = SelectField(_l("Rolle"),
                            choices=choices(labels.SITE_ROLES))
