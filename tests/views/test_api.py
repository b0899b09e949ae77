"""The JSON API (/api/v1): what it shows whom (the pages' scoped queries), tokens, problem
details, cursor paging, conditional GET, and writing through the same services."""

import re

import pytest

from forum.enums import AuditAction, DeletionMode, PostState, ProjectRole, ThreadState
from forum.extensions import db
from forum.models import ApiToken, AuditEntry, Post, ProjectUpdate, Thread, utcnow
from forum.services import privacy, tokens
from tests.factories import (
    make_answer,
    make_expert,
    make_project,
    make_report,
    make_thread,
    make_topic,
    make_user,
)


def bearer(user, write=False) -> dict:
    created = tokens.create(user, "Test", [tokens.READ, tokens.WRITE] if write else [tokens.READ])
    return {"Authorization": f"Bearer {created.secret}"}


@pytest.fixture
def world(app):
    topic = make_topic(name="Arbeitszeit")
    project = make_project(topics=[topic], name="AgilKom")
    asker = make_user(display_name="Frida Fragende")
    expert = make_expert(topics=[topic], display_name="Dr. Erika", profile_public=True,
                         organisation="Institut X", show_organisation=True,
                         expertise="geheim", show_expertise=False)
    public = make_thread(project.board, asker, title="Wie gelingt mobiles Arbeiten?")
    make_answer(public, expert, body="So gelingt es.")
    pending = make_thread(project.board, asker, title="Wartende Frage zum Projekt")
    pending.state = ThreadState.PENDING
    pending.posts[0].state = PostState.PENDING
    hidden = make_thread(topic.board, asker, title="Ausgeblendete Frage zum Thema")
    hidden.state = ThreadState.HIDDEN
    withdrawn = make_thread(topic.board, asker, title="Zurückgezogene Frage im Thema")
    withdrawn.state = ThreadState.WITHDRAWN
    db.session.commit()
    return {"topic": topic, "project": project, "asker": asker, "expert": expert,
            "public": public, "pending": pending, "hidden": hidden, "withdrawn": withdrawn}


def titles(response) -> set[str]:
    return {t["title"] for t in response.get_json()["items"]}


def test_api_lists_show_what_the_pages_show_to_visitors(client, world):
    listed = titles(client.get("/api/v1/threads"))
    assert listed == {"Wie gelingt mobiles Arbeiten?"}
    for name in ("pending", "hidden", "withdrawn"):
        assert client.get(f"/api/v1/threads/{world[name].id}").status_code == 404
        assert client.get(f"/api/v1/threads/{world[name].id}/posts").status_code == 404
    projects = client.get("/api/v1/projects").get_json()["items"]
    assert [p["name"] for p in projects] == ["AgilKom"]
    assert client.get("/api/v1/topic-fields").get_json()["items"][0]["name"] == "Arbeitszeit"
    assert len(client.get("/api/v1/boards").get_json()["items"]) == 2


def test_api_thread_of_a_topic_includes_its_projects_boards(client, world):
    response = client.get(f"/api/v1/threads?topic-field={world['topic'].slug}")
    assert titles(response) == {"Wie gelingt mobiles Arbeiten?"}
    response = client.get("/api/v1/threads?only=unbeantwortet")
    assert titles(response) == set()


def test_api_posts_carry_the_badges_of_the_page(client, world):
    posts = client.get(f"/api/v1/threads/{world['public'].id}/posts").get_json()["items"]
    assert [p["kind"] for p in posts] == ["question", "answer"]
    badge = posts[1]["author"]["badge"]
    assert badge["kind"] == "expert" and badge["organisation"] == "Institut X"
    assert badge["profile_url"].endswith(f"/fachleute/{world['expert'].id}")


def test_api_author_sees_own_pending_question_with_a_token_not_others(client, world):
    own = bearer(world["asker"])
    assert client.get(f"/api/v1/threads/{world['pending'].id}", headers=own).get_json()[
        "state"] == "pending"
    other = bearer(make_user())
    assert client.get(f"/api/v1/threads/{world['pending'].id}", headers=other).status_code == 404
    # lists show published questions only, even to the author (as the board pages do)
    assert titles(client.get("/api/v1/threads", headers=own)) == {
        "Wie gelingt mobiles Arbeiten?"}


def test_api_hidden_post_is_shown_to_nobody_but_its_author(client, world):
    answer = make_answer(world["public"], make_expert(display_name="Zweite Fachperson"))
    answer.state = PostState.HIDDEN
    db.session.commit()
    url = f"/api/v1/threads/{world['public'].id}/posts"
    assert answer.id not in [p["id"] for p in client.get(url).get_json()["items"]]
    stranger = bearer(make_user())
    assert answer.id not in [p["id"] for p in client.get(url, headers=stranger)
                             .get_json()["items"]]


def test_api_project_moderator_does_not_see_posts_with_site_only_reports(client, world):
    moderator = make_user(project=world["project"], project_role=ProjectRole.MODERATOR)
    answer = make_answer(world["public"], make_expert(display_name="Gemeldete Fachperson"))
    answer.state = PostState.HIDDEN
    make_report(answer, concerns_child_abuse=True)
    other = make_answer(world["public"], make_expert(display_name="Andere Fachperson"))
    other.state = PostState.HIDDEN
    db.session.commit()
    ids = [p["id"] for p in client.get(f"/api/v1/threads/{world['public'].id}/posts",
                                       headers=bearer(moderator)).get_json()["items"]]
    assert other.id in ids and answer.id not in ids


def test_api_expert_directory_lists_only_consenting_experts(client, world):
    make_expert(display_name="Ohne Zustimmung", profile_public=False)
    experts = client.get("/api/v1/experts").get_json()["items"]
    assert [e["name"] for e in experts] == ["Dr. Erika"]
    assert experts[0]["organisation"] == "Institut X" and experts[0]["expertise"] == ""
    hidden_one = make_expert(display_name="Verborgen")
    assert client.get(f"/api/v1/experts/{hidden_one.id}").status_code == 404
    filtered = client.get(f"/api/v1/experts?topic-field={world['topic'].slug}").get_json()
    assert [e["name"] for e in filtered["items"]] == ["Dr. Erika"]


def test_api_updates_hide_what_moderators_hid_and_carry_practice_parts(client, world):
    from forum.services import practice, updates

    team = make_user(project=world["project"])
    news = updates.publish(team, world["project"], "Neuigkeit eins", "Text")
    gone = updates.publish(team, world["project"], "Ausgeblendete Neuigkeit", "Text")
    db.session.get(ProjectUpdate, gone.id).hidden_at = utcnow()
    db.session.commit()
    example = practice.publish(team, world["project"], practice.Parts(
        title="Vier-Tage-Woche", approach="Wie", setting="Wo", outcome="Was", lessons="Lehre",
        contact_id=team.id))
    items = client.get("/api/v1/updates").get_json()["items"]
    assert {u["title"] for u in items} == {"Neuigkeit eins", "Vier-Tage-Woche"}
    assert client.get(f"/api/v1/updates/{gone.id}").status_code == 404
    only = client.get("/api/v1/updates?kind=practice").get_json()["items"]
    assert [u["id"] for u in only] == [example.id]
    assert only[0]["practice"]["lessons_html"] == "<p>Lehre</p>\n"
    assert client.get(f"/api/v1/updates/{news.id}").get_json()["kind"] == "news"


def test_api_cursor_pages_through_a_stable_order_and_refuses_forged_cursors(client, world):
    for n in range(4):
        make_thread(world["project"].board, world["asker"], title=f"Weitere Frage Nummer {n}")
    seen, cursor = [], None
    for _ in range(5):
        url = "/api/v1/threads?limit=2&sort=neu" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).get_json()
        seen += [t["id"] for t in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    response = client.get("/api/v1/threads?cursor=abc")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["field"] == "cursor"


def test_api_lists_answer_if_none_match_with_304(client, world):
    first = client.get("/api/v1/threads")
    assert first.headers["ETag"]
    again = client.get("/api/v1/threads", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    make_thread(world["project"].board, world["asker"], title="Noch eine neue Frage")
    changed = client.get("/api/v1/threads", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_api_errors_are_problem_details_in_german_and_english(client):
    german = client.get("/api/v1/gibt-es-nicht", headers={"Accept-Language": "de"})
    assert german.status_code == 404 and german.mimetype == "application/problem+json"
    assert german.get_json()["title"] == "Nicht gefunden"
    english = client.get("/api/v1/threads?limit=0", headers={"Accept-Language": "en"})
    assert english.status_code == 400 and english.get_json()["status"] == 400
    assert english.headers["Content-Language"] == "en"
    assert client.get("/api/v1/threads", headers={"Authorization": "Bearer falsch"}
                      ).status_code == 401
    assert client.delete("/api/v1/projects").status_code == 405


# --- tokens -----------------------------------------------------------------------------

def test_token_is_shown_once_stored_hashed_and_audited_without_secret(user_client):
    response = user_client.post("/konto/einstellungen/api-schluessel",
                                data={"token-name": "Projektwebsite", "token-write": "y"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(fd_[^"]+)"', response.get_data(as_text=True)).group(1)
    row = db.session.query(ApiToken).one()
    assert row.token_hash != secret and secret not in (row.prefix, row.name)
    assert row.scope_list == ["read", "write"]
    entry = db.session.query(AuditEntry).filter_by(action=AuditAction.TOKEN_CREATE).one()
    assert secret not in f"{entry.summary}{entry.changes}"
    page = user_client.get("/konto/einstellungen").get_data(as_text=True)
    assert "Projektwebsite" in page and secret not in page
    me = user_client.get("/api/v1/threads", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and "Set-Cookie" not in me.headers
    revoke = user_client.post(f"/konto/einstellungen/api-schluessel/{row.id}/widerrufen")
    assert revoke.status_code == 302
    assert user_client.get("/api/v1/threads", headers={"Authorization": f"Bearer {secret}"}
                           ).status_code == 401
    assert db.session.query(AuditEntry).filter_by(action=AuditAction.TOKEN_REVOKE).count() == 1


def test_a_reload_of_the_new_token_page_makes_no_second_token(user_client):
    """The browser sends the form again on a reload: the form's one-time key makes that a
    note, not a second token (whose secret the person would not know is the new one)."""
    form = user_client.get("/konto/einstellungen").get_data(as_text=True)
    key = re.search(r'name="token-once"[^>]*value="([^"]+)"', form).group(1)
    data = {"token-name": "Projektwebsite", "token-once": key}
    first = user_client.post("/konto/einstellungen/api-schluessel", data=data)
    assert first.status_code == 200
    secret = re.search(r'value="(fd_[^"]+)"', first.text).group(1)
    again = user_client.post("/konto/einstellungen/api-schluessel", data=data)
    assert again.status_code == 302 and again.headers["Location"].endswith("#api")
    assert db.session.query(ApiToken).count() == 1
    page = user_client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Diesen Zugangsschlüssel haben Sie schon erstellt: „Projektwebsite“." in page
    assert secret not in page and 'value="fd_' not in page
    # a new key (the form shown anew) makes a new token
    fresh = re.search(r'name="token-once"[^>]*value="([^"]+)"', page).group(1)
    assert fresh != key
    user_client.post("/konto/einstellungen/api-schluessel",
                     data={"token-name": "Zweiter", "token-once": fresh})
    assert db.session.query(ApiToken).count() == 2


def test_token_of_another_person_cannot_be_revoked(user_client):
    other = tokens.create(make_user(), "Fremd", ["read"])
    user_client.post(f"/konto/einstellungen/api-schluessel/{other.token.id}/widerrufen")
    assert db.session.get(ApiToken, other.token.id) is not None


def test_tokens_go_with_the_account_and_export_names_them_without_hash(app):
    user = make_user()
    created = tokens.create(user, "Newsletter", ["read"])
    exported = privacy.export_user(user)["tabellen"]["api_tokens"]["zeilen"]
    assert exported[0]["name"] == "Newsletter" and "token_hash" not in exported[0]
    assert any(e["action"] == "token.create" for e in
               privacy.export_user(user)["tabellen"]["audit_log"]["zeilen"])
    privacy.delete_user(user, user, DeletionMode.ANONYMISE)
    assert db.session.query(ApiToken).count() == 0
    assert not [e for e in db.session.query(AuditEntry) if "Newsletter" in e.summary]
    assert tokens.authenticate(created.secret) is None


# --- writing ----------------------------------------------------------------------------

def test_read_only_token_cannot_write(client, world):
    response = client.post("/api/v1/threads", headers=bearer(world["asker"]), json={
        "board_id": world["project"].board.id, "title": "Eine Frage mit Token", "body": "Text"})
    assert response.status_code == 403
    assert "insufficient_scope" in response.headers["WWW-Authenticate"]


def test_cookie_session_write_without_csrf_is_refused(user_client, world):
    response = user_client.post("/api/v1/threads", json={
        "board_id": world["project"].board.id, "title": "Eine Frage per Cookie", "body": "Text"})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert db.session.query(Thread).filter_by(title="Eine Frage per Cookie").count() == 0


def test_anonymous_write_is_refused_with_401(client, world):
    response = client.post("/api/v1/threads", json={"board_id": world["project"].board.id,
                                                    "title": "Anonyme Frage hier", "body": "x"})
    assert response.status_code == 401


def test_ask_answer_follow_up_mark_and_watch_through_the_services(client, world, app):
    app.config["PREMODERATION_THRESHOLD"] = 0
    asker, expert = bearer(world["asker"], write=True), bearer(world["expert"], write=True)
    board = world["project"].board.id
    asked = client.post("/api/v1/threads", headers={**asker, "Idempotency-Key": "k1"}, json={
        "board_id": board, "title": "Wie plane ich Schichten?", "body": "Mit *Markdown*."})
    assert asked.status_code == 201, asked.get_json()
    thread_id = asked.get_json()["thread"]["id"]
    assert asked.get_json()["post"]["body_html"] == "<p>Mit <em>Markdown</em>.</p>\n"
    again = client.post("/api/v1/threads", headers={**asker, "Idempotency-Key": "k1"}, json={
        "board_id": board, "title": "Wie plane ich Schichten?", "body": "Mit *Markdown*."})
    assert again.status_code == 200 and again.get_json()["thread"]["id"] == thread_id
    answer = client.post(f"/api/v1/threads/{thread_id}/answers", headers=expert,
                         json={"body": "So planen Sie."})
    assert answer.status_code == 201
    assert answer.get_json()["author"]["badge"]["kind"] == "expert"
    refused = client.post(f"/api/v1/threads/{thread_id}/answers", headers=asker,
                          json={"body": "Ich antworte mir selbst."})
    assert refused.status_code == 403 and refused.get_json()["detail"]
    followup = client.post(f"/api/v1/threads/{thread_id}/followups", headers=asker,
                           json={"body": "Und nachts?"})
    assert followup.status_code == 201 and followup.get_json()["kind"] == "followup"
    not_asker = client.post(f"/api/v1/threads/{thread_id}/followups", headers=expert,
                            json={"body": "Rückfrage fremd"})
    assert not_asker.status_code == 403
    post_id = answer.get_json()["id"]
    assert client.put(f"/api/v1/posts/{post_id}/helpful", headers=expert).status_code == 403
    marked = client.put(f"/api/v1/posts/{post_id}/helpful", headers=asker)
    assert marked.status_code == 200 and marked.get_json()["state"] == "answered"
    assert client.delete(f"/api/v1/posts/{post_id}/helpful", headers=asker).status_code == 200
    watched = client.put(f"/api/v1/watches/projects/{world['project'].id}", headers=expert,
                         json={"mode": "digest"})
    assert watched.get_json() == {"kind": "project", "target_id": world["project"].id,
                                  "mode": "digest"}
    assert client.put(f"/api/v1/watches/threads/{world['pending'].id}", headers=expert,
                      json={}).status_code == 404
    assert client.delete(f"/api/v1/watches/projects/{world['project'].id}",
                         headers=expert).status_code == 204


def test_new_users_question_waits_for_approval_and_stays_unlisted(client, world, app):
    app.config["PREMODERATION_THRESHOLD"] = 5
    newcomer = bearer(make_user(), write=True)
    asked = client.post("/api/v1/threads", headers=newcomer, json={
        "board_id": world["project"].board.id, "title": "Frage einer neuen Person",
        "body": "Text"})
    assert asked.status_code == 201 and asked.get_json()["thread"]["state"] == "pending"
    assert "Frage einer neuen Person" not in titles(client.get("/api/v1/threads"))
    assert db.session.query(Post).filter_by(state=PostState.PENDING).count() == 2


def test_invalid_input_names_each_field(client, world):
    response = client.post("/api/v1/threads", headers=bearer(world["asker"], write=True),
                           json={"board_id": "x", "title": "kurz"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert fields == {"board_id", "title", "body"}


def test_token_request_ignores_the_cookie_session(user_client, world):
    other = make_user(display_name="Tom Token")
    response = user_client.post("/api/v1/threads", headers=bearer(other, write=True), json={
        "board_id": world["project"].board.id, "title": "Frage mit Token im Browser",
        "body": "Text"})
    assert response.status_code == 201
    assert db.session.get(Thread, response.get_json()["thread"]["id"]).author_id == other.id


class TestCookieWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_cookie_session_writes_with_its_csrf_token(self, client, world):
        pattern = r'name="csrf_token"[^>]*value="([^"]+)"'
        page = client.get("/konto/anmelden").get_data(as_text=True)
        client.post("/konto/anmelden", data={
            "email": world["asker"].email, "password": "correct-horse-battery",
            "csrf_token": re.search(pattern, page).group(1)})
        page = client.get("/konto/einstellungen").get_data(as_text=True)
        token = re.search(pattern, page).group(1)
        user_client = client
        response = user_client.put(f"/api/v1/watches/projects/{world['project'].id}",
                                   headers={"X-CSRFToken": token}, json={})
        assert response.status_code == 200
        refused = user_client.put(f"/api/v1/watches/projects/{world['project'].id}",
                                  headers={"X-CSRFToken": "falsch"}, json={})
        assert refused.status_code == 403


def test_reference_page_and_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert {"/api/v1/threads", "/api/v1/threads/{thread_id}/answers"} <= set(doc["paths"])
    page = client.get("/api/v1/referenz")
    assert page.status_code == 200 and "GET /api/v1/threads" in page.get_data(as_text=True)
    assert "<script" not in page.get_data(as_text=True).split("</main>")[0].split("<main")[-1]




class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        from config import Config

        return {"RATELIMIT_ENABLED": True, "RATE_LIMITS": {
            **Config.RATE_LIMITS, "api": {"account": "3 per hour", "client": "100 per hour"},
            "post": {"account": "1 per hour", "client": "100 per hour"}}}

    def test_token_requests_and_posts_are_limited_per_account(self, client, world):
        headers = bearer(world["asker"], write=True)
        assert [client.get("/api/v1/boards", headers=headers).status_code
                for _ in range(3)] == [200, 200, 200]
        refused = client.get("/api/v1/boards", headers=headers)
        assert refused.status_code == 429 and refused.headers["Retry-After"]
        assert refused.mimetype == "application/problem+json"
        other = bearer(world["expert"], write=True)
        board = world["project"].board.id
        first = client.post("/api/v1/threads", headers=other, json={
            "board_id": board, "title": "Erste Frage der Fachperson", "body": "Text"})
        assert first.status_code == 201
        second = client.post("/api/v1/threads", headers=other, json={
            "board_id": board, "title": "Zweite Frage der Fachperson", "body": "Text"})
        assert second.status_code == 429
