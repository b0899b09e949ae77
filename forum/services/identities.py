"""Who is who: looking people up by e-mail address and display name.

Accounts and guests are both identities with an address, and both services need these
lookups; they live here, below both, so that `accounts` may use `guests` without `guests`
reaching back into `accounts` (an import cycle)."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def display_name_taken(name: str) -> bool:
    """Names of accounts are unique; guests' posts carry a "Gast" label instead."""
    query = select(User.id).where(func.lower(User.display_name) == name.strip().lower(),
                                  User.is_guest.is_(False))
    return db.session.scalar(query) is not None
