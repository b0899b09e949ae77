"""Small defects found in review, each with the test that shows it fixed: guest links for
logged-in people, merge targets that must stay hidden, revoking every link of a question,
the spam guard's stamp, neutral team answers, reserved and look-alike names, feeds with
control characters in stored text."""

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import GuestLink

# --- 1. a logged-in POST to /gast/link-anfordern --------------------------------------


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}], indirect=False)
def test_request_link_logged_in_post_is_refused_politely_and_sends_nothing(
        user_client, smtp_sink):
    _controller, messages = smtp_sink
    response = user_client.post("/gast/link-anfordern", data={"email": "gast@example.org"})
    assert response.status_code == 302
    assert response.location.endswith("/gast/link-anfordern")
    page = user_client.get(response.location)
    assert page.status_code == 200 and "Bitte melden Sie sich zuerst ab" in page.text
    assert len(messages) == 0
    assert db.session.scalar(select(func.count()).select_from(GuestLink)) == 0
