"""The OpenAPI 3.1 document (/api/v1/openapi.json), generated from the endpoints' declarations
and their pydantic models, and the reference page (/api/v1/referenz) the app renders from it:
plain HTML, no script of anyone else."""

import re
from functools import cache

from flask import Response, json, render_template
from flask_babel import gettext as _
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .core import ENDPOINTS, PROBLEM_TYPE, bp
from .schemas import Problem

REF = "#/components/schemas/{model}"
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")

STATUS_TEXT = {
    200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently (merged question)",
    304: "Not Modified (If-None-Match matched the ETag)", 400: "Bad Request",
    401: "Unauthorized (unknown or revoked token, or no log-in)",
    403: "Forbidden (the rulebook refused; a read-only token; a cookie request without "
         "X-CSRFToken)", 404: "Not Found", 409: "Conflict", 413: "Content Too Large",
    415: "Unsupported Media Type (send JSON)", 422: "Unprocessable Content (the input)",
    429: "Too Many Requests",
}

DESCRIPTION = """The Fachdialog's JSON API: read projects, topic fields, boards, questions,
posts with their badges, the expert directory and project updates; ask, answer, follow up,
mark the most helpful answer and watch, under the same rules as the pages.

Authentication: a personal access token (account settings, section "Zugangsschlüssel für die
API") as `Authorization: Bearer <token>`; a token has the scope `read` or `read write`.
Without a token, requests read as a visitor, or as the person logged in by cookie; a cookie
session writes only with its CSRF token in `X-CSRFToken`.

Errors are problem details (RFC 9457, `application/problem+json`) in German or English after
`Accept-Language`. Lists are paged by an opaque cursor (`next_cursor`) in a stable order and
carry an `ETag`: send it back in `If-None-Match` to get 304 when nothing changed.
Writes accept an `Idempotency-Key` header (up to 40 letters, digits, `-` and `_`): a retry
with the same key creates nothing twice."""


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []

    def replace(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        schema = ({"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
                  if converter == "int" else {"type": "string", "minLength": 1,
                                               "maxLength": 80, "pattern": "^[a-z0-9-]+$"})
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return (bp.url_prefix or "") + (PARAM.sub(replace, rule).rstrip("/") or "/"), params


def _query(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    required = set(schema.get("required", ()))
    params = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def _problem(status: int) -> dict:
    return {"description": STATUS_TEXT.get(status, str(status)),
            "content": {PROBLEM_TYPE: {"schema": {"$ref": REF.format(model="Problem")}}}}


@cache
def document() -> dict:
    """The OpenAPI 3.1 document of every declared endpoint (made once per process)."""
    wanted: list = [(Problem, "serialization")]
    for each in ENDPOINTS:
        if each.response is not None:
            wanted.append((each.response, "serialization"))
        if each.body is not None:
            wanted.append((each.body, "validation"))
    refs, defs = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF)
    paths: dict[str, dict] = {}
    for each in ENDPOINTS:
        path, params = _path(each.rule)
        if each.query is not None:
            params += _query(each.query)
        if each.writes:
            params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                           "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
                           "description": "A retry with the same key creates nothing twice."})
        responses: dict[str, dict] = {}
        ok: dict = {"description": STATUS_TEXT.get(each.status, "OK")}
        if each.response is not None:
            ok["content"] = {"application/json": {
                "schema": refs[(each.response, "serialization")]}}
        if each.method == "GET":
            ok["headers"] = {"ETag": {"schema": {"type": "string"}}}
            responses["304"] = {"description": STATUS_TEXT[304]}
        responses[str(each.status)] = ok
        if each.redirects:
            responses["301"] = {"description": STATUS_TEXT[301], "headers": {
                "Location": {"schema": {"type": "string"}}}}
        for code in each.errors:
            responses[str(code)] = _problem(code)
        operation: dict = {
            "operationId": each.name, "summary": each.summary, "tags": [each.tag],
            "description": each.description, "parameters": params, "responses": responses,
            "security": [{"bearer": []}] if each.writes else [{}, {"bearer": []}],
        }
        if each.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": refs[(each.body, "validation")]}}}
        paths.setdefault(path, {})[each.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fachdialog API", "version": "1", "description": DESCRIPTION},
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}), "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "A personal access token from the account settings."}}},
    }


@bp.get("/openapi.json")
def openapi():
    return Response(json.dumps(document()), mimetype="application/json")


def _type_of(schema: dict) -> str:
    """A schema in a few words for the reference page: `integer`, `Thread`, `string | null`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(f"„{v}“" for v in schema["enum"])
    if "const" in schema:
        return f"„{schema['const']}“"
    if schema.get("type") == "array":
        return _type_of(schema.get("items", {})) + "[]"
    if schema.get("type") == "object" and "additionalProperties" in schema:
        return "object → " + _type_of(schema["additionalProperties"])
    kind = schema.get("type", "any")
    return kind if isinstance(kind, str) else " | ".join(kind)


@bp.get("/referenz")
def reference():
    """The reference page: every operation and every schema of the document, server-side."""
    doc = document()
    operations = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            operations.append({"method": method.upper(), "path": path, **op})
    tags = list(dict.fromkeys(op["tags"][0] for op in operations))
    return render_template("api/reference.html", doc=doc, operations=operations, tags=tags,
                           type_of=_type_of, title=_("API-Referenz"))
