"""Error pages. A 500 rolls the session back so no half-written change survives."""

from collections.abc import Callable

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db


def register(app: Flask, json_errors: tuple[str, Callable] | None = None) -> None:
    """`json_errors`: (path prefix, handler) for an area that answers errors in its own
    format (the JSON API's problem details)."""
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if request.path.startswith("/static/"):
            return error
        if json_errors is not None and request.path.startswith(json_errors[0]):
            return json_errors[1](error)
        if error.response is not None:  # e.g. a rate limit that re-shows its form
            return error.response
        # a refusal from the rulebook says why (permissions.Denied carries the reason)
        reason = getattr(error, "reason", None)
        return render_template("errors/error.html", error=error,
                               message=str(reason) if reason else None), error.code

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_template(
            "errors/error.html", error=error,
            message=_("Das Formular ist abgelaufen. Bitte gehen Sie zurück, laden Sie die Seite "
                      "neu und senden Sie es noch einmal ab."),
        ), 400

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        if json_errors is not None and request.path.startswith(json_errors[0]):
            return json_errors[1](InternalServerError())
        return render_template("errors/error.html", error=error), 500
