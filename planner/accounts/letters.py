"""The mails the accounts send. They name the account and carry a link, never health data (no
profile, age, pregnancy or allergy), and they say what to do if the person did not ask for them."""
from __future__ import annotations

from typing import Protocol

from planner.accounts.mail import Letter

SIGN_OFF = "\n\n-- \nGut Planner"


class Links(Protocol):
    """The app's full addresses, made by the web face (domain code knows no URLs)."""

    def verify(self, code: str) -> str: ...

    def reset(self, code: str) -> str: ...

    def join(self, code: str) -> str: ...

    def login(self) -> str: ...

    def reset_request(self) -> str: ...


def verify(to: str, name: str, link: str, days: int) -> Letter:
    return Letter(to, "Confirm your email for Gut Planner",
                  f"Hello {name},\n\nPlease confirm that this is your email by opening this link (it works once, "
                  f"for {days} days):\n\n{link}\n\nIf you did not make an account, ignore this mail." + SIGN_OFF)


def signup_taken(to: str, login: str, reset: str) -> Letter:
    return Letter(to, "Someone tried to sign up with your email",
                  "Someone tried to make a Gut Planner account with this email, which already has one. "
                  "Nothing was changed.\n\n"
                  f"If it was you, log in instead: {login}\nForgot your password? Set a new one: {reset}\n\n"
                  "If it was not you, you need do nothing." + SIGN_OFF)


def reset(to: str, link: str, minutes: int) -> Letter:
    return Letter(to, "Set a new Gut Planner password",
                  f"Someone (we hope you) asked to set a new password for this email.\n\nOpen this link to "
                  f"choose one (it works once, for {minutes} minutes):\n\n{link}\n\n"
                  "If you did not ask, ignore this mail: your password stays as it is." + SIGN_OFF)


def password_changed(to: str, reset_request: str) -> Letter:
    return Letter(to, "Your Gut Planner password was changed",
                  "The password of your account was just changed, and every device logged in to it was "
                  "logged out.\n\n"
                  f"If you did not do this, set a new password now: {reset_request}" + SIGN_OFF)


def invite(to: str, inviter: str, household: str, link: str, days: int) -> Letter:
    return Letter(to, f"{inviter} invites you to {household} on Gut Planner",
                  f"{inviter} invites you to join {household} on Gut Planner, to share meal plans and "
                  f"shopping lists.\n\nOpen this link to accept (it works once, for {days} days):\n\n{link}\n\n"
                  "If you do not know the sender, ignore this mail." + SIGN_OFF)
