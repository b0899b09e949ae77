"""Log lines without secrets and without client addresses (docs/deploy.md).

Some addresses are secrets: a guest's personal link (`/gast/<token>`), the links that confirm
an address or reset a password, one-click unsubscribe links and statements of reasons. Whoever
reads the access log must not be able to use them, nor learn who visited. `Redactor` matches
a path against the app's own routes and replaces every argument named in SECRET_ARGUMENTS by
its name (`/gast/<token>/konto`); a path no route matches is cut after a secret route's
static prefix (`/gast/<redacted>`). Query values are replaced too, except short numbers (page
numbers). tests/test_access_log.py checks every route of the url_map, and fails on an argument
name that is in neither set below, so a new secret route cannot slip through unredacted.

`GunicornLogger` (deploy/gunicorn.conf.py) writes gunicorn's access log through it and leaves
out the client's address, referrer and every header; `register` does the same for Flask's
"Exception on <path>" error lines."""

import logging
import re
from urllib.parse import parse_qsl, quote, unquote

from flask import Flask
from werkzeug.routing import Map

# Route arguments that are secrets.
SECRET_ARGUMENTS = frozenset({"token"})
# Route arguments that are not: slugs and names of public pages, ids (every `..._id`), areas.
PUBLIC_ARGUMENTS = frozenset({"slug", "update_slug", "name", "filename", "area", "kind"})
REDACTED = "<redacted>"
_KEPT_VALUE = re.compile(r"\d{1,6}")  # page numbers and ids in a query stay readable
# characters a logged path keeps as they are; the rest is percent-encoded (no spaces, no
# line breaks: a client cannot forge a log line)
_SAFE = "/:@!$&'()*+,;=-._~<>"


def is_public_argument(name: str) -> bool:
    return name in PUBLIC_ARGUMENTS or name.endswith("_id")


class Redactor:
    def __init__(self, url_map: Map | None):
        """Without a url_map (nothing loaded yet) every path is cut after its first part."""
        self._adapter = url_map.bind("localhost") if url_map is not None else None
        prefixes = set()
        for rule in url_map.iter_rules() if url_map is not None else ():
            secret = [name for name in rule.arguments if name in SECRET_ARGUMENTS]
            if secret:
                prefixes.add(rule.rule.split("<", 1)[0])
        self._prefixes = tuple(sorted(prefixes, key=len))

    def path(self, path: str, method: str = "GET") -> str:
        """The path with every secret replaced; `path` as WSGI's PATH_INFO (decoded)."""
        path = _wsgi_text(path)
        if self._adapter is None:
            first, slash, rest = path.lstrip("/").partition("/")
            return quote("/" + first + (slash + REDACTED if rest else ""), safe=_SAFE)
        try:
            rule, values = self._adapter.match(path, method=method or "GET", return_rule=True)
        except Exception:  # noqa: BLE001 - no route (404, 405, redirect): cut at a secret prefix
            for prefix in self._prefixes:
                if path.startswith(prefix):
                    return quote(prefix, safe=_SAFE) + REDACTED
            return quote(path, safe=_SAFE)
        secret = [name for name in values if name in SECRET_ARGUMENTS]
        if not secret:
            return quote(path, safe=_SAFE)
        placeholders = {name: f"<{name}>" if name in secret else value
                        for name, value in values.items()}
        built = rule.build(placeholders, append_unknown=False)
        if built is None:  # cannot happen for a rule that matched; be safe anyway
            return quote(rule.rule.split("<", 1)[0], safe=_SAFE) + REDACTED
        out = built[1]
        for name in secret:
            out = out.replace(quote(f"<{name}>", safe=""), f"<{name}>")
        return out

    def query(self, query: str) -> str:
        pairs = parse_qsl(_wsgi_text(query), keep_blank_values=True)
        return "&".join(
            quote(key, safe="") + "=" + (value if _KEPT_VALUE.fullmatch(value) else REDACTED)
            for key, value in pairs)

    def uri(self, path: str, query: str = "", method: str = "GET") -> str:
        query = self.query(query) if query else ""
        return self.path(path, method) + ("?" + query if query else "")

    def raw_uri(self, raw: str, method: str = "GET") -> str:
        """A request target as the client sent it (percent-encoded, with its query)."""
        path, _mark, query = raw.partition("?")
        return self.uri(unquote(path), query, method)


def _wsgi_text(value: str) -> str:
    """WSGI strings carry the request's bytes as latin-1; the routes are matched as UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:  # already text
        return value


class _RedactExceptionLines(logging.Filter):
    """Flask logs an unhandled error as "Exception on <path> [<method>]"."""

    _LINE = re.compile(r"Exception on (\S+) \[([A-Z]+)\]")

    def __init__(self, redactor: Redactor):
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Exception on "):
            match = self._LINE.match(record.msg)
            if match:
                path = self.redactor.path(match.group(1), match.group(2))
                record.msg = f"Exception on {path} [{match.group(2)}]" + record.msg[match.end():]
        return True


def register(app: Flask) -> None:
    app.logger.addFilter(_RedactExceptionLines(Redactor(app.url_map)))


def gunicorn_logger_class():
    """gunicorn's Logger, writing access lines through the Redactor (imported only where
    gunicorn runs; it is no dependency of the app itself)."""
    from gunicorn.glogging import Logger

    class GunicornLogger(Logger):
        redactor = Redactor(None)

        def use_url_map(self, url_map: Map) -> None:
            self.redactor = Redactor(url_map)

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            method = environ.get("REQUEST_METHOD", "GET")
            uri = self.redactor.uri(environ.get("PATH_INFO", ""),
                                    environ.get("QUERY_STRING", ""), method)
            kept = {key: value for key, value in atoms.items() if not key.startswith("{")}
            kept.update({
                "h": "-",  # the client's address
                "u": "-",  # a name from an Authorization header
                "f": "-",  # the referrer: often a page with a token in its path
                "r": f"{method} {uri} {environ.get('SERVER_PROTOCOL', '-')}",
                "U": self.redactor.path(environ.get("PATH_INFO", ""), method),
                "q": self.redactor.query(environ.get("QUERY_STRING", "")),
            })
            return kept  # headers ({…}i, {…}o) and environ ({…}e) left out: "-"

        def exception(self, msg, *args, **kwargs):
            self.error(msg, *args, exc_info=True, **kwargs)

        def error(self, msg, *args, **kwargs):
            # gunicorn's own "Error handling request <uri>"
            if args and isinstance(args[0], str) and "request" in str(msg):
                args = (self.redactor.raw_uri(args[0]), *args[1:])
            super().error(msg, *args, **kwargs)

    return GunicornLogger
