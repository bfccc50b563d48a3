"""Marking text for translation in modules that run without Flask (domain code, the CLI).

`N_` returns its argument unchanged: it only marks a message, so `make messages` extracts it
into the catalogue. The web layer translates marked messages where it shows them (see
planner.localize.translate)."""
from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    return message
