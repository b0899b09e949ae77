"""A guest who becomes an account chooses a password by the same rules as at registration."""

import pytest

from forum.extensions import db
from forum.models import User
from forum.services import ServiceError, guests


def _guest() -> User:
    guest = User(email="erika.gast@example.org", display_name="Erika Gast", password_hash="",
                 is_guest=True)
    db.session.add(guest)
    db.session.commit()
    return guest


@pytest.mark.parametrize("weak", ["passwort123", "1234567890", "aaaaaaaaaa", "ErikaGast2024"])
def test_a_guest_becoming_an_account_cannot_choose_a_weak_password(app, weak):
    guest = _guest()
    with pytest.raises(ServiceError) as refused:
        guests.convert(guest, "Erika Gast", weak)
    assert refused.value.field == "password"
    db.session.rollback()
    assert db.session.get(User, guest.id).is_guest


def test_a_strong_password_makes_the_account(app):
    guest = _guest()
    guests.convert(guest, "Erika Gast", "Kiefernzapfen tanzen leise Walzer")
    assert not db.session.get(User, guest.id).is_guest
