"""What every request and response passes: CSP without third parties, no sniffing, no
referrer; HSTS on an https site; pages for logged-in people are never stored by a cache;
NUL bytes in the address are refused before any view (PostgreSQL cannot hold them)."""

from flask import Flask, abort, request, session

CSP = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)


HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    https = app.config["BASE_URL"].startswith("https://")

    @app.before_request
    def _refuse_nul():
        if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                          for key, value in request.args.items(multi=True)):
            abort(400)

    @app.after_request
    def _headers(response):
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if session.get("_user_id"):  # logged in (Flask-Login's key; no user query needed)
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "interest-cohort=()")
        return response
