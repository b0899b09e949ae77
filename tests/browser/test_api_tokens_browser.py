"""Access tokens for the API as a person makes them: the settings section (empty, with an
error, with the new token shown once, after revoking), the token used with the API, and the
API reference page; axe-core finds nothing on any of them."""

import json
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMAIL = "autorin@browser.example"


def _api(live, path: str, token: str) -> int:
    request = urllib.request.Request(f"{live.url}{path}",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_create_use_and_revoke_an_access_token(page, live, check_axe, log_in):
    log_in(page, EMAIL)
    page.goto("/konto/einstellungen#api")
    section = page.get_by_role("region", name="Zugangsschlüssel für die API")
    expect(section.get_by_text("Sie haben keinen Zugangsschlüssel.")).to_be_visible()
    check_axe(page, "settings with no token")

    section.get_by_role("button", name="Zugangsschlüssel erstellen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_axe(page, "token form with errors")

    section = page.get_by_role("region", name="Zugangsschlüssel für die API")
    section.get_by_label("Name des Zugangsschlüssels").fill("Website unseres Projekts")
    section.get_by_label("Auch schreiben", exact=False).check()
    section.get_by_role("button", name="Zugangsschlüssel erstellen").click()
    status = page.get_by_role("status").filter(has_text="Kopieren Sie ihn jetzt")
    expect(status).to_be_visible()
    secret = page.get_by_label("Zugangsschlüssel", exact=True).input_value()
    assert secret.startswith("fd_")
    check_axe(page, "new token shown once")
    assert _api(live, "/api/v1/threads", secret) == 200

    page.goto("/konto/einstellungen#api")
    assert secret not in page.content()
    page.get_by_role("button", name="Zugangsschlüssel „Website unseres Projekts“ widerrufen"
                     ).click()
    expect(page.get_by_role("status").filter(has_text="ist widerrufen")).to_be_visible()
    check_axe(page, "token revoked")
    assert _api(live, "/api/v1/threads", secret) == 401


def test_api_reference_page_is_readable(page, check_axe):
    page.goto("/api/v1/referenz")
    expect(page.get_by_role("heading", level=1)).to_have_text("API-Referenz")
    expect(page.get_by_role("heading", name="GET /api/v1/threads: Questions")).to_be_visible()
    check_axe(page, "API reference")
