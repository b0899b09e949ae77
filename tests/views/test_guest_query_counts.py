"""The guests' pages run a fixed number of SQL statements, however long the thread."""

from datetime import timedelta

from forum.extensions import db
from forum.models import Anonymous, GuestLink, utcnow
from forum.services import guests, moderation
from tests.factories import bulk_answers, make_expert, make_topic, make_user
from tests.views.test_query_counts import count_queries


def _queries(client, url) -> int:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_personal_page_and_guest_ask_form_do_not_grow_with_the_thread(client, app):
    topic = make_topic()
    link = guests.ask(Anonymous(), topic.board, "Gast Person", "gast@example.org",
                      "Eine Frage des Gastes", "Der Text der Frage")
    guests.confirm(link)
    moderation.approve_post(make_user(role="moderator"), link.thread.posts[0])
    db.session.commit()
    personal = f"/gast/{guests.token(link)}"
    authors = [make_expert(), make_expert(), make_user(role="moderator")]
    bulk_answers(link.thread, authors, 3)
    small = {url: _queries(client, url) for url in (personal, "/fragen/neu")}
    bulk_answers(link.thread, authors + [make_expert() for _ in range(5)], 40)
    large = {url: _queries(client, url) for url in (personal, "/fragen/neu")}
    assert large == small
    assert max(small.values()) <= 14, small
    assert link.expires_at > utcnow() + timedelta(days=100)
    assert db.session.get(GuestLink, link.id).usable


def test_every_guest_page_has_a_fixed_query_count(client, app):
    topic = make_topic()

    def asked(number: int):
        link = guests.ask(Anonymous(), topic.board, f"Gast {number}",
                          f"gast{number}@example.org", f"Frage Nummer {number} eines Gastes",
                          f"Text {number}")
        guests.confirm(link)
        return link

    own = asked(0)
    unconfirmed = guests.ask(Anonymous(), topic.board, "Noch offen", "offen@example.org",
                             "Eine noch unbestätigte Frage", "Text")
    token = guests.token(own)
    pages = ["/gast/gesendet", "/gast/link-anfordern", "/gast/ungueltiges-zeichen",
             f"/gast/bestaetigen/{guests.token(unconfirmed, guests.CONFIRM)}",
             f"/gast/{token}/zurueckziehen", f"/gast/{token}/konto",
             f"/gast/konto-anlegen/{guests.account_token(own.user)}"]

    def counts():
        result = {}
        for url in pages:
            with count_queries() as statements:
                status = client.get(url).status_code
            assert status == (404 if "ungueltig" in url else 200), url
            result[url] = len(statements)
        return result

    small = counts()
    for number in range(1, 16):
        asked(number)
    bulk_answers(own.thread, [make_expert() for _ in range(4)], 20)
    assert counts() == small
    assert max(small.values()) <= 8, small
