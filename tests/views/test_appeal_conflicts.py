"""Nobody decides an appeal they are a party to: the author of the decided post, a reporter
behind the decision, or the moderator who decided first. Such appeals are not in their
queue or its count, their appeal page shows why and no form, and a hand-made POST is
refused and changes nothing; another moderator still decides them."""

import pytest

from forum.extensions import db
from forum.models import Appeal, AppealState, GroundKind, Report, ReportCategory, SiteRole
from forum.permissions import denial, reasons
from forum.services import moderation, queue, reports
from tests.conftest import login
from tests.factories import make_expert, make_report, make_thread, make_topic, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")  # decisions send statements


def _mod():
    return make_user(role=SiteRole.MODERATOR)


def _hide(decider, post):
    return moderation.hide_post(decider, post, ground_kind=GroundKind.RULE, ground="Regel 2",
                                facts="Beleidigend.").decision


def _report_as(user, post) -> Report:
    report, _ = reports.file_report(
        user, post, category=ReportCategory.RULES, ground="Regel 2", explanation="Beleidigend.",
        name="", email="", concerns_child_abuse=False, good_faith=True)
    return report


def _author_is_moderator():
    """A moderator's own post is hidden by another; the moderator (as author) appeals."""
    author = _mod()
    post = make_thread(make_topic().board, author).posts[0]
    decision = _hide(_mod(), post)
    return author, reports.file_appeal(decision, None, "Das war zulässig."), \
        reasons.OWN_CONTENT_APPEAL


def _reporter_is_moderator():
    """A moderator reports a post, another dismisses it; the reporter appeals."""
    reporter = _mod()
    post = make_thread(make_topic().board, make_expert()).posts[0]
    report = _report_as(reporter, post)
    decision = moderation.dismiss_reports(_mod(), post, facts="Zulässig.").decision
    appeal = reports.file_appeal(decision, db.session.get(Report, report.id), "Doch nicht!")
    return reporter, appeal, reasons.OWN_REPORT_APPEAL


def _fellow_reporter_is_moderator():
    """A moderator and a guest report a post, another moderator hides it; the author
    appeals: the moderator's report stands behind the decision as well."""
    reporter = _mod()
    post = make_thread(make_topic().board, make_expert()).posts[0]
    _report_as(reporter, post)
    make_report(post)
    decision = _hide(_mod(), post)
    return reporter, reports.file_appeal(decision, None, "Zu Unrecht."), \
        reasons.OWN_REPORT_APPEAL


def _first_decider():
    """The moderator who hid the post is asked to decide the author's appeal."""
    decider = _mod()
    post = make_thread(make_topic().board, make_expert()).posts[0]
    decision = _hide(decider, post)
    return decider, reports.file_appeal(decision, None, "Bitte prüfen."), reasons.OTHER_DECIDES


CASES = {"author": _author_is_moderator, "reporter": _reporter_is_moderator,
         "fellow reporter": _fellow_reporter_is_moderator, "first decider": _first_decider}


@pytest.mark.parametrize("case", CASES)
def test_a_party_to_the_appeal_does_not_decide_it(client, case):
    party, appeal, reason = CASES[case]()
    url = f"/moderation/beschwerden/{appeal.id}"
    assert denial("appeal.decide", party, appeal) == reason

    login(client, party)
    assert url not in client.get("/moderation").text
    assert queue.counts(party)["appeals"] == 0
    assert appeal not in queue.open_appeals(party).items
    page = client.get(url)
    assert page.status_code == 200
    assert str(reason) in page.text and "Entscheidung speichern" not in page.text
    refused = client.post(url, data={"upheld": "yes", "answer": "Selbst entschieden."})
    assert refused.status_code == 403 and str(reason) in refused.text
    db.session.expire_all()
    stored = db.session.get(Appeal, appeal.id)
    assert stored.state == AppealState.OPEN and stored.decided_by_id is None

    client.post("/konto/abmelden")
    other = _mod()
    assert queue.counts(other)["appeals"] == 1
    assert [a.id for a in queue.open_appeals(other).items] == [appeal.id]
    login(client, other)
    assert url in client.get("/moderation").text
    page = client.get(url)
    assert "Entscheidung speichern" in page.text
    client.post(url, data={"upheld": "no", "answer": "Die Entscheidung bleibt."})
    db.session.expire_all()
    stored = db.session.get(Appeal, appeal.id)
    assert stored.state == AppealState.REJECTED and stored.decided_by_id == other.id


def test_an_unrelated_report_by_the_moderator_is_no_conflict(client):
    """A report of some other post does not keep a moderator from an appeal."""
    moderator = _mod()
    board = make_topic().board
    _report_as(moderator, make_thread(board, make_expert(), title="Eine andere Frage").posts[0])
    post = make_thread(board, make_expert()).posts[0]
    appeal = reports.file_appeal(_hide(_mod(), post), None, "Bitte prüfen.")
    assert denial("appeal.decide", moderator, appeal) is None
    assert [a.id for a in queue.open_appeals(moderator).items] == [appeal.id]
    assert queue.counts(moderator)["appeals"] == 1
