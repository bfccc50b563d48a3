"""Known devices: a browser that has logged in to an account holds a signed, long-lived "device" cookie
naming it, so a later log-in from it is judged by its own failures, not by strangers' (limits.py).

The cookie holds a random device name and the accounts that logged in from it; it is signed with the
app's secret key, so it cannot be made up or changed, and it opens nothing by itself: the password is
still needed.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "device"
LIFETIME = timedelta(days=365)
MOST_ACCOUNTS = 5  # a family tablet: a few members log in from it


@dataclass(frozen=True)
class Device:
    name: str
    user_ids: tuple[int, ...] = field(default=())

    def knows(self, user_id: int) -> bool:
        return user_id in self.user_ids

    def with_user(self, user_id: int) -> Device:
        """The device after `user_id` logged in from it: that account last, the oldest dropped."""
        ids = (*(i for i in self.user_ids if i != user_id), user_id)
        return Device(self.name, ids[-MOST_ACCOUNTS:])


def _signer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="known-device")


def new_device() -> Device:
    return Device(secrets.token_urlsafe(16))


def read(secret_key: str, cookie: str | None) -> Device | None:
    """The device a cookie names, or None when there is none or it is not one this app signed."""
    if not cookie:
        return None
    try:
        data = _signer(secret_key).loads(cookie, max_age=int(LIFETIME.total_seconds()))
        return Device(str(data["n"]), tuple(int(i) for i in data["u"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def write(secret_key: str, device: Device) -> str:
    return _signer(secret_key).dumps({"n": device.name, "u": list(device.user_ids)})
