"""Registration and the password reset answer in the same time for an address with an
account, with a guest identity and with nothing: the timing must not tell who is known.

Measured in-process through the test client with the site's real password hashing cost,
20 requests per kind, interleaved; the medians may differ by less than 30 %."""

import statistics
import time

import pytest

from config import Config
from forum.models import Anonymous
from forum.services import guests
from tests.factories import make_topic, make_user

ROUNDS = 20
GOOD = "Kaffeetasse-Nordwind-Lampe"


@pytest.fixture
def app_config():
    return {"ACCOUNT_ANSWER_SECONDS": Config.ACCOUNT_ANSWER_SECONDS}  # the site's own floor


def _known_guest_unknown():
    make_user(email="konto@example.org", display_name="Konto Person")
    link = guests.ask(Anonymous(), make_topic().board, "Gast Person", "gast@example.org",
                      "Eine Frage als Gast", "Text")
    guests.confirm(link)
    return {"known": lambda i: "konto@example.org", "guest": lambda i: "gast@example.org",
            "unknown": lambda i: f"neu{i}@example.org"}


def _medians(client, send, addresses) -> dict[str, float]:
    times: dict[str, list[float]] = {kind: [] for kind in addresses}
    for i in range(ROUNDS):
        for kind, address in addresses.items():
            started = time.perf_counter()
            response = send(client, address(i), i)
            times[kind].append(time.perf_counter() - started)
            assert response.status_code == 200, (kind, response.status_code)
    return {kind: statistics.median(values) for kind, values in times.items()}


def _assert_alike(medians: dict[str, float]) -> None:
    fastest, slowest = min(medians.values()), max(medians.values())
    assert slowest < fastest * 1.3, medians


def _register(client, email, i):
    return client.post("/konto/registrieren", follow_redirects=True, data={
        "email": email, "display_name": f"Zeitmessung {i} {email.split('@')[0]}",
        "password": GOOD, "password_confirm": GOOD})


def _forgot(client, email, i):
    return client.post("/konto/passwort-vergessen", data={"email": email})


def test_register_answers_in_the_same_time_for_known_guest_and_unknown(client):
    addresses = _known_guest_unknown()
    _register(client, "aufwaermen@example.org", 99)  # warm up templates and caches
    medians = _medians(client, _register, addresses)
    assert medians["unknown"] > 0.02, "the real hashing cost is in the measurement"
    _assert_alike(medians)


def test_reset_answers_in_the_same_time_for_known_guest_and_unknown(client):
    addresses = _known_guest_unknown()
    _forgot(client, "aufwaermen@example.org", 0)
    _assert_alike(_medians(client, _forgot, addresses))
