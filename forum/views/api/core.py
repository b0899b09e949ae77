"""The JSON API's machinery: the blueprint, who acts, problem details, input and output,
and the registry of endpoints the OpenAPI document is made from.

Who a request acts as: with `Authorization: Bearer <token>` the token's owner, within its
scopes (read, write), and nothing of the cookies counts; without it, the log-in session of
the cookies, like the pages (or a visitor). A cookie session writes only with the CSRF token
in `X-CSRFToken`, so no other site can make a logged-in browser write. Errors are problem
details (RFC 9457) in German or English (`Accept-Language`); lists are cursor-paged and
answer `If-None-Match` with 304. Every endpoint is declared with `endpoint()`, which also
feeds the OpenAPI document (spec.py)."""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn, cast

from flask import Blueprint, Response, abort, g, json, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError as CSRFInvalid

from ... import ratelimits
from ...forms import clean_line, clean_multiline
from ...services import ServiceError, tokens
from .schemas import FieldError, Problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: _l("Ungültige Anfrage"), 401: _l("Anmeldung nötig"), 403: _l("Nicht erlaubt"),
    404: _l("Nicht gefunden"), 405: _l("Methode nicht erlaubt"), 406: _l("Nicht lieferbar"),
    409: _l("Konflikt"), 413: _l("Anfrage zu groß"), 415: _l("Falsches Format"),
    422: _l("Eingaben prüfen"), 429: _l("Zu viele Anfragen"), 500: _l("Interner Fehler"),
}
NEEDS_TOKEN = _l("Für diese Aktion brauchen Sie einen Zugangsschlüssel mit dem Recht "
                 "„Schreiben“ (Authorization: Bearer …) oder eine Anmeldung.")
BAD_TOKEN = _l("Der Zugangsschlüssel ist unbekannt oder widerrufen.")
NO_WRITE_SCOPE = _l("Dieser Zugangsschlüssel darf nur lesen. Für diese Aktion braucht er das "
                    "Recht „Schreiben“.")
CSRF_MISSING = _l("Mit einer Anmeldung per Cookie braucht jede schreibende Anfrage das "
                  "CSRF-Token im Kopf X-CSRFToken. Programme verwenden besser einen "
                  "Zugangsschlüssel.")
TOO_MANY = _l("Zu viele Anfragen in kurzer Zeit. Bitte warten Sie eine Weile.")
NOT_JSON = _l("Bitte senden Sie den Inhalt als JSON (Content-Type: application/json).")
INVALID = _l("Einige Angaben sind ungültig; „errors“ nennt sie.")


# --- problem details --------------------------------------------------------------------

def problem(status: int, detail: object = "", *, errors: Sequence[tuple[str, object]] = (),
            kind: str = "about:blank", headers: dict | None = None) -> Response:
    body = Problem(type=kind, title=str(TITLES.get(status, _("Fehler"))), status=status,
                   detail=str(detail), instance=request.path,
                   errors=[FieldError(field=f, message=str(m)) for f, m in errors])
    response = Response(json.dumps(body.model_dump(mode="json")), status=status,
                        mimetype=PROBLEM_TYPE, headers=headers)
    response.headers["Content-Language"] = _language()
    return response


def fail(status: int, detail: object = "", **kwargs) -> NoReturn:
    abort(problem(status, detail, **kwargs))


def _language() -> str:
    return request.accept_languages.best_match(("de", "en")) or "de"


def problem_for(error: HTTPException) -> Response:
    """An HTTP error anywhere under /api/ as problem details (404 of unknown addresses,
    405, 413 included); a refusal of the rulebook says why (permissions.Denied)."""
    if error.response is not None and error.response.mimetype == PROBLEM_TYPE:
        return cast(Response, error.response)
    reason = getattr(error, "reason", None)
    status = error.code or 500
    headers = {}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return problem(status, reason if reason else "", headers=headers)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return problem_for(error)


@bp.errorhandler(CSRFError)
def _csrf_error(_error):
    return problem(403, CSRF_MISSING)


# --- who acts ---------------------------------------------------------------------------

@bp.before_request
def _authenticate():
    header = request.headers.get("Authorization")
    grant = None
    if header is not None:
        scheme, _sep, secret = header.partition(" ")
        grant = tokens.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            fail(401, BAD_TOKEN, headers={
                "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'})
    g.api_grant = grant
    if not ratelimits.allow("api", user=grant.user if grant else None):
        fail(429, TOO_MANY, headers={"Retry-After": "60"})


def reader():
    """Who reads: the token's owner, else the log-in of the cookies (or a visitor)."""
    grant = g.get("api_grant")
    if grant is not None:
        return grant.user
    return current_user._get_current_object()  # noqa: SLF001 (werkzeug's LocalProxy API)


def writer():
    """Who writes: a token with the write scope, or a cookie log-in that sent the CSRF
    token; everything else is refused before any service runs."""
    grant = g.get("api_grant")
    if grant is not None:
        if tokens.WRITE not in grant.scopes:
            fail(403, NO_WRITE_SCOPE, headers={
                "WWW-Authenticate": 'Bearer realm="api", error="insufficient_scope", '
                                    'scope="write"'})
        return grant.user
    if not current_user.is_authenticated:
        fail(401, NEEDS_TOKEN, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except CSRFInvalid:
        fail(403, CSRF_MISSING)
    return current_user._get_current_object()  # noqa: SLF001 (werkzeug's LocalProxy API)


# --- input and output -------------------------------------------------------------------

ERROR_TEXTS = {
    "missing": _l("Bitte geben Sie einen Wert an."),
    "string_too_short": _l("Zu kurz: mindestens %(min_length)s Zeichen."),
    "string_too_long": _l("Zu lang: höchstens %(max_length)s Zeichen."),
    "int_parsing": _l("Bitte eine ganze Zahl."),
    "int_type": _l("Bitte eine ganze Zahl."),
    "greater_than_equal": _l("Bitte mindestens %(ge)s."),
    "less_than_equal": _l("Bitte höchstens %(le)s."),
    "literal_error": _l("Bitte einen dieser Werte: %(expected)s."),
    "extra_forbidden": _l("Dieses Feld gibt es nicht."),
    "string_type": _l("Bitte einen Text."),
}


def _messages(error: ValidationError) -> list[tuple[str, object]]:
    found = []
    for each in error.errors():
        name = ".".join(str(p) for p in each["loc"]) or "body"
        text = ERROR_TEXTS.get(each["type"])
        context = {k: str(v) for k, v in dict(each.get("ctx") or {}).items()}
        try:
            message = str(text) % context if text is not None else _("Ungültiger Wert.")
        except (KeyError, TypeError, ValueError):
            message = _("Ungültiger Wert.")
        found.append((name, message))
    return found


def query_args(model: type[BaseModel]):
    """The query string, validated by `model` (400 with every problem named)."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        fail(400, INVALID, errors=_messages(error))


def body_of(model: type[BaseModel]):
    """The JSON body, its text cleaned as the forms clean theirs, validated by `model`."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        fail(415 if not request.is_json else 400, NOT_JSON)
    multiline = {"body"}
    cleaned = {k: (clean_multiline(v) if k in multiline else clean_line(v))
               if isinstance(v, str) else v for k, v in data.items()}
    try:
        return model.model_validate(cleaned)
    except ValidationError as error:
        fail(422, INVALID, errors=_messages(error))


def service_refused(error: ServiceError, status: int = 422):
    """A service's refusal (bad input a person can fix) as problem details."""
    each = getattr(error, "errors", [error])
    fail(status, error.message, errors=[(e.field or "body", e.message) for e in each])


def respond(model: BaseModel, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(model.model_dump(mode="json")), status=status,
                        mimetype="application/json", headers=headers)
    return response


@bp.after_request
def _caching(response: Response) -> Response:
    response.vary.update(("Authorization", "Cookie", "Accept-Language"))
    if request.method == "GET" and response.status_code == 200 and (
            response.mimetype == "application/json"):
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.headers.setdefault("Cache-Control", "private, no-cache")
        response.make_conditional(request)
    return response


# --- the registry the OpenAPI document is made from -------------------------------------

@dataclass
class Endpoint:
    rule: str
    method: str
    name: str
    summary: str
    description: str
    response: type[BaseModel] | None
    status: int = 200
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    writes: bool = False
    tag: str = ""
    errors: tuple[int, ...] = (400, 404, 429)
    redirects: bool = False
    extra: dict = field(default_factory=dict)


ENDPOINTS: list[Endpoint] = []


def endpoint(rule: str, method: str = "GET", *, summary: str, tag: str,
             response: type[BaseModel] | None, status: int = 200,
             query: type[BaseModel] | None = None, body: type[BaseModel] | None = None,
             errors: tuple[int, ...] = (), redirects: bool = False) -> Callable:
    """Declare and route one endpoint; its docstring is the description."""
    def wrap(view: Callable) -> Callable:
        changes = method != "GET"
        codes = {400, 401, 404, 429, *errors}
        if changes:
            codes |= {403, 415, 422}
        ENDPOINTS.append(Endpoint(rule, method, view.__name__, summary,
                                  (view.__doc__ or "").strip(), response, status, query, body,
                                  changes, tag, tuple(sorted(codes)), redirects))
        bp.add_url_rule(rule, view.__name__, view, methods=[method])
        return view
    return wrap

