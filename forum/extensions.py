"""Unbound extension objects; create_app binds them to the app."""

import hashlib

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, inspect
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The typed declarative base every model subclasses.

    Models subclass this rather than `db.Model`: `db.Model` is an attribute of an instance,
    which no type checker accepts as a base class. Flask-SQLAlchemy builds `db.Model` from
    this class with the same metadata and registry, so `db.metadata`, `db.create_all()`,
    Flask-Migrate and the session see the same tables. What `db.Model` added on top is not
    used here (`Model.query`, bind keys, automatic table names: every model names its
    table), except its repr, kept below."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        """`<Thread 7>`, as `db.Model` printed it; `(pending ...)` before the flush."""
        state = inspect(self)
        if state.transient:
            key = f"(transient {id(self)})"
        elif state.pending:
            key = f"(pending {id(self)})"
        else:
            key = ", ".join(map(str, state.identity or ()))
        return f"<{type(self).__name__} {key}>"


def hashed_client_key() -> str:
    """Rate-limit key: a salted hash of the client address, never the address itself."""
    salt = current_app.config["SECRET_KEY"].encode()
    return hashlib.sha256(salt + (request.remote_addr or "").encode()).hexdigest()[:32]


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=hashed_client_key)
mail = Mail()
