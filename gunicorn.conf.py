"""Gunicorn's settings for Gut Planner: read when gunicorn starts in this folder, or with
`-c gunicorn.conf.py`. Options on the command line win."""
import os

from planner.serving import warm

wsgi_app = "planner:create_app()"
# Two per core: while one worker holds a long request (a plan takes about 200 ms), the kernel
# gives the core to another that answers checks.
workers = 2 * (os.cpu_count() or 1) + 1


def post_worker_init(worker) -> None:  # noqa: ANN001 (gunicorn's worker)
    warm(worker.wsgi)
