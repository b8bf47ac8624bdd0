"""What a valid staff account is (username, role, password length) and the errors the
account operations raise. Plain checks, no hashing and no database (``archive.accounts``
has those): the ``arsip user`` command runs them itself before asking for a password.
"""

from __future__ import annotations

import re

from archive.errors import ArchiveError, NotFound
from archive.vocabulary import ROLES

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # argon2 takes any length; this only bounds the work per attempt
_USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")


class AccountError(ArchiveError):
    """Base of the account errors; the message says what to fix."""


class InvalidAccount(AccountError):
    """A username, role or password that does not meet the rules."""


class UserExists(AccountError):
    pass


class UnknownUser(AccountError, NotFound):
    pass


def check_username(username: str) -> str:
    if not _USERNAME.fullmatch(username):
        raise InvalidAccount(
            f"invalid username {username!r}: 2-32 characters, lowercase letters, digits, "
            "'.', '_' or '-', starting with a letter"
        )
    return username


def check_password(password: str) -> str:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise InvalidAccount(f"password must have at least {MIN_PASSWORD_CHARS} characters")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidAccount(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    return role
