"""Sending mail: through an SMTP server (smtplib) when one is configured, else written as .eml files to
a folder (development), one file a message.

A message that cannot be sent is logged and dropped, never an error for the person asking: an answer
that differed would tell them whether an account exists, and the account works without the mail.
"""
from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
TIMEOUT = 10  # seconds to reach the mail server


@dataclass(frozen=True)
class Letter:
    """A plain-text message to one address."""
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class Mailer:
    server: str
    port: int
    username: str
    password: str
    use_tls: bool
    sender: str
    folder: Path

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Mailer:
        return cls(server=config["MAIL_SERVER"], port=int(config["MAIL_PORT"]), username=config["MAIL_USERNAME"],
                   password=config["MAIL_PASSWORD"], use_tls=bool(config["MAIL_USE_TLS"]),
                   sender=config["MAIL_FROM"], folder=Path(config["MAIL_FOLDER"]))

    def message(self, letter: Letter) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = letter.to
        message["Subject"] = letter.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2].strip("> ") or "localhost")
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
        message.set_content(letter.body)
        return message

    def send(self, letter: Letter) -> bool:
        """Send a letter; False (and a log line) when it could not be sent or written."""
        message = self.message(letter)
        try:
            if self.server:
                self._smtp(message)
            else:
                self._file(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("mail %r to %s was not sent: %s", letter.subject, letter.to, exc)
            return False
        return True

    def _smtp(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.server, self.port, timeout=TIMEOUT) as smtp:
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message)

    def _file(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        (self.folder / f"{stamp}-{secrets.token_hex(4)}.eml").write_bytes(bytes(message))
