"""The production layout in deploy/ stays in step with itself and with the app: nginx passes
requests to the ports systemd starts app servers on, each unit runs gunicorn with gunicorn.conf.py,
nginx refuses the bodies the app would refuse, and the env example sets only what the app reads.
Where nginx is installed, nginx itself checks the site and the config bench/scale_out_bench.py
runs it with."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scale_out_bench import (  # noqa: E402
    ENV_EXAMPLE, NGINX, PROXY_SNIPPET, SITE, STATIC, env_settings, nginx_command, nginx_main, render_nginx,
    upstream_block, upstream_ports, write_snippet)
from planner.config import Config  # noqa: E402

UNIT = ROOT / "deploy" / "systemd" / "gut-planner@.service"
TARGET = ROOT / "deploy" / "systemd" / "gut-planner.target"
ENV_INSTALLED = "/etc/gut-planner/gut-planner.env"
needs_nginx = pytest.mark.skipif(not NGINX.is_file(), reason=f"no {NGINX}: apt-get install nginx")


def unit_values(path: Path, key: str) -> list[str]:
    """The values of `key=` lines in a systemd unit file."""
    return [line.partition("=")[2].strip() for line in path.read_text().splitlines() if line.startswith(f"{key}=")]


def test_nginx_passes_requests_to_the_app_servers_systemd_starts():
    wanted = re.findall(r"gut-planner@(\d+)\.service", " ".join(unit_values(TARGET, "Wants")))
    assert len(wanted) >= 2
    assert [int(port) for port in wanted] == upstream_ports(SITE.read_text())
    assert unit_values(UNIT, "PartOf") == ["gut-planner.target"]
    assert unit_values(UNIT, "WantedBy") == ["gut-planner.target"]


def test_each_app_server_runs_gunicorn_with_its_config_on_its_own_port():
    command = unit_values(UNIT, "ExecStart")[0].split()
    assert Path(command[0]).name == "gunicorn"
    assert Path(command[command.index("--config") + 1]).name == "gunicorn.conf.py"
    assert command[command.index("--bind") + 1] == "${GUNICORN_HOST}:%i"
    assert unit_values(UNIT, "EnvironmentFile") == [ENV_INSTALLED]
    # The address the app servers listen on is the one nginx connects to.
    hosts = set(re.findall(r"^\s*server\s+([\d.]+):\d+", upstream_block(SITE.read_text()), re.MULTILINE))
    assert hosts == {env_settings(ENV_EXAMPLE.read_text())["GUNICORN_HOST"]}


def test_nginx_refuses_the_bodies_the_app_would_refuse():
    found = re.search(r"^client_max_body_size\s+(\d+)([km]?);", PROXY_SNIPPET.read_text(), re.MULTILINE)
    assert found, "client_max_body_size is set in the proxy snippet"
    size = int(found.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[found.group(2)]
    assert size == Config.MAX_CONTENT_LENGTH


def test_the_env_example_sets_what_the_app_reads_behind_one_proxy():
    settings = env_settings(ENV_EXAMPLE.read_text())
    config = (ROOT / "planner" / "config.py").read_text()
    unknown = [key for key in settings if not key.startswith("GUNICORN_") and f'"{key}"' not in config]
    assert not unknown, "settings planner/config.py does not read"
    assert settings["DATABASE_URL"].startswith("postgresql+psycopg://")  # one database for every server
    assert settings["PROXY_COUNT"] == "1"
    assert settings["GUNICORN_HOST"] in [address.strip() for address in settings["PROXY_ADDRESSES"].split(",")]
    assert settings["SESSION_COOKIE_SECURE"] == "1"


def test_the_readme_names_the_files_where_the_units_read_them():
    readme = (ROOT / "deploy" / "README.md").read_text()
    assert ENV_INSTALLED in readme
    command = unit_values(UNIT, "ExecStart")[0].split()
    assert command[command.index("--config") + 1] in readme
    assert "planner db upgrade" in readme


def check(config: Path) -> None:
    checked = subprocess.run(nginx_command(config, "-t"), capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr, checked.stderr


@needs_nginx
def test_nginx_accepts_the_config_the_bench_runs(tmp_path: Path):
    check(render_nginx(tmp_path, [8001, 8002], 8080))


@needs_nginx
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the site's throwaway certificate")
def test_nginx_accepts_the_site(tmp_path: Path):
    """The whole site, with a throwaway certificate in place of the real one and logs in tmp_path."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=planner.example.org", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True, timeout=30)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", SITE.read_text())
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    (tmp_path / "site.conf").write_text(site.replace("/var/log/nginx/", f"{tmp_path}/"))
    write_snippet(tmp_path, STATIC)
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_main(tmp_path, "include site.conf;"))
    check(config)
