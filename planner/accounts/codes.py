"""Random one-time codes and tokens, and the digests kept in their place."""
from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str = "") -> str:
    """A long random secret: 32 bytes, URL-safe, with a prefix that says what it is for."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What the database keeps: a SHA-256 of a high-entropy secret needs no salt or slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()
