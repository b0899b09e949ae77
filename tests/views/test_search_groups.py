"""Projects, topic fields, experts (only those in the public directory) and project updates
are result groups of their own on the search page, narrowed by its filters."""

from forum.extensions import db
from forum.models import Sector
from forum.services import search_groups, updates
from tests.factories import make_expert, make_project, make_thread, make_topic, make_user


def test_project_found_by_name_description_and_sector(app):
    care = Sector(slug="pflege-x", name="Pflege")
    project = make_project(name="PFL-EX", description="Pflegekräfte erproben digitale Technik.")
    project.sectors.append(care)
    other = make_project(name="Handwerk digital", description="Datenbrillen im Bad.")
    db.session.commit()
    assert search_groups.find("PFL-EX").projects == [project]
    assert search_groups.find("Pflege").projects == [project]  # compound in the description
    assert search_groups.find("Datenbrille").projects == [other]
    assert search_groups.find("Pflege", project_id=other.id).projects == []


def test_topic_fields_and_updates(app):
    topic = make_topic(name="Arbeitszeit und Gesundheit", description="Schichtarbeit")
    project = make_project(topics=[topic])
    lead = make_user(project=project)
    update = updates.publish(lead, project, "Neue Arbeitszeitmodelle erprobt",
                             "Wir testen Vertrauensarbeitszeit.")
    found = search_groups.find("Arbeitszeit")
    assert found.topics == [topic] and found.updates == [update]
    assert search_groups.find("Schicht").topics == [topic]
    assert search_groups.find("Arbeitszeit", topic_id=topic.id + 1000).updates == []


def test_only_experts_who_consented_are_found(app):
    public = make_expert(display_name="Frau Arbeitsschutz", expertise="Gefährdungsbeurteilung")
    public.profile_public = True
    public.show_expertise = True
    hidden = make_expert(display_name="Herr Arbeitsschutz")  # no public profile
    db.session.commit()
    assert search_groups.find("Arbeitsschutz").experts == [public]
    assert search_groups.find("Beurteilung").experts == [public]
    assert hidden not in search_groups.find("Herr").experts


def test_search_page_shows_the_groups_beside_the_questions(client):
    project = make_project(name="PFL-EX", description="Pflegekräfte in Lernräumen.")
    make_thread(project.board, make_expert(), title="Wie reagieren Pflegekräfte?",
                body="Erfahrungen?")
    page = client.get("/suche?q=Pflege").text
    assert 'id="treffer-projekte"' in page and ">PFL-EX</a>" in page
    assert page.count("Wie reagieren Pflegekräfte?</a>") == 1


def test_search_page_query_count_does_not_grow_with_groups(client):
    from sqlalchemy import event

    def grow(n):
        for i in range(n):
            project = make_project(name=f"Gleitzeit Projekt {i}", description="Gleitzeit")
            project.sectors.append(Sector(slug=f"bereich-{project.id}", name="Verwaltung"))
            updates.publish(make_user(project=project), project, f"Gleitzeit {i}", "Gleitzeit")
            expert = make_expert(display_name=f"Gleitzeit Fachfrau {i}")
            expert.profile_public = True
            make_thread(project.board, expert, title=f"Gleitzeit Frage {i}", body="Gleitzeit")
        db.session.commit()

    def count():
        statements = []

        def record(*_args):
            statements.append(1)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/suche?q=Gleitzeit").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    grow(2)
    small = count()
    grow(6)
    assert count() == small
