"""Practice examples (Praxisbeispiele): a project's team publishes one with a contact from
its team; /praxisbeispiele lists them with filters by topic field and sector; each shows on
its project's page, in the search and in a feed, takes questions that link back to it, and is
reported and moderated like a project update."""

import re

import feedparser
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Decision,
    PracticeExample,
    ProjectRole,
    ProjectUpdate,
    Report,
    Sector,
    SiteRole,
    Thread,
    UpdateKind,
)
from forum.services import InputErrors, practice
from tests.conftest import _client_as, login
from tests.factories import make_expert, make_project, make_topic, make_user

TITLE = "Dienstplan-App für die Nachtschicht"


def _form(contact_id, **changes) -> dict:
    data = {"title": TITLE, "setting": "Stationäre **Altenpflege**, 40 Pflegekräfte",
            "body": "Wir haben Wunschdienste per App gesammelt.",
            "outcome": "Weniger kurzfristige Wechsel.", "lessons": "Früh mit dem Betriebsrat "
            "sprechen.", "contact": str(contact_id)}
    data.update(changes)
    return data


def _parts(contact, **changes) -> practice.Parts:
    values = {"title": TITLE, "approach": "Wunschdienste per App.", "setting": "Altenpflege",
              "outcome": "Weniger Wechsel.", "lessons": "Betriebsrat früh einbinden.",
              "contact_id": contact.id}
    values.update(changes)
    return practice.Parts(**values)


@pytest.fixture
def setting(app):
    """Two projects: care (topic field Gesundheit, sector Pflege) and crafts."""
    health = make_topic(name="Arbeitsgestaltung und Gesundheit", slug="gesundheit")
    care = make_project(name="PFL-EX", topics=[health])
    care.sectors.append(Sector(slug="pflege", name="Pflege"))
    crafts = make_project(name="Handwerksgeselle")
    crafts.sectors.append(Sector(slug="handwerk", name="Handwerk"))
    db.session.commit()
    member = make_user(project=care, display_name="Tina Team", email="tina@example.org")
    contact = make_user(project=care, display_name="Karl Kontakt")
    return care, crafts, member, contact


@pytest.mark.parametrize("who,allowed", [("member", True), ("lead", True), ("admin", True),
                                         ("expert", False), ("other_member", False),
                                         ("moderator", False)])
def test_who_publishes_practice_examples(client, setting, who, allowed):
    care, _crafts, _member, contact = setting
    user = {"member": lambda: make_user(project=care),
            "lead": lambda: make_user(project=care, project_role=ProjectRole.LEAD),
            "admin": lambda: make_user(role=SiteRole.ADMIN),
            "expert": lambda: make_expert(),
            "other_member": lambda: make_user(project=make_project()),
            "moderator": lambda: make_user(project=care,
                                           project_role=ProjectRole.MODERATOR)}[who]()
    login(client, user)
    response = client.post(f"/projekte/{care.slug}/praxisbeispiele/neu",
                           data=_form(contact.id))
    assert (response.status_code == 302) == allowed
    assert (db.session.scalar(select(PracticeExample)) is not None) == allowed


def test_team_publishes_and_the_page_shows_every_part(client, setting):
    care, _crafts, member, contact = setting
    login(client, member)
    form = client.get(f"/projekte/{care.slug}/praxisbeispiele/neu").text
    assert ">Karl Kontakt</option>" in form and ">Tina Team</option>" in form
    response = client.post(f"/projekte/{care.slug}/praxisbeispiele/neu",
                           data=_form(contact.id))
    example = db.session.scalar(select(ProjectUpdate))
    assert example.kind == UpdateKind.PRACTICE and example.practice.contact_id == contact.id
    assert response.headers["Location"] == f"/praxisbeispiele/{example.id}-{example.slug}"
    page = client.get(response.headers["Location"]).text
    for text in ("Wo und für wen?", "<strong>Altenpflege</strong>", "Wunschdienste per App",
                 "Weniger kurzfristige Wechsel.", "Früh mit dem Betriebsrat",
                 "Ansprechperson im Team", "Karl Kontakt"):
        assert text in page
    # on its project's page, among the practice examples and not among the news
    project_page = client.get(f"/projekte/{care.slug}").text
    examples = project_page.split('id="praxisbeispiele"')[1].split("</section>")[0]
    news = project_page.split('id="neuigkeiten"')[1].split("</section>")[0]
    assert TITLE in examples and TITLE not in news
    assert TITLE not in client.get("/feeds/neuigkeiten.atom").text
    # the update address of it leads to its page
    old = client.get(f"/projekte/{care.slug}/neuigkeiten/{example.id}-{example.slug}")
    assert old.status_code == 301
    assert old.headers["Location"].endswith(f"/praxisbeispiele/{example.id}-{example.slug}")


def test_contact_must_be_in_the_projects_team(client, setting):
    care, crafts, member, _contact = setting
    outsider = make_user(project=crafts, display_name="Otto Anderswo")
    project_mod = make_user(project=care, project_role=ProjectRole.MODERATOR)
    login(client, member)
    for person in (outsider, project_mod):
        response = client.post(f"/projekte/{care.slug}/praxisbeispiele/neu",
                               data=_form(person.id, outcome="Mein getippter Text"))
        assert response.status_code == 200
        assert "nur sein, wer zum Team des Projekts gehört" in response.text
        assert "Mein getippter Text" in response.text  # nothing typed is lost
    form = client.get(f"/projekte/{care.slug}/praxisbeispiele/neu").text
    assert "Otto Anderswo" not in form
    for odd in ("keine-zahl", "99999999999999999999", "-3", "٣"):
        response = client.post(f"/projekte/{care.slug}/praxisbeispiele/neu", data=_form(odd))
        assert response.status_code == 200
        assert "Bitte wählen Sie eine Ansprechperson" in response.text
    assert db.session.scalar(select(ProjectUpdate)) is None


def test_every_part_is_required_and_said_at_once(setting):
    care, _crafts, member, contact = setting
    with pytest.raises(InputErrors) as raised:
        practice.publish(member, care, _parts(contact, setting=" ", lessons=""))
    assert {e.field for e in raised.value.errors} == {"setting", "lessons"}
    assert db.session.scalar(select(ProjectUpdate)) is None


def test_list_filters_by_topic_field_and_sector(client, setting):
    care, crafts, member, contact = setting
    practice.publish(member, care, _parts(contact))
    crafts_member = make_user(project=crafts)
    practice.publish(crafts_member, crafts, _parts(crafts_member, title="Datenbrille im Bad"))
    everything = client.get("/praxisbeispiele").text
    assert TITLE in everything and "Datenbrille im Bad" in everything
    assert "2 Praxisbeispiele" in everything
    by_topic = client.get("/praxisbeispiele?themenfeld=gesundheit").text
    assert TITLE in by_topic and "Datenbrille im Bad" not in by_topic
    assert 'value="gesundheit" selected' in by_topic
    by_sector = client.get("/praxisbeispiele?bereich=handwerk").text
    assert TITLE not in by_sector and "Datenbrille im Bad" in by_sector
    none = client.get("/praxisbeispiele?bereich=handwerk&themenfeld=gesundheit").text
    assert "Kein Praxisbeispiel passt zu diesen Filtern." in none
    assert "2 Praxisbeispiele" in client.get("/praxisbeispiele?bereich=unbekannt").text


def test_feed_lists_them_with_their_parts(client, setting):
    care, _crafts, member, contact = setting
    example = practice.publish(member, care, _parts(contact))
    feed = feedparser.parse(client.get("/feeds/praxisbeispiele.atom").data)
    [entry] = feed.entries
    assert entry.title == f"PFL-EX: {TITLE}"
    assert entry.link.endswith(f"/praxisbeispiele/{example.id}-{example.slug}")
    assert "Was können andere übernehmen?" in entry.content[0].value
    assert "Betriebsrat früh einbinden." in entry.content[0].value
    assert 'href="/feeds/praxisbeispiele.atom"' in client.get("/praxisbeispiele").text


def test_search_finds_them_in_a_group_of_their_own(client, setting):
    care, _crafts, member, contact = setting
    example = practice.publish(member, care, _parts(contact, lessons="Schichtleitungen "
                                                    "früh einbinden."))
    page = client.get("/suche?q=Schichtleitung").text  # a part of the text, not the title
    group = page.split('id="treffer-praxisbeispiele"')[1].split("</section>")[0]
    assert f'href="/praxisbeispiele/{example.id}-{example.slug}"' in group
    assert 'id="treffer-neuigkeiten"' not in page


def test_question_about_it_links_back(client, setting):
    care, _crafts, member, contact = setting
    example = practice.publish(member, care, _parts(contact))
    page = client.get(f"/praxisbeispiele/{example.id}-{example.slug}").text
    assert f'href="/fragen/neu?neuigkeit={example.id}"' in page
    login(client, make_expert())
    form = client.get(f"/fragen/neu?neuigkeit={example.id}").text
    assert f"Praxisbeispiel „{TITLE}“" in form
    client.post("/fragen/neu", data={"board": care.board.id, "update": example.id,
                                     "title": "Wie haben Sie den Betriebsrat gewonnen?",
                                     "body": "Bitte erzählen Sie mehr."})
    thread = db.session.scalar(select(Thread))
    assert thread.update_id == example.id
    for _ in range(2):  # the reload's thread is the kept one: its example loads as asked
        question = client.get(f"/fragen/{thread.id}-{thread.slug}").text
        assert "Frage zum Praxisbeispiel" in question
        assert f'href="/praxisbeispiele/{example.id}-{example.slug}"' in question
    assert "Wie haben Sie den Betriebsrat gewonnen?" in client.get(
        f"/praxisbeispiele/{example.id}-{example.slug}").text


def test_edit_by_its_author_keeps_text_on_errors(client, setting):
    care, _crafts, member, contact = setting
    example = practice.publish(member, care, _parts(contact))
    login(client, member)
    form = client.get(f"/praxisbeispiele/{example.id}/bearbeiten").text
    assert "Betriebsrat früh einbinden." in form
    response = client.post(f"/praxisbeispiele/{example.id}/bearbeiten",
                           data=_form(contact.id, title="", outcome="Neues Ergebnis"))
    assert "Bitte füllen Sie dieses Feld aus" in response.text
    assert "Neues Ergebnis" in response.text
    client.post(f"/praxisbeispiele/{example.id}/bearbeiten",
                data=_form(member.id, outcome="Neues Ergebnis"))
    db.session.expire_all()
    example = db.session.get(ProjectUpdate, example.id)
    assert example.practice.outcome_source == "Neues Ergebnis"
    assert example.practice.contact_id == member.id and example.edited_at is not None
    login(client, make_user(project=make_project()))
    assert client.get(f"/praxisbeispiele/{example.id}/bearbeiten").status_code == 403


@pytest.mark.usefixtures("smtp_sink")
def test_reported_and_hidden_like_an_update(app, client, setting, smtp_sink):
    care, _crafts, member, contact = setting
    example = practice.publish(member, care, _parts(contact))
    project_mod = _client_as(app, make_user(project=care, project_role=ProjectRole.MODERATOR))
    page = client.get(f"/praxisbeispiele/{example.id}-{example.slug}").text
    assert f'href="/neuigkeiten/{example.id}/melden"' in page
    form = client.get(f"/neuigkeiten/{example.id}/melden").text
    assert "Praxisbeispiel melden" in form
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', form).group(1)
    sent = client.post(f"/neuigkeiten/{example.id}/melden", data={
        "once": once, "category": "illegal", "ground": "Art. 6 DSGVO",
        "explanation": "Nennt eine Bewohnerin.", "name": "Maria Melder",
        "email": "maria@example.org", "good_faith": "y"})
    assert "Zurück zum Praxisbeispiel" in sent.text
    report = db.session.scalar(select(Report))
    assert report.update_id == example.id
    queue = project_mod.get("/moderation").text
    assert f"Praxisbeispiel: {TITLE}" in queue
    detail = project_mod.get(f"/moderation/neuigkeiten/{example.id}").text
    assert "Praxisbeispiel moderieren" in detail and "Betriebsrat früh einbinden." in detail
    hidden = project_mod.post(f"/moderation/neuigkeiten/{example.id}/ausblenden", data={
        "hide-version": "0", "hide-reason": "0", "hide-ground_kind": "law",
        "hide-ground": "Art. 6 DSGVO", "hide-facts": "Nennt eine Bewohnerin."})
    assert hidden.status_code == 302
    assert client.get(f"/praxisbeispiele/{example.id}-{example.slug}").status_code == 404
    assert TITLE not in client.get("/praxisbeispiele").text
    assert TITLE not in client.get(f"/projekte/{care.slug}").text
    assert TITLE not in client.get("/feeds/praxisbeispiele.atom").text
    assert TITLE not in client.get("/suche?q=Dienstplan").text
    decision = db.session.scalar(select(Decision))
    assert decision.update_id == example.id
    [statement] = [m for m in smtp_sink[1] if m["To"] == "tina@example.org"]
    body = statement.get_body(("plain",)).get_content()
    assert f"Ihrem Praxisbeispiel „{TITLE}“" in body and "Betroffenes Praxisbeispiel" in body


def test_list_pages_through_many_with_the_filters_kept(client, setting):
    care, _crafts, member, contact = setting
    for i in range(practice.PER_PAGE + 3):
        practice.publish(member, care, _parts(contact, title=f"Beispiel Nummer {i:02d}"))
    first = client.get("/praxisbeispiele?themenfeld=gesundheit").text
    assert f"{practice.PER_PAGE + 3} Praxisbeispiele" in first
    assert "Beispiel Nummer 22" in first and "Beispiel Nummer 00" not in first
    assert ('href="/praxisbeispiele?seite=2&amp;themenfeld=gesundheit&amp;bereich=&amp;'
            'projekt="') in first
    second = client.get("/praxisbeispiele?seite=2&themenfeld=gesundheit").text
    assert "Beispiel Nummer 00" in second and "Beispiel Nummer 22" not in second
    assert client.get("/praxisbeispiele?seite=999999999999999999").status_code == 200


def test_project_page_shows_the_newest_and_links_to_all_of_them(client, setting):
    care, crafts, member, contact = setting
    for i in range(7):
        practice.publish(member, care, _parts(contact, title=f"Beispiel Nummer {i}"))
    crafts_member = make_user(project=crafts)
    practice.publish(crafts_member, crafts, _parts(crafts_member, title="Datenbrille im Bad"))
    page = client.get(f"/projekte/{care.slug}").text
    assert "Beispiel Nummer 6" in page and "Beispiel Nummer 1" not in page
    assert f'href="/praxisbeispiele?projekt={care.slug}"' in page
    all_of_them = client.get(f"/praxisbeispiele?projekt={care.slug}").text
    assert "7 Praxisbeispiele" in all_of_them and "Datenbrille im Bad" not in all_of_them
    assert "Praxisbeispiele des Projekts PFL-EX." in all_of_them
    assert f'name="projekt" value="{care.slug}"' in all_of_them  # the filters keep it
