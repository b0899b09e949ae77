"""Fair rate limits: refused registrations do not count; log-in counts failures only, per
client and per account."""

import pytest

from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("smtp_sink")

GOOD = "Kaffeetasse-Nordwind-Lampe"


def _client(app, address="127.0.0.1") -> IsolatedClient:
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _register(client, n, **overrides):
    data = {"email": f"neu{n}@example.org", "display_name": f"Neue Person {n}",
            "password": GOOD, "password_confirm": GOOD}
    data.update(overrides)
    return client.post("/konto/registrieren", follow_redirects=True, data=data)


def _login(client, email, password):
    return client.post("/konto/anmelden", data={"email": email, "password": password})


class TestRegistration:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "REGISTER_RATE_LIMIT": "2 per hour",
                "REGISTER_ADDRESS_RATE_LIMIT": "2 per hour"}

    def test_refused_submissions_do_not_count(self, app):
        client = _client(app)
        for n in range(6):  # mistyped: bad address, short, common, unequal passwords
            response = _register(client, 100 + n, **[
                {"email": "keine-adresse"}, {"password": "kurz", "password_confirm": "kurz"},
                {"password": "passwort123", "password_confirm": "passwort123"},
                {"password_confirm": "anders-als-oben"}, {"display_name": "Moderation"},
                {"password": "1234567890", "password_confirm": "1234567890"}][n])
            assert response.status_code == 200 and "Bitte prüfen Sie Ihre Eingaben" in response.text
        assert "Bitte prüfen Sie Ihr Postfach" in _register(client, 1).text
        assert "Bitte prüfen Sie Ihr Postfach" in _register(client, 2).text
        response = _register(client, 3)
        assert response.status_code == 429 and "Zu viele Versuche" in response.text
        assert 'value="neu3@example.org"' in response.text

    def test_other_client_not_affected(self, app):
        first, second = _client(app, "10.0.0.1"), _client(app, "10.0.0.2")
        _register(first, 1), _register(first, 2)
        assert _register(first, 3).status_code == 429
        assert "Bitte prüfen Sie Ihr Postfach" in _register(second, 4).text

    def test_one_address_limited_across_clients(self, app):
        for n in range(2):
            _register(_client(app, f"10.0.1.{n}"), 1, display_name=f"Name {n}")
        assert _register(_client(app, "10.0.1.9"), 1, display_name="Name 9").status_code == 429


class TestLogin:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
                "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute"}

    def test_successful_logins_do_not_count(self, app):
        user = make_user()
        client = _client(app)
        for _ in range(6):
            assert _login(client, user.email, PASSWORD).status_code == 302
            client.post("/konto/abmelden")

    def test_failures_per_client_counted_across_addresses(self, app):
        client = _client(app, "10.0.2.1")
        for n in range(3):
            assert _login(client, f"wer{n}@example.org", "falsch").status_code == 200
        user = make_user()
        response = _login(client, user.email, PASSWORD)
        assert response.status_code == 429 and "Zu viele Versuche" in response.text
        assert _login(_client(app, "10.0.2.2"), user.email, PASSWORD).status_code == 302

    def test_failures_per_account_counted_across_clients(self, app):
        user, other = make_user(), make_user()
        for n in range(3):
            _login(_client(app, f"10.0.3.{n}"), user.email, "falsch")
        fresh = _client(app, "10.0.3.9")
        response = _login(fresh, user.email, PASSWORD)
        assert response.status_code == 429
        assert f'value="{user.email}"' in response.text
        assert _login(fresh, other.email, PASSWORD).status_code == 302
