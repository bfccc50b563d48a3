"""What every response carries to keep pages safe, and the start-up checks a server must pass."""
from __future__ import annotations

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from planner.config import DEFAULT_SECRET_KEY

# Pages load scripts, styles and images only from this site and run no inline script.
CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
    "base-uri 'none'", "object-src 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class InsecureConfiguration(RuntimeError):
    """The app would run with settings that put people's data at risk."""


def check_secret(app: Flask) -> None:
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY and not (app.debug or app.testing):
        raise InsecureConfiguration(
            "Refusing to start with the development SECRET_KEY. Set SECRET_KEY (or SECRET_KEY_FILE) to a long "
            "random value, for example: python -c 'import secrets; print(secrets.token_hex(32))' "
            "> instance/secret_key")


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Only when the request already looked up who is asking: no database query for a static file.
    user = g.get("_login_user")
    if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
        # A household's pages are not kept by shared caches, nor by the browser after logging out.
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init(app: Flask) -> None:
    check_secret(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    app.after_request(_headers)
