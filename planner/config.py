"""Configuration read from the environment."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DEFAULT_SECRET_KEY = "dev-only-change-me"


def in_checkout() -> bool:
    """True when the package runs from a source checkout (plain or editable install), where
    templates/ and migrations/ sit beside planner/ rather than inside it."""
    return (PROJECT_ROOT / "setup.cfg").is_file() and (PROJECT_ROOT / "migrations" / "env.py").is_file()


def resource_dir(name: str) -> Path:
    """The folder `name` (templates, migrations): inside the package when installed from a
    wheel, which carries a copy, else the checkout's top-level one, the only source copy."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


def _instance_dir() -> Path:
    """Where the SQLite database and the secret key live: PLANNER_INSTANCE if set; else the
    checkout's instance/ (what `make run` uses); else ./instance in the working directory, so an
    installed package never writes inside site-packages."""
    if os.environ.get("PLANNER_INSTANCE"):
        return Path(os.environ["PLANNER_INSTANCE"]).expanduser().absolute()
    if in_checkout():
        return PROJECT_ROOT / "instance"
    return Path.cwd() / "instance"


INSTANCE_DIR = _instance_dir()


def _database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'planner.db'}"


def _secret_key() -> str:
    """SECRET_KEY, else the file SECRET_KEY_FILE names (default secret_key in the instance
    folder, which `make run` writes once), else the development default the app refuses to serve with."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(os.environ.get("SECRET_KEY_FILE") or INSTANCE_DIR / "secret_key")
    if path.is_file() and path.read_text().strip():
        return path.read_text().strip()
    return DEFAULT_SECRET_KEY


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tokens last as long as the session: a list left open all week still saves
    FOODS_PER_PAGE = 24
    # Requests larger than this are refused with 413 before they are read.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    JSON_SORT_KEYS = False

    # Cookies: never readable by scripts, not sent on cross-site posts, and only over HTTPS unless
    # SESSION_COOKIE_SECURE=0 (a home server on plain HTTP; browsers treat localhost as secure).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # Behind a reverse proxy, how many proxies to trust for the client address and scheme.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0") or 0)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
