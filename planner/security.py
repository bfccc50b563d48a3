"""What every response carries to keep pages safe, and the start-up checks a server must pass."""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

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
    # The checker may use this site's camera to read a barcode; nothing else may.
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
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


def check_mail_links(app: Flask) -> None:
    """Mailed links (password resets) name the request's host unless PUBLIC_URL is set: a forged Host
    header must not be able to point them at another site."""
    config = app.config
    if config["MAIL_SERVER"] and not (config["PUBLIC_URL"] or config["TRUSTED_HOSTS"]) \
            and not (app.debug or app.testing):
        raise InsecureConfiguration("Set PUBLIC_URL (the site's address, for links in mails) or TRUSTED_HOSTS "
                                    "when MAIL_SERVER is set.")


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


class TrustedProxies:
    """ProxyFix for requests that come from one of the configured proxies only. Anyone else who sends
    X-Forwarded-For (someone reaching the app directly) is taken at their own address, so a made-up
    header cannot pass for another client. Only the client's address and scheme are taken from a
    proxy; the host is the request's own (Flask's TRUSTED_HOSTS can pin it)."""

    def __init__(self, app: Any, count: int, proxies: Iterable[str]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)
        self.networks = [ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies]

    def _from_proxy(self, address: str) -> bool:
        try:
            peer = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(peer in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self._from_proxy(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def init(app: Flask) -> None:
    check_secret(app)
    check_mail_links(app)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = TrustedProxies(app.wsgi_app, app.config["PROXY_COUNT"],  # type: ignore[method-assign]
                                      app.config["PROXY_ADDRESSES"])
    app.after_request(_headers)
