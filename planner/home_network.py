"""`planner home-network`: before the app is served to the home network, say where a phone opens it,
and either make the HTTPS certificate or warn that plain HTTP crosses the network unencrypted.
`make run HOST=0.0.0.0 [HTTPS=1]` runs it, then `planner run`. It needs no app, so it loads none."""
from __future__ import annotations

from pathlib import Path

import click

from planner.cli_output import fail
from planner.config import INSTANCE_DIR


@click.command("home-network")
@click.option("--host", default="0.0.0.0", show_default=True, help="The address the app will listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--https", "https", is_flag=True,
              help="Make (or renew) the certificate for HTTPS; without it, warn about plain HTTP.")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=INSTANCE_DIR,
              show_default="the instance folder", help="Where the certificate and its key are kept.")
def home_network(host: str, port: int, https: bool, folder: Path) -> None:
    """Say where to open the app on a phone at home; with --https, make its certificate first."""
    from planner.home_cert import addresses_to_open, ensure_certificate, home_names

    names = home_names()
    places = "\n".join(f"  {url}" for url in addresses_to_open(host, port, "https" if https else "http", names))
    if not https:
        click.echo(f"Serving on the home network over plain HTTP. On a phone on the same network, open:\n{places}\n"
                   "Warning: passwords and everything else then cross the home network unencrypted, and the\n"
                   "log-in cookie is sent without HTTPS (SESSION_COOKIE_SECURE=0). For HTTPS instead:\n"
                   "  make run HOST=0.0.0.0 HTTPS=1")
        return
    try:
        made = ensure_certificate(folder, names)
    except OSError as problem:
        fail(f"cannot write the certificate to {folder}: {problem.strerror or problem}")
    click.echo(f"Serving over HTTPS. On a phone on the same network, open:\n{places}\n"
               f"The certificate ({made.cert}, {'made now' if made.made else 'kept'}, "
               f"until {made.not_after:%Y-%m-%d})\n"
               "was made by this machine, not by an authority browsers know, so the first visit warns that\n"
               "the connection is not private. If the certificate shown there has this SHA-256 fingerprint,\n"
               "it is this one and it is safe to go on (Advanced, then Proceed; on an iPhone, Show Details):\n"
               f"  {made.fingerprint}")
