"""The access log names no secret and no client: every route of the url_map whose path carries
a token is redacted (a new one cannot slip through: an argument name the module does not
know fails here), other paths stay readable."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from werkzeug.routing import AnyConverter

from forum.access_log import (
    REDACTED,
    SECRET_ARGUMENTS,
    Redactor,
    gunicorn_logger_class,
    is_public_argument,
)

SECRET = "gEhEiM-1a2b3c4d5e6f.Zz_9"


def _sample(rule, name: str):
    converter = rule._converters[name]  # noqa: SLF001 - werkzeug keeps them only there
    if name in SECRET_ARGUMENTS:
        return SECRET
    if isinstance(converter, AnyConverter):
        return converter.items[0] if hasattr(converter, "items") else rule.rule.split('"')[1]
    if converter.regex == r"\d+":
        return 7
    return "pflege-40"


def _secret_rules(app):
    return [rule for rule in app.url_map.iter_rules() if SECRET_ARGUMENTS & rule.arguments]


def test_every_route_argument_is_classified(app):
    """An argument neither secret nor known public (a new `<key>`, `<code>`) must be decided."""
    unknown = {(rule.rule, name) for rule in app.url_map.iter_rules()
               for name in rule.arguments
               if name not in SECRET_ARGUMENTS and not is_public_argument(name)}
    assert not unknown, "add these to SECRET_ARGUMENTS or PUBLIC_ARGUMENTS in access_log.py"


def test_the_known_secret_routes_are_among_them(app):
    endpoints = {rule.endpoint for rule in _secret_rules(app)}
    assert {"guests.personal", "guests.confirm", "guests.account_setup", "auth.confirm",
            "auth.reset", "account.email_confirm", "notifications.unsubscribe",
            "reports.statement"} <= endpoints


def test_every_token_route_is_redacted_for_each_of_its_methods(app):
    redactor = Redactor(app.url_map)
    rules = _secret_rules(app)
    assert rules
    for rule in rules:
        values = {name: _sample(rule, name) for name in rule.arguments}
        path = app.url_map.bind("localhost").build(rule.endpoint, values)
        assert SECRET in path
        for method in sorted(rule.methods - {"OPTIONS"}):
            logged = redactor.path(path, method)
            assert SECRET not in logged, (rule.rule, method, logged)
            assert logged.startswith(rule.rule.split("<", 1)[0]), logged
            assert "<token>" in logged, logged
            # a path under the same prefix that matches no route is cut there
            assert SECRET not in redactor.path(path + "/gibt-es-nicht", method)
            assert SECRET not in redactor.path(path + "/", method)


def test_token_route_keeps_its_shape_and_ids():
    from tests.conftest import make_app

    redactor = Redactor(make_app("sqlite://").url_map)
    assert redactor.path(f"/gast/{SECRET}/hilfreich/12", "POST") == "/gast/<token>/hilfreich/12"
    assert redactor.path(f"/konto/passwort-neu/{SECRET}") == "/konto/passwort-neu/<token>"
    assert redactor.path(f"/gast/{SECRET}/unbekannt") == f"/gast/{REDACTED}"
    # public paths stay readable, static siblings of a token route too
    assert redactor.path("/fragen/12-wie-gelingt-es") == "/fragen/12-wie-gelingt-es"
    assert redactor.path("/gast/link-anfordern") == "/gast/link-anfordern"
    assert redactor.path("/wp-login.php") == "/wp-login.php"
    assert redactor.path("/a b\nc") == "/a%20b%0Ac"  # no forged log lines


def test_query_values_are_redacted_but_page_numbers_kept():
    redactor = Redactor(None)
    assert redactor.query("q=Pflege+Altenheim&seite=3") == f"q={REDACTED}&seite=3"
    assert redactor.query(f"next=/gast/{SECRET}") == f"next={REDACTED}"
    assert redactor.query("") == ""


def test_without_routes_everything_after_the_first_part_is_cut():
    assert Redactor(None).path(f"/gast/{SECRET}") == f"/gast/{REDACTED}"
    assert Redactor(None).path("/suche") == "/suche"


def test_flask_exception_line_is_redacted(app, caplog):
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        app.logger.error(f"Exception on /gast/{SECRET} [GET]")
    assert SECRET not in caplog.text
    assert "Exception on /gast/<token> [GET]" in caplog.text


@pytest.fixture
def gunicorn_logger(app):
    pytest.importorskip("gunicorn")
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = gunicorn_logger_class()(config)
    logger.use_url_map(app.url_map)
    return logger


def test_gunicorn_access_line_has_no_client_referrer_or_token(gunicorn_logger, caplog):
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/gast/{SECRET}?next=x",
               "PATH_INFO": f"/gast/{SECRET}", "QUERY_STRING": "next=x",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9",
               "HTTP_REFERER": f"https://forum.example/gast/{SECRET}",
               "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "198.51.100.4"),
                                       ("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="200 OK", sent=512,
                               headers=[("Location", f"/gast/{SECRET}")])
    gunicorn_logger.cfg.set("access_log_format",
                            '%(h)s %(u)s "%(r)s" %(U)s %(q)s %(f)s %({referer}i)s '
                            '%({x-forwarded-for}i)s %({location}o)s %({remote_addr}e)s %(s)s')
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        gunicorn_logger.access(response, request, environ, timedelta(milliseconds=3))
    line = caplog.text
    assert f'"GET /gast/<token>?next={REDACTED} HTTP/1.1" /gast/<token>' in line
    for leak in (SECRET, "203.0.113.9", "198.51.100.4"):
        assert leak not in line


def test_gunicorn_error_handling_request_line_is_redacted(gunicorn_logger, caplog):
    with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
        gunicorn_logger.error("Error handling request %s", f"/abbestellen/{SECRET}?x=1")
    assert SECRET not in caplog.text and "/abbestellen/<token>" in caplog.text
