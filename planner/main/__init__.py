"""The home page, and what makes the site an app a phone can install and open without a signal:
the web app manifest and the offline worker, both served from the site's root."""
from __future__ import annotations

import functools
import hashlib
import hmac
from pathlib import Path

from flask import Blueprint, Response, current_app, has_request_context, render_template
from flask_login import current_user

from planner import catalog
from planner.accounts.web import viewer
from planner.extensions import db

bp = Blueprint("main", __name__)
WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"


@bp.get("/")
def home() -> str:
    return render_template("main/index.html", food_count=len(catalog.load(db.session, viewer()).foods))


@functools.cache
def _static_version(folder: str) -> str:
    """A digest of every static file: when any of them changes the worker's text changes, so phones
    replace it and the files it keeps."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _static_text(name: str) -> str:
    return (Path(current_app.static_folder or "") / name).read_text(encoding="utf-8")


@bp.get("/service-worker.js")
def service_worker() -> Response:
    """Served at the root (not under /static/) so its scope is the whole site."""
    folder = current_app.static_folder or ""
    script = _static_text(WORKER).replace("__VERSION__", _static_version(folder))
    return Response(script, mimetype="text/javascript", headers={
        "Service-Worker-Allowed": "/", "Cache-Control": "no-cache"})


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    return Response(_static_text(MANIFEST), mimetype="application/manifest+json",
                    headers={"Cache-Control": "no-cache"})


@bp.app_context_processor
def offline_account() -> dict[str, str]:
    """Whose pages a phone keeps offline, as a token that names no one (pwa.js forgets the kept
    pages when it changes); empty for a visitor who is not logged in."""
    if not has_request_context() or not current_user.is_authenticated:
        return {"offline_account": ""}
    key = str(current_app.config["SECRET_KEY"]).encode()
    return {"offline_account": hmac.new(key, f"offline:{current_user.id}".encode(), "sha256").hexdigest()[:16]}
