"""Recipe import speed: each saved page in tests/data/pages read by draft_from_html (in-process)
and by draft_from_url through a local HTTP server on 127.0.0.1, median and max per page, with
how many ingredient lines and steps each gave. The first read of all (imports, recipe-scrapers'
plugin set-up) is reported on its own and left out of the figures.

Run: .venv/bin/python bench/import_bench.py [--runs 15]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.recipes.importing import (FetchRules, ImportRefused, decode_page, draft_from_html,  # noqa: E402
                                       draft_from_url)

PAGES = ROOT / "tests" / "data" / "pages"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def timed(read: object, runs: int) -> tuple[list[float], str]:
    """Milliseconds of each run, and "lines/steps" (or the refusal's reason)."""
    times: list[float] = []
    outcome = ""
    for _ in range(runs):
        started = time.perf_counter()
        try:
            draft = read()  # type: ignore[operator]
            outcome = f"{len(draft.lines)}/{len(draft.steps)}"
        except ImportRefused as exc:
            outcome = exc.reason
        times.append((time.perf_counter() - started) * 1000)
    return times, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    handler = functools.partial(QuietHandler, directory=str(PAGES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    rules = FetchRules(allow_private=True)

    pages = sorted(PAGES.glob("*.html"))
    started = time.perf_counter()
    draft_from_html(decode_page(pages[0].read_bytes()))
    print(f"first read (cold: imports and set-up): {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"{args.runs} runs a page; milliseconds\n")
    print(f"{'page':42} {'lines/steps':>11} {'html med':>9} {'html max':>9} {'url med':>8} {'url max':>8}")
    all_html: list[float] = []
    all_url: list[float] = []
    try:
        for page in pages:
            html = decode_page(page.read_bytes())
            url = f"{base}/{page.name}"
            html_times, outcome = timed(lambda html=html, url=url: draft_from_html(html, url), args.runs)
            url_times, _ = timed(lambda url=url: draft_from_url(url, rules), args.runs)
            all_html += html_times
            all_url += url_times
            print(f"{page.name:42} {outcome:>11} {statistics.median(html_times):9.1f} {max(html_times):9.1f} "
                  f"{statistics.median(url_times):8.1f} {max(url_times):8.1f}")
    finally:
        server.shutdown()
        server.server_close()
    print(f"\n{'all pages':42} {'':>11} {statistics.median(all_html):9.1f} {max(all_html):9.1f} "
          f"{statistics.median(all_url):8.1f} {max(all_url):8.1f}")


if __name__ == "__main__":
    main()
