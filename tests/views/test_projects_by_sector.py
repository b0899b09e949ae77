"""/projekte: cards with a short description and the sectors, filters by sector and topic
field."""

from forum.extensions import db
from forum.models import Sector
from tests.factories import make_project, make_topic


def _projects():
    care = Sector(slug="pflege", name="Pflege")
    crafts = Sector(slug="handwerk", name="Handwerk")
    topic = make_topic(name="Arbeitsgestaltung und Gesundheit", slug="gesundheit")
    nursing = make_project(name="PFL-EX", description="Pflegekräfte probieren Technik aus. "
                           + "Lang " * 60, topics=[topic])
    nursing.sectors.append(care)
    clinic = make_project(name="DigiKIK", description="Kliniken führen Werkzeuge ein.")
    clinic.sectors.append(care)
    bath = make_project(name="Handwerksgeselle", description="Datenbrillen im Bad.",
                        topics=[topic])
    bath.sectors.append(crafts)
    db.session.commit()
    return nursing, clinic, bath


def test_cards_show_description_and_sectors(client):
    _projects()
    page = client.get("/projekte").text
    assert "Pflegekräfte probieren Technik aus." in page
    assert "Lang " * 60 not in page  # a short description
    assert "Bereiche: Pflege" in page and "Bereiche: Handwerk" in page
    assert "3 Projekte" in page


def test_filter_by_sector_and_topic_field(client):
    _projects()
    care = client.get("/projekte?bereich=pflege").text
    assert ">PFL-EX</a>" in care and ">DigiKIK</a>" in care and ">Handwerksgeselle</a>" not in care
    assert 'value="pflege" selected' in care
    both = client.get("/projekte?bereich=pflege&themenfeld=gesundheit").text
    assert ">PFL-EX</a>" in both and ">DigiKIK</a>" not in both and "1 Projekt" in both
    none = client.get("/projekte?bereich=handwerk&themenfeld=nichts").text
    assert ">Handwerksgeselle</a>" in none  # an unknown topic field filters nothing


def test_project_list_query_count_does_not_grow(client):
    from sqlalchemy import event

    def count():
        statements = []

        def record(*_args):
            statements.append(1)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/projekte?bereich=pflege").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    _projects()
    small = count()
    for n in range(5):
        project = make_project(name=f"Mehr {n}", topics=[make_topic()])
        project.sectors.append(db.session.scalar(db.select(Sector).filter_by(slug="pflege")))
    db.session.commit()
    assert count() == small
