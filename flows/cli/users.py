"""``arsip user add|passwd|disable|enable|list``: accounts of the web app."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from archive.vocabulary import ROLES
from flows.cli.command import Command

if TYPE_CHECKING:
    from archive.accounts import Accounts
    from flows.settings import Settings


def _accounts(settings: Settings) -> Accounts:
    from archive.accounts import Accounts
    from archive.catalog import Catalog

    return Accounts(Catalog(settings.catalog_url).engine)


def _read_password(from_stdin: bool) -> str:
    from archive.account_rules import InvalidAccount

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise InvalidAccount("the two passwords differ")
    return first


def add(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from archive.account_rules import UserExists, check_username

    accounts = _accounts(settings)
    check_username(args.username)  # before asking for a password, not after
    if accounts.get(args.username) is not None:
        raise UserExists(f"user {args.username!r} already exists")
    return accounts.create(args.username, args.role, _read_password(args.password_stdin)).to_json()


def passwd(args: argparse.Namespace, settings: Settings) -> dict[str, str]:
    from archive.account_rules import UnknownUser

    accounts = _accounts(settings)
    if accounts.get(args.username) is None:  # before asking for a password, not after
        raise UnknownUser(f"no user {args.username!r}")
    accounts.set_password(args.username, _read_password(args.password_stdin))
    return {"username": args.username}


def disable(args: argparse.Namespace, settings: Settings) -> dict[str, str]:
    _accounts(settings).set_disabled(args.username, True)
    return {"username": args.username}


def enable(args: argparse.Namespace, settings: Settings) -> dict[str, str]:
    _accounts(settings).set_disabled(args.username, False)
    return {"username": args.username}


def list_users(_args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    return [u.to_json() for u in _accounts(settings).list()]


def _list_text(rows: list[dict[str, Any]]) -> str:
    return (
        "\n".join(
            f"{r['username']:<20} {r['role']:<17} {'disabled' if r['disabled'] else 'active'}"
            for r in rows
        )
        or "(no accounts)"
    )


def _name(p: argparse.ArgumentParser) -> None:
    p.add_argument("username")


def _new_user(p: argparse.ArgumentParser) -> None:
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")


def _password(p: argparse.ArgumentParser) -> None:
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")


COMMANDS = (
    Command(
        "user add",
        "create an account (asks for the password)",
        add,
        lambda u: f"created {u['username']} ({u['role']})",
        _new_user,
    ),
    Command(
        "user passwd",
        "set a new password (ends the user's sessions)",
        passwd,
        lambda d: f"password of {d['username']} set",
        _password,
    ),
    Command(
        "user disable", "disable an account", disable, lambda d: f"disabled {d['username']}", _name
    ),
    Command(
        "user enable",
        "enable a disabled account",
        enable,
        lambda d: f"enabled {d['username']}",
        _name,
    ),
    Command("user list", "list accounts", list_users, _list_text),
)
