"""The open-data export against a seeded set: exactly the public content, with the dates,
badges and names the pages show, and nothing that is not public (pending, hidden,
withdrawn, merged or site-only items, addresses, organisations without consent); written
atomically, with the operator's licence in every file."""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest

from forum.enums import PostKind, PostState, ProjectRole, ReportCategory, ThreadState
from forum.extensions import db
from forum.models import ExpertVerification, Post, ProjectMember, Report, Thread
from forum.services import open_data
from tests.conftest import configured
from tests.factories import make_project, make_topic, make_user

NOW = datetime(2026, 4, 2, 3, 15, tzinfo=UTC)
LICENCE = {"OPEN_DATA_LICENCE": "CC BY 4.0",
           "OPEN_DATA_LICENCE_URL": "https://creativecommons.org/licenses/by/4.0/",
           "BASE_URL": "https://fachdialog.example"}
SECRETS = ["anna@example.org", "erika@example.org", "geheim@example.org", "gast@example.org",
           "tom@example.org", "Geheim GmbH", "Versteckte Antwort", "Wartende Antwort",
           "Wartende Frage", "Ausgeblendete Frage", "Zurückgezogene Frage",
           "Zusammengeführte Frage", "Gemeldete Antwort", "Gelöschter Text", "Heimlich-Profil"]


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def _thread(board, author, title, state, when, slug="frage") -> Thread:
    thread = Thread(board_id=board.id, author_id=author.id if author else None, title=title,
                    slug=slug, state=state, created_at=when, last_activity_at=when)
    db.session.add(thread)
    db.session.flush()
    return thread


def _post(thread, author, kind, text, when, state=PostState.PUBLISHED, **extra) -> Post:
    post = Post(thread_id=thread.id, author_id=author.id if author else None, kind=kind,
                state=state, body_source=text, body_html=f"<p>{text}</p>", created_at=when,
                **extra)
    db.session.add(post)
    db.session.flush()
    return post


@pytest.fixture
def seeded(app, tmp_path):
    topic = make_topic(name="Arbeitszeit", slug="arbeitszeit", description="Zeit und Ort.")
    project = make_project(topics=[topic], name="Agile Pflege", slug="agile-pflege",
                           partners=["Uni A", "Klinik B"], period="2024–2026",
                           description="Pflege neu organisiert.", website="https://pflege.example")
    asker = make_user(display_name="Anna Asker", email="anna@example.org")
    expert = make_user(display_name="Dr. Erika Muster", email="erika@example.org",
                       organisation="Institut X", show_organisation=True, profile_public=True)
    secret = make_user(display_name="Dr. Geheim", email="geheim@example.org",
                       organisation="Geheim GmbH", show_organisation=False,
                       expertise="Heimlich-Profil")
    member = make_user(display_name="Team Tom", email="tom@example.org")
    guest = make_user(display_name="Gustav Gast", email="gast@example.org", is_guest=True)
    db.session.add_all([
        ExpertVerification(user_id=expert.id, evidence="Test", valid_from=date(2020, 1, 1),
                           valid_until=date(2099, 1, 1), topic_fields=[topic]),
        ExpertVerification(user_id=secret.id, evidence="Test", valid_from=date(2020, 1, 1),
                           valid_until=date(2099, 1, 1)),
        ProjectMember(project_id=project.id, user_id=member.id, role=ProjectRole.MEMBER)])
    Q, A, F = PostKind.QUESTION, PostKind.ANSWER, PostKind.FOLLOWUP

    main = _thread(project.board, asker, "Wie planen Sie Dienste?", ThreadState.ANSWERED,
                   at(2), slug="wie-planen-sie-dienste")
    main.me_too_count = 3
    _post(main, asker, Q, "Wie **planen** Sie?", at(2))
    helpful = _post(main, expert, A, "Mit Wunschplänen.", at(2, 12),
                    edited_at=at(3))
    _post(main, member, A, "Wir probieren es aus.", at(2, 13))
    _post(main, make_user(), A, "Versteckte Antwort", at(2, 14), PostState.HIDDEN)
    _post(main, make_user(), A, "Wartende Antwort", at(2, 15), PostState.PENDING)
    _post(main, asker, F, "Danke, und nachts?", at(2, 16))
    _post(main, None, A, "Von einem gelöschten Konto.", at(2, 17))
    reported = _post(main, make_user(), A, "Gemeldete Antwort", at(2, 18))
    db.session.add(Report(post_id=reported.id, category=ReportCategory.ILLEGAL,
                          explanation="x", concerns_threat=True, created_at=at(3)))
    main.accepted_post_id = helpful.id

    guest_thread = _thread(topic.board, guest, "Gilt das auch für Teilzeit?", ThreadState.OPEN,
                           at(5), slug="teilzeit")
    _post(guest_thread, guest, Q, "Frage eines Gastes.", at(5))
    _post(guest_thread, secret, A, "Ja, anteilig.", at(6))

    removed = _thread(topic.board, None, "Frage ohne Text", ThreadState.OPEN, at(7),
                      slug="ohne-text")
    _post(removed, None, Q, "", at(7), PostState.REMOVED)
    _post(removed, expert, A, "Eine Antwort bleibt.", at(8))

    for title, state in (("Wartende Frage", ThreadState.PENDING),
                         ("Ausgeblendete Frage", ThreadState.HIDDEN),
                         ("Zurückgezogene Frage", ThreadState.WITHDRAWN),
                         ("Zusammengeführte Frage", ThreadState.MERGED),
                         ("Unbestätigte Frage", ThreadState.UNCONFIRMED)):
        hidden = _thread(topic.board, asker, title, state, at(9))
        _post(hidden, asker, Q, f"{title}: Gelöschter Text", at(9),
              PostState.PENDING if state == ThreadState.PENDING else PostState.PUBLISHED)
    # an open thread whose question itself is hidden (no public question): left out
    headless = _thread(topic.board, asker, "Ausgeblendete Frage 2", ThreadState.OPEN, at(10))
    _post(headless, asker, Q, "Gelöschter Text", at(10), PostState.HIDDEN)
    db.session.commit()
    with configured(app, OPEN_DATA_DIR=str(tmp_path), **LICENCE):
        yield {"main": main, "helpful": helpful, "dir": tmp_path, "project": project,
               "guest_thread": guest_thread, "removed": removed}


def _json(seeded) -> dict:
    return json.loads((seeded["dir"] / open_data.JSON_NAME).read_text(encoding="utf-8"))


def test_export_writes_exactly_the_public_questions(seeded):
    manifest = open_data.export(now=NOW)
    data = _json(seeded)

    assert data["exported_at"] == "2026-04-02T03:15:00+00:00"
    assert data["source"] == "https://fachdialog.example"
    assert data["licence"]["name"] == "CC BY 4.0"
    assert "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in (
        data["licence"]["statement"])
    assert data["topic_fields"] == [{
        "slug": "arbeitszeit", "name": "Arbeitszeit",
        "url": "https://fachdialog.example/themen/arbeitszeit", "description": "Zeit und Ort."}]
    assert data["projects"] == [{
        "slug": "agile-pflege", "name": "Agile Pflege",
        "url": "https://fachdialog.example/projekte/agile-pflege",
        "lead_organisation": "Träger e. V.", "partners": ["Uni A", "Klinik B"],
        "period": "2024–2026", "status": "running", "topic_fields": ["arbeitszeit"],
        "sectors": [], "website": "https://pflege.example",
        "description": "Pflege neu organisiert."}]
    main, helpful = seeded["main"], seeded["helpful"]
    assert [q["title"] for q in data["questions"]] == [
        "Wie planen Sie Dienste?", "Gilt das auch für Teilzeit?", "Frage ohne Text"]
    first = data["questions"][0]
    posts = first.pop("posts")
    assert first == {
        "id": main.id,
        "url": f"https://fachdialog.example/fragen/{main.id}-wie-planen-sie-dienste",
        "title": "Wie planen Sie Dienste?", "board_kind": "project",
        "board_slug": "agile-pflege", "state": "answered", "locked": False,
        "created_at": "2026-03-02T10:00:00+00:00",
        "last_activity_at": "2026-03-02T10:00:00+00:00", "same_question_count": 3,
        "answer_count": 3, "helpful_answer_id": helpful.id, "demo": False}
    summary = [(p["kind"], p["author"], p["badge_kind"], p["badge"], p["organisation"],
                p["helpful_answer"], p["text"]) for p in posts]
    assert summary == [
        ("question", "Anna Asker", None, None, None, False, "Wie **planen** Sie?"),
        ("answer", "Dr. Erika Muster", "expert", "Fachperson für Arbeitszeit", "Institut X",
         True, "Mit Wunschplänen."),
        ("answer", "Team Tom", "team", "Projektteam Agile Pflege", None, False,
         "Wir probieren es aus."),
        ("followup", "Anna Asker", None, None, None, False, "Danke, und nachts?"),
        ("answer", "Gelöschtes Konto", None, None, None, False,
         "Von einem gelöschten Konto."),
    ]
    assert posts[1]["created_at"] == "2026-03-02T12:00:00+00:00"
    assert posts[1]["edited_at"] == "2026-03-03T10:00:00+00:00"
    assert set(posts[0]) == set(open_data.POST_FIELDS)

    guest_posts = data["questions"][1]["posts"]
    assert [(p["author"], p["badge"], p["organisation"]) for p in guest_posts] == [
        ("Gustav Gast", "Gast", None), ("Dr. Geheim", "Fachperson", None)]
    removed = data["questions"][2]["posts"]
    assert [(p["kind"], p["author"], p["removed"], p["text"]) for p in removed] == [
        ("question", "Gelöschtes Konto", True, ""),
        ("answer", "Dr. Erika Muster", False, "Eine Antwort bleibt.")]
    assert manifest["counts"] == {"topic_fields": 1, "projects": 1, "questions": 3,
                                  "posts": 9}


def test_export_leaks_nothing_that_is_not_public(seeded):
    open_data.export(now=NOW)
    texts = [(seeded["dir"] / open_data.JSON_NAME).read_text(encoding="utf-8")]
    with zipfile.ZipFile(seeded["dir"] / open_data.ZIP_NAME) as archive:
        texts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text
        assert "email" not in text and "@" not in text


def test_csv_files_hold_the_same_rows_and_the_licence(seeded):
    open_data.export(now=NOW)
    with zipfile.ZipFile(seeded["dir"] / open_data.ZIP_NAME) as archive:
        assert sorted(archive.namelist()) == ["LIZENZ.txt", "beitraege.csv", "fragen.csv",
                                              "projekte.csv", "themenfelder.csv"]
        licence = archive.read("LIZENZ.txt").decode("utf-8")
        assert "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in licence
        assert "Stand: 2026-04-02T03:15:00+00:00 (UTC)" in licence
        assert "CC BY 4.0" in archive.comment.decode("utf-8")
        questions = list(csv.DictReader(io.StringIO(archive.read("fragen.csv").decode())))
        posts = list(csv.DictReader(io.StringIO(archive.read("beitraege.csv").decode())))
        projects = list(csv.DictReader(io.StringIO(archive.read("projekte.csv").decode())))
    assert [q["title"] for q in questions] == [
        "Wie planen Sie Dienste?", "Gilt das auch für Teilzeit?", "Frage ohne Text"]
    assert questions[0]["same_question_count"] == "3"
    assert questions[0]["helpful_answer_id"] == str(seeded["helpful"].id)
    assert len(posts) == 9
    assert posts[1]["badge"] == "Fachperson für Arbeitszeit"
    assert posts[1]["helpful_answer"] == "true"
    assert projects[0]["partners"] == "Uni A; Klinik B"


def test_export_replaces_files_atomically(seeded, monkeypatch):
    open_data.export(now=NOW)
    before = {name: (seeded["dir"] / name).read_bytes()
              for name in (open_data.JSON_NAME, open_data.ZIP_NAME, open_data.MANIFEST)}

    def broken():
        yield from []
        raise RuntimeError("database gone")

    monkeypatch.setattr(open_data, "questions", broken)
    with pytest.raises(RuntimeError):
        open_data.export(now=datetime(2026, 4, 3, tzinfo=UTC))
    after = {name: (seeded["dir"] / name).read_bytes() for name in before}
    assert after == before  # the last complete export stays
    assert sorted(p.name for p in seeded["dir"].iterdir()) == sorted(before)  # no leftovers
    assert open_data.latest()["exported_at"] == NOW


def test_latest_without_export_is_none(seeded):
    assert open_data.latest() is None
    assert open_data.file_path(open_data.JSON_NAME) is None
    assert open_data.file_path("../manifest.json") is None
