"""Serving the app to phones at home (`make run HOST=0.0.0.0 [HTTPS=1]`): logging in over plain HTTP
under a home-network name, what a browser is told when the log-in cookie cannot work there, the
certificate made for HTTPS (planner/home_cert.py), and `make run` installing the app without the test tools.

Chromium resolves the home names to loopback (--host-resolver-rules), so its pages are
http://gutplanner.home:<port>/ and https://<this machine>.local:<port>/, as a phone on the network would see."""
from __future__ import annotations

import ast
import configparser
import os
import re
import ssl
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from packaging.requirements import Requirement
from playwright.sync_api import Browser, Page, expect

from conftest import ARGS, MEMBER, PASSWORD, make_app
from planner.clock import utc_now
from planner.extensions import db
from planner.home_cert import (CERT_FILE, KEY_FILE, RENEW_BEFORE, VALID_FOR, addresses_to_open, certified_names,
                               ensure_certificate, home_names)
from planner.home_network import home_network
from test_browser import SIZES, _visit
from test_catalog import _free_port

ROOT = Path(__file__).resolve().parent.parent
HOME = "gutplanner.home"
EXPLAINED = "did not send the log-in cookie"
EXPIRED = "The form had expired"
MACHINE = home_names(lan=())  # this machine's names (a phone finds it at <name>.local)
LOCAL_NAME = next(h for h in MACHINE.hosts if h.endswith(".local"))
INSECURE = {"SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False}
SECURE = {"SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True}


@pytest.fixture(scope="module")
def browser_args() -> list[str]:
    return [*ARGS, f"--host-resolver-rules=MAP {HOME} 127.0.0.1, MAP {LOCAL_NAME} 127.0.0.1"]


def _at_home(live_server: str) -> str:
    return live_server.replace("127.0.0.1", HOME)


def _log_in(page: Page) -> int:
    """Fill in the log-in form and send it: the status of the answer to the post."""
    page.goto("/account/login")
    page.get_by_label("Email").fill(MEMBER)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return posted.value.status


# --- plain HTTP at home ---------------------------------------------------------------------------

@pytest.mark.parametrize("live_settings", [INSECURE])
def test_at_home_over_plain_http_logging_in_works_with_secure_cookies_off(browser: Browser, live_server: str):
    page = browser.new_page(base_url=_at_home(live_server), viewport=SIZES["phone"])
    assert _log_in(page) == 302
    assert page.url.startswith(f"http://{HOME}:")  # neither upgraded to HTTPS nor sent back to loopback
    expect(page.get_by_role("link", name="Mira")).to_be_visible()
    page.goto("/account")
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
    page.close()


@pytest.mark.parametrize("live_settings", [SECURE])
def test_with_secure_cookies_on_plain_http_log_in_says_why_it_cannot_work(browser: Browser, live_server: str):
    page = browser.new_page(base_url=_at_home(live_server), viewport=SIZES["desktop"])
    assert _log_in(page) == 400
    message = page.get_by_role("main")
    expect(message).to_contain_text(EXPLAINED)
    expect(message).to_contain_text("make run HOST=0.0.0.0 HTTPS=1")
    expect(message).to_contain_text("SESSION_COOKIE_SECURE=0")
    expect(message).not_to_contain_text(EXPIRED)
    _visit(page, "home-network-cookie-refused")
    page.close()


@pytest.mark.parametrize("live_settings", [SECURE])
def test_on_this_machine_secure_cookies_work_over_plain_http(browser: Browser, live_server: str):
    """Browsers treat localhost as secure: `make run` with no HOST keeps secure cookies on."""
    page = browser.new_page(base_url=live_server.replace("127.0.0.1", "localhost"))
    assert _log_in(page) == 302
    expect(page.get_by_role("link", name="Mira")).to_be_visible()
    page.close()


def _post_login(client, url: str = "/account/login", token: str = "not the token"):
    return client.post(url, data={"email": MEMBER, "password": PASSWORD, "csrf_token": token})


def test_a_form_that_expired_still_says_so(database: str):
    """The explanation is only for plain HTTP without the cookie; a stale form, or one sent over HTTPS
    without it, keeps the old advice."""
    app: Flask = make_app(database, WTF_CSRF_ENABLED=True, **SECURE)
    with app.app_context():
        with_cookie = app.test_client()
        with_cookie.get("/account/login")
        assert with_cookie.get_cookie(app.config["SESSION_COOKIE_NAME"]) is not None
        stale = _post_login(with_cookie)
        assert stale.status_code == 400 and EXPIRED in stale.text and EXPLAINED not in stale.text
        over_https = _post_login(app.test_client(), "https://localhost/account/login")
        assert over_https.status_code == 400 and EXPIRED in over_https.text
        over_http = _post_login(app.test_client())
        assert over_http.status_code == 400 and EXPLAINED in over_http.text
        db.engine.dispose()


# --- the certificate ------------------------------------------------------------------------------

KITCHEN = home_names("kitchen-pc.fritz.box", ("192.168.1.20",))


def test_the_certificate_names_the_machine_and_its_addresses(tmp_path: Path):
    made = ensure_certificate(tmp_path, KITCHEN)
    assert made.made
    names = certified_names(x509.load_pem_x509_certificate(made.cert.read_bytes()))
    assert set(names.hosts) == {"kitchen-pc.fritz.box", "kitchen-pc", "kitchen-pc.local", "localhost"}
    assert set(names.addresses) == {"127.0.0.1", "::1", "192.168.1.20"}
    ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(made.cert, made.key)  # what serving loads


def test_only_the_owner_can_read_the_key(tmp_path: Path):
    made = ensure_certificate(tmp_path / "instance", KITCHEN)
    for path in (made.key, made.cert):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert sorted(p.name for p in made.key.parent.iterdir()) == sorted([CERT_FILE, KEY_FILE])


def test_a_certificate_still_valid_is_kept(tmp_path: Path):
    first = ensure_certificate(tmp_path, KITCHEN)
    pem = first.cert.read_bytes()
    later = ensure_certificate(tmp_path, KITCHEN, now=utc_now() + VALID_FOR - RENEW_BEFORE - timedelta(days=1))
    assert not later.made and later.fingerprint == first.fingerprint and first.cert.read_bytes() == pem


def test_it_is_made_again_when_an_address_changes(tmp_path: Path):
    first = ensure_certificate(tmp_path, KITCHEN)
    moved = home_names("kitchen-pc.fritz.box", ("192.168.1.57",))
    again = ensure_certificate(tmp_path, moved)
    assert again.made and again.fingerprint != first.fingerprint
    names = certified_names(x509.load_pem_x509_certificate(again.cert.read_bytes()))
    assert "192.168.1.57" in names.addresses and "192.168.1.20" not in names.addresses
    renamed = ensure_certificate(tmp_path, home_names("pantry", ("192.168.1.57",)))
    assert renamed.made and "pantry.local" in certified_names(x509.load_pem_x509_certificate(
        renamed.cert.read_bytes())).hosts


def test_it_is_renewed_near_its_end_and_when_its_key_is_lost(tmp_path: Path):
    first = ensure_certificate(tmp_path, KITCHEN)
    near_end = ensure_certificate(tmp_path, KITCHEN, now=utc_now() + VALID_FOR - RENEW_BEFORE + timedelta(days=1))
    assert near_end.made and near_end.not_after > first.not_after
    other_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    first.key.write_bytes(other_key)
    assert ensure_certificate(tmp_path, KITCHEN, now=near_end.not_after - VALID_FOR).made
    first.cert.write_text("not a certificate")
    assert ensure_certificate(tmp_path, KITCHEN, now=near_end.not_after - VALID_FOR).made


def test_a_phone_is_told_every_address_of_the_machine():
    assert addresses_to_open("0.0.0.0", 5000, "https", KITCHEN) == [
        "https://192.168.1.20:5000", "https://kitchen-pc.local:5000"]
    assert addresses_to_open("127.0.0.1", 8080, "http", KITCHEN) == ["http://localhost:8080"]
    assert addresses_to_open("192.168.1.20", 5000, "http", KITCHEN) == ["http://192.168.1.20:5000"]
    assert addresses_to_open("fd00::20", 5000, "https", KITCHEN) == ["https://[fd00::20]:5000"]


def test_plain_http_at_home_comes_with_a_warning_and_no_certificate(tmp_path: Path):
    said = CliRunner().invoke(home_network, ["--host", "0.0.0.0", "--port", "5000", "--folder", str(tmp_path)])
    assert said.exit_code == 0
    assert "unencrypted" in said.output and "SESSION_COOKIE_SECURE=0" in said.output
    assert "make run HOST=0.0.0.0 HTTPS=1" in said.output and "http://" in said.output
    assert not list(tmp_path.iterdir())


def test_a_folder_the_certificate_cannot_go_in_is_an_error_not_a_traceback(tmp_path: Path):
    (tmp_path / "taken").write_text("a file, not a folder")
    said = CliRunner().invoke(home_network, ["--https", "--folder", str(tmp_path / "taken" / "instance")])
    assert said.exit_code == 1 and "error: cannot write the certificate" in said.output
    assert said.exception is None or isinstance(said.exception, SystemExit)


# --- `make run HOST=0.0.0.0 HTTPS=1`, command by command --------------------------------------------

def _planner() -> list[str]:
    script = Path(sys.executable).with_name("planner")
    return [str(script)] if script.is_file() else [sys.executable, "-c", "from planner.commands import main; main()"]


@pytest.fixture
def https_server(database: str, tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """The two commands `make run HOST=0.0.0.0 HTTPS=1` runs (here on loopback): the URL, the
    certificate and what the first one printed."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "a home key " + "x" * 32,
           "PLANNER_INSTANCE": str(tmp_path)}
    env.pop("SESSION_COOKIE_SECURE", None)
    said = subprocess.run([*_planner(), "home-network", "--host", "127.0.0.1", "--port", str(port), "--https",
                           "--folder", str(tmp_path)], capture_output=True, text=True, env=env, timeout=60)
    assert said.returncode == 0, said.stderr
    server = subprocess.Popen([*_planner(), "run", "--host", "127.0.0.1", "--port", str(port),
                               "--cert", str(tmp_path / CERT_FILE), "--key", str(tmp_path / KEY_FILE)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    trusting = ssl.create_default_context(cafile=str(tmp_path / CERT_FILE))
    try:
        for _ in range(600):
            try:  # checks the name too: localhost must be in the certificate
                urllib.request.urlopen(f"https://localhost:{port}/account/login", timeout=2, context=trusting)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the HTTPS server stopped: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.1)
        yield f"https://localhost:{port}", tmp_path / CERT_FILE, said.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_over_https_at_home_logging_in_works_with_secure_cookies_on(browser: Browser,
                                                                      https_server: tuple[str, Path, str]):
    url, cert, said = https_server
    port = url.rsplit(":", 1)[1]
    assert "https://localhost:" + port in said
    fingerprint = re.search(r"((?:[0-9A-F]{2}:){31}[0-9A-F]{2})", said)
    assert fingerprint and "not private" in said
    served = x509.load_pem_x509_certificate(ssl.get_server_certificate(("127.0.0.1", int(port))).encode())
    assert served.fingerprint(hashes.SHA256()).hex(":").upper() == fingerprint.group(1)  # what was printed
    with urllib.request.urlopen(f"{url}/account/login", context=ssl.create_default_context(cafile=str(cert))) as page:
        assert "Secure" in page.headers["Set-Cookie"]
    # The certificate is nobody's but this machine's: the browser is told to go on, as a person would.
    context = browser.new_context(base_url=f"https://{LOCAL_NAME}:{port}", ignore_https_errors=True,
                                  viewport=SIZES["phone"])
    page = context.new_page()
    assert _log_in(page) == 302
    expect(page.get_by_role("link", name="Mira")).to_be_visible()
    context.close()


# --- what `make run` installs ---------------------------------------------------------------------

def _make_dry_run(*args: str) -> str:
    done = subprocess.run(["make", "--no-print-directory", "-n", "-B", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_run_offers_this_machine_plain_http_at_home_or_https():
    alone = _make_dry_run("run")
    assert "planner run --host 127.0.0.1 --port 5000\n" in alone
    assert "SESSION_COOKIE_SECURE" not in alone and "home-network" not in alone
    plain = _make_dry_run("run", "HOST=0.0.0.0")
    assert "planner home-network --host 0.0.0.0 --port 5000\n" in plain
    assert "SESSION_COOKIE_SECURE=0 .venv/bin/planner run --host 0.0.0.0" in plain
    https = _make_dry_run("run", "HOST=0.0.0.0", "HTTPS=1", "PORT=8443")
    assert "planner home-network --host 0.0.0.0 --port 8443 --https --folder instance\n" in https
    assert "--cert instance/home-cert.pem --key instance/home-key.pem" in https
    assert "SESSION_COOKIE_SECURE" not in https
    # The app alone for `make run`; the test tools only for `make test`.
    assert "pip install --quiet -e .\n" in alone and "[test]" not in alone
    assert "pip install --quiet -e '.[test]'" in _make_dry_run("test")


def _requirements(section: str, key: str) -> list[Requirement]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return [Requirement(line) for line in config[section][key].splitlines() if line.strip()]


def _name(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


TEST_TOOLS = ("pytest", "hypothesis", "pypdf", "playwright", "axe", "ruff", "mypy", "schemathesis", "aiosmtpd",
              "types-")


def test_the_app_installs_no_test_tool():
    runtime = [_name(r.name) for r in _requirements("options", "install_requires")]
    assert not [name for name in runtime if name.startswith(TEST_TOOLS)]
    tests = [_name(r.name) for r in _requirements("options.extras_require", "test")]
    assert all(any(name.startswith(tool) for name in tests) for tool in TEST_TOOLS)


def _runtime_closure() -> set[str]:
    """install_requires and everything they install in turn, as installed here."""
    seen: set[str] = set()
    todo = [(r.name, frozenset(r.extras)) for r in _requirements("options", "install_requires")]
    while todo:
        name, extras = todo.pop()
        if _name(name) in seen:
            continue
        seen.add(_name(name))
        for line in metadata.requires(name) or []:
            needed = Requirement(line)
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in {"", *extras}):
                todo.append((needed.name, frozenset(needed.extras)))
    return seen


def test_everything_the_app_imports_comes_with_its_own_install():
    """`make run` installs install_requires alone: the app must import nothing only the tests bring."""
    imported: set[str] = set()
    for source in (ROOT / "planner").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"planner"}
    providers = metadata.packages_distributions()
    runtime = _runtime_closure()
    missing = {module: providers.get(module) for module in third_party
               if not any(_name(d) in runtime for d in providers.get(module, []))}
    assert not missing, f"imported by planner/ but not installed by `pip install -e .`: {missing}"
    assert "cryptography" in runtime  # the certificate for HTTPS at home

