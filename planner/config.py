"""Configuration read from the environment."""
from __future__ import annotations

import os
import tempfile
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


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


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
    # Products looked up by barcode come from this Open Food Facts server and are kept this long.
    OFF_BASE_URL = os.environ.get("OFF_BASE_URL", "https://world.openfoodfacts.org")
    # Recipe pages are fetched only from public addresses unless this allows the local network.
    RECIPE_FETCH_ALLOW_PRIVATE = _flag("RECIPE_FETCH_ALLOW_PRIVATE", False)
    OFF_KEEP = timedelta(days=int(os.environ.get("OFF_KEEP_DAYS", "7") or 7))
    # Fair use (planner.fair_use): per kind of work, the most requests per account and per address
    # in a window of seconds, and how many heavy jobs may run at once per account and in all. Plans
    # at once in all stay under the web workers (gunicorn.conf.py: 2 per core + 1), so light pages
    # always find a free one. FAIR_USE_OFF=1 lifts every limit (to measure raw capacity).
    FAIR_USE = {} if _flag("FAIR_USE_OFF", False) else {
        "plan": {"account": [30, 600], "address": [60, 600], "at_once_per_account": 1, "at_once": 2},
        "check": {"account": [300, 60], "address": [120, 60]},
        "write": {"account": [600, 600], "address": [1200, 600]},
    }

    # Cookies: never readable by scripts, not sent on cross-site posts, and only over HTTPS unless
    # SESSION_COOKIE_SECURE=0 (a home server on plain HTTP; browsers treat localhost as secure).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # A session ends after this long without a request, or this long after logging in, whichever
    # comes first; "keep me logged in" gives the longer pair. Logging out ends it at once.
    SESSION_IDLE_TIMEOUT = timedelta(hours=2)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    REMEMBER_IDLE_TIMEOUT = timedelta(days=30)
    REMEMBER_ABSOLUTE_TIMEOUT = timedelta(days=90)
    REMEMBER_COOKIE_DURATION = REMEMBER_ABSOLUTE_TIMEOUT
    # Sign-ups from one address, per hour.
    SIGNUPS_PER_HOUR = 5
    # Behind a reverse proxy, how many proxies to trust for the client address and scheme, and which
    # addresses they connect from: a request from any other address has its forwarded headers ignored.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0") or 0)
    PROXY_ADDRESSES = _list("PROXY_ADDRESSES", "127.0.0.1, ::1")
    # Host names the app answers to (Flask checks the Host header); none set: any.
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS", "") or None

    # Mail: through this SMTP server, or, without MAIL_SERVER, written as .eml files to MAIL_FOLDER.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587") or 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Gut Planner <planner@localhost>")
    MAIL_FOLDER = str(INSTANCE_DIR / "mail")
    # The site's address for links in mails ("https://planner.example.org"); unset: the request's host.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")


class TestConfig(Config):
    TESTING = True
    OFF_BASE_URL = "http://127.0.0.1:9"  # tests never reach the internet; tests/test_barcodes.py serves answers
    FAIR_USE: dict = {}  # tests that exercise fair use set their own limits
    RECIPE_FETCH_ALLOW_PRIVATE = True  # tests serve recipe pages on loopback
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    MAIL_SERVER = ""
    MAIL_FOLDER = str(Path(tempfile.gettempdir()) / "gut-planner-test-mail")
