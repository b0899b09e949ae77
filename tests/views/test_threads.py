from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Board, Post, PostKind, PostRevision, SiteRole, Thread, ThreadState
from tests.conftest import login
from tests.factories import (
    make_answer,
    make_expert,
    make_project,
    make_thread,
    make_topic,
    make_user,
)


def _ask(client, board, **overrides):
    data = {"board": board.id, "title": "Wie führen wir Gleitzeit ein?",
            "body": "Wir sind ein **kleiner** Betrieb."}
    data.update(overrides)
    return client.post("/fragen/neu", data=data)


def test_ask_as_visitor_offers_the_guest_form_with_a_log_in_link(client):
    response = client.get("/fragen/neu")
    assert response.status_code == 200
    assert 'name="email"' in response.text and 'name="anmelden"' in response.text


def test_ask_preview_renders_markdown_and_saves_nothing(user_client):
    topic = make_topic()
    response = _ask(user_client, topic.board, preview="Vorschau")
    assert "<strong>kleiner</strong>" in response.text
    assert "Wir sind ein **kleiner** Betrieb." in response.text  # the textarea keeps the source
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0


def test_ask_valid_question_creates_thread_and_counts_it(user_client):
    topic = make_topic()
    response = _ask(user_client, topic.board)
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"] == f"/fragen/{thread.id}-wie-fuehren-wir-gleitzeit-ein"
    assert db.session.get(Board, topic.board.id).thread_count == 1
    page = user_client.get(response.headers["Location"]).text
    assert "<strong>kleiner</strong>" in page
    assert "Ihre Frage ist veröffentlicht" in page


def test_ask_invalid_input_keeps_text_and_saves_nothing(user_client):
    topic = make_topic()
    response = _ask(user_client, topic.board, title="kurz")
    assert response.status_code == 200
    assert "Der Titel muss 8 bis 200 Zeichen lang sein" in response.text
    assert "Wir sind ein **kleiner** Betrieb." in response.text
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0


def test_ask_preselects_board_from_query(user_client):
    project = make_project(name="Digitaler Betrieb")
    text = user_client.get(f"/fragen/neu?bereich={project.board.id}").text
    assert f'<option selected value="{project.board.id}">Digitaler Betrieb</option>' in text


def test_thread_page_shows_answer_with_expert_badge_and_german_date(client):
    topic = make_topic()
    thread = make_thread(topic.board, make_user())
    make_answer(thread, make_expert(display_name="Dr. Weber", organisation="Institut X",
                                    show_organisation=True), body="Antwort *hier*")
    text = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Dr. Weber" in text and "Fachperson" in text and "Institut X" in text
    assert "<em>hier</em>" in text
    assert " Uhr" in text and "1 Antwort" in text


def test_thread_page_badge_names_project_team(client):
    project = make_project(name="AgilKom")
    thread = make_thread(project.board, make_user())
    make_answer(thread, make_user(project=project, display_name="Team Person"))
    assert "Projektteam AgilKom" in client.get(f"/fragen/{thread.id}-{thread.slug}").text


def test_thread_wrong_slug_redirects_to_canonical(client):
    thread = make_thread(make_topic().board, make_user())
    response = client.get(f"/fragen/{thread.id}-falsch")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/fragen/{thread.id}-{thread.slug}")


def test_answer_as_expert_updates_counters_atomically(expert_client):
    thread = make_thread(make_topic().board, make_user())
    url = f"/fragen/{thread.id}-{thread.slug}"
    response = expert_client.post(url, data={"body": "So geht es."})
    assert response.status_code == 302
    db.session.expire_all()
    thread = db.session.get(Thread, thread.id)
    assert (thread.answer_count, thread.reply_count) == (1, 1)


def test_answer_form_hidden_and_post_refused_for_plain_user(user_client):
    thread = make_thread(make_topic().board, make_user())
    url = f"/fragen/{thread.id}-{thread.slug}"
    assert "Antwort veröffentlichen" not in user_client.get(url).text
    assert user_client.post(url, data={"body": "Ich antworte trotzdem"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_answer_by_visitor_redirects_to_login(client):
    thread = make_thread(make_topic().board, make_user())
    response = client.post(f"/fragen/{thread.id}-{thread.slug}", data={"body": "x"})
    assert response.status_code == 302 and "/konto/anmelden" in response.headers["Location"]


def test_member_of_other_project_cannot_answer(client):
    project, other = make_project(), make_project()
    thread = make_thread(project.board, make_user())
    login(client, make_user(project=other))
    assert client.post(f"/fragen/{thread.id}-{thread.slug}",
                       data={"body": "x"}).status_code == 403


def test_asker_posts_followup_not_answer(client):
    asker = make_user()
    thread = make_thread(make_topic().board, asker)
    login(client, asker)
    page = client.get(f"/fragen/{thread.id}-{thread.slug}").text
    assert "Rückfrage veröffentlichen" in page
    client.post(f"/fragen/{thread.id}-{thread.slug}", data={"body": "Noch eine Frage"})
    post = db.session.scalar(select(Post).where(Post.kind == PostKind.FOLLOWUP))
    assert post.body_source == "Noch eine Frage"
    db.session.refresh(thread)
    assert (thread.answer_count, thread.reply_count) == (0, 1)


def test_empty_answer_keeps_form_with_message(moderator_client):
    thread = make_thread(make_topic().board, make_user())
    response = moderator_client.post(f"/fragen/{thread.id}-{thread.slug}", data={"body": "   "})
    assert "Bitte füllen Sie dieses Feld aus" in response.text
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_edit_question_keeps_revision_with_old_title_and_text(client):
    asker = make_user()
    thread = make_thread(make_topic().board, asker, title="Alter Titel der Frage", body="alt")
    question = thread.posts[0]
    login(client, asker)
    response = client.post(f"/beitraege/{question.id}/bearbeiten",
                           data={"title": "Neuer Titel der Frage", "body": "neu"})
    assert response.status_code == 302
    revision = db.session.scalar(select(PostRevision))
    assert (revision.body_source, revision.title, revision.editor_id) == (
        "alt", "Alter Titel der Frage", asker.id)
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).title == "Neuer Titel der Frage"
    history = client.get(f"/beitraege/{question.id}/versionen").text
    assert "Alter Titel der Frage" in history and "alt" in history


def test_edit_others_post_forbidden(client):
    thread = make_thread(make_topic().board, make_user())
    login(client, make_user())
    assert client.get(f"/beitraege/{thread.posts[0].id}/bearbeiten").status_code == 403


def test_hidden_thread_is_404_for_visitors_and_absent_from_lists(client):
    thread = make_thread(make_topic().board, make_user(), title="Geheime versteckte Frage")
    thread.state = ThreadState.HIDDEN
    db.session.commit()
    assert client.get(f"/fragen/{thread.id}-{thread.slug}").status_code == 404
    assert "Geheime versteckte Frage" not in client.get("/").text
    login(client, make_user(role=SiteRole.MODERATOR))
    assert client.get(f"/fragen/{thread.id}-{thread.slug}").status_code == 200


def test_stored_html_is_sanitised_at_save_time(client):
    login(client, make_user())
    topic = make_topic()
    _ask(client, topic.board, body="<script>alert(1)</script> [x](javascript:alert(1))")
    post = db.session.scalar(select(Post))
    assert "<script" not in post.body_html and "href=\"javascript" not in post.body_html
    assert "&lt;script&gt;" in post.body_html  # shown as text, not run


def test_answer_after_session_ended_keeps_text_through_login(client):
    expert = make_expert()
    thread = make_thread(make_topic().board, make_user())
    url = f"/fragen/{thread.id}-{thread.slug}"
    response = client.post(url, data={"body": "Eine lange, sorgfältige Antwort"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/konto/anmelden?next={url}"
    response = login(client, expert)
    form = client.get(url).text
    assert "Eine lange, sorgfältige Antwort" in form
    assert "Ihr Text ist wiederhergestellt" in form
    assert "Eine lange, sorgfältige Antwort" not in client.get(url).text  # used once


def test_ask_after_session_ended_keeps_title_body_and_board(client):
    topic = make_topic()
    user = make_user()
    client.post("/fragen/neu", data={"board": topic.board.id, "title": "Mein Titel der Frage",
                                     "body": "Mein Fragetext"})
    login(client, user)
    form = client.get("/fragen/neu").text
    assert 'value="Mein Titel der Frage"' in form and "Mein Fragetext" in form
    assert f'<option selected value="{topic.board.id}">' in form


def test_answer_to_thread_closed_meanwhile_shows_text_to_copy(client):
    thread = make_thread(make_topic().board, make_user())
    login(client, make_expert())
    thread.locked = True
    db.session.commit()
    response = client.post(f"/fragen/{thread.id}-{thread.slug}", data={"body": "Mein Text"})
    assert response.status_code == 403
    assert "nicht gespeichert" in response.text and "Mein Text</textarea>" in response.text
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_board_page_past_the_end_is_404(client):
    project = make_project()
    assert client.get(f"/projekte/{project.slug}?seite=1").status_code == 200
    assert client.get(f"/projekte/{project.slug}?seite=5").status_code == 404


def test_ask_similar_questions_step_without_javascript_keeps_input(client):
    topic = make_topic()
    existing = make_thread(topic.board, make_expert(),
                           title="Wie gelingt Gleitzeit im Handwerk?")
    login(client, make_user())
    response = client.post("/fragen/neu", data={
        "board": topic.board.id, "title": "Gleitzeit für Azubis", "body": "Mein Text",
        "suggest": "Ähnliche Fragen anzeigen"})
    assert "Diese Fragen wurden schon gestellt" in response.text
    assert f'/fragen/{existing.id}-' in response.text
    assert 'value="Gleitzeit für Azubis"' in response.text and "Mein Text" in response.text
    assert "Bitte prüfen Sie Ihre Eingaben" not in response.text
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 1


def test_similar_fragment_for_typing(client):
    existing = make_thread(make_topic().board, make_expert(),
                           title="Exoskelette in der Altenpflege")
    text = client.get("/fragen/aehnliche?titel=Exoskelette+testen").text
    assert existing.title in text and "<html" not in text
    assert client.get("/fragen/aehnliche?titel=Exo").text.strip() == ""
