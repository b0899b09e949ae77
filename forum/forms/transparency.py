"""The period of the transparency report: two days, read from the address (a GET form)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField

from . import Form

NOT_A_DATE = _l("Bitte geben Sie ein Datum im Format JJJJ-MM-TT an, zum Beispiel 2026-01-31.")


class DayField(DateField):
    """A day as <input type="date"> sends it; anything else is refused with a German
    message, and the page shows what was typed."""

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = None  # left empty: the service names what is missing
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(NOT_A_DATE)) from error


class PeriodForm(Form):
    """Shown and sent with GET, so it changes nothing and carries no CSRF token."""

    class Meta(Form.Meta):
        csrf = False

    von = DayField(_l("Erster Tag"), format="%Y-%m-%d")
    bis = DayField(_l("Letzter Tag"), format="%Y-%m-%d")


class StatisticsForm(PeriodForm):
    """The operator's statistics: a period and, optionally, a project or topic field (the
    choices come from the service, which also refuses an unknown one next to the field)."""

    bereich = SelectField(_l("Projekt oder Themenfeld"), validate_choice=False)
