"""``arsip serve`` and ``arsip user add|passwd|disable|enable|list``.

Registered by :mod:`flows.cli`; FastAPI and uvicorn are imported only when ``serve`` runs,
so the other commands stay quick.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from archive.accounts import (
    Accounts,
    InvalidAccount,
    UnknownUser,
    UserExists,
    check_username,
)
from archive.catalog import Catalog
from archive.vocabulary import ROLES
from flows.settings import Settings

AddCommand = Callable[[str, Callable[..., int], str], argparse.ArgumentParser]
Emit = Callable[[Any, bool, Callable[[Any], str]], None]


def register(sub: Any, add: AddCommand, emit: Emit) -> None:
    """Add the commands to the ``arsip`` parser (``sub`` is its subparsers object)."""
    serve = add("serve", cmd_serve, "the staff web app")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8000)")
    serve.add_argument("--demo", action="store_true", help="make a demo account if none exists")

    user = sub.add_parser("user", help="web app accounts").add_subparsers(
        dest="user_command", required=True
    )

    def add_user(name: str, func: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = user.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.set_defaults(func=lambda args, settings: func(args, settings, emit))
        return p

    new = add_user("add", cmd_user_add, "create an account (asks for the password)")
    new.add_argument("username")
    new.add_argument("--role", required=True, choices=ROLES)
    new.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    pw = add_user("passwd", cmd_user_passwd, "set a new password (ends the user's sessions)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add_user("disable", cmd_user_disable, "disable an account").add_argument("username")
    add_user("enable", cmd_user_enable, "enable a disabled account").add_argument("username")
    add_user("list", cmd_user_list, "list accounts")


def _accounts(settings: Settings) -> Accounts:
    return Accounts(Catalog(settings.catalog_url).engine)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise InvalidAccount("the two passwords differ")
    return first


def cmd_user_add(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    accounts = _accounts(settings)
    check_username(args.username)  # before asking for a password, not after
    if accounts.get(args.username) is not None:
        raise UserExists(f"user {args.username!r} already exists")
    user = accounts.create(args.username, args.role, _read_password(args.password_stdin))
    emit(user.to_json(), args.json, lambda u: f"created {u['username']} ({u['role']})")
    return 0


def cmd_user_passwd(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    accounts = _accounts(settings)
    if accounts.get(args.username) is None:  # before asking for a password, not after
        raise UnknownUser(f"no user {args.username!r}")
    accounts.set_password(args.username, _read_password(args.password_stdin))
    emit({"username": args.username}, args.json, lambda d: f"password of {d['username']} set")
    return 0


def cmd_user_disable(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _accounts(settings).set_disabled(args.username, True)
    emit({"username": args.username}, args.json, lambda d: f"disabled {d['username']}")
    return 0


def cmd_user_enable(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _accounts(settings).set_disabled(args.username, False)
    emit({"username": args.username}, args.json, lambda d: f"enabled {d['username']}")
    return 0


def cmd_user_list(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    users = [u.to_json() for u in _accounts(settings).list()]
    emit(
        users,
        args.json,
        lambda rows: (
            "\n".join(
                f"{r['username']:<20} {r['role']:<17} {'disabled' if r['disabled'] else 'active'}"
                for r in rows
            )
            or "(no accounts)"
        ),
    )
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from archive.accounts import DEMO_USER
    from web.app import create_app
    from web.config import load_web_settings

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None} | (
        {"demo": True} if args.demo else {}
    )
    web = load_web_settings(**overrides)
    app = create_app(settings, web)
    if app.state.demo_password:
        print(f"demo account: {DEMO_USER} / {app.state.demo_password} (role ppid)", file=sys.stderr)
    print(f"Arsip PPID web app on http://{web.host}:{web.port}", file=sys.stderr)
    uvicorn.run(
        app,
        host=web.host,
        port=web.port,
        proxy_headers=True,
        forwarded_allow_ips=web.trusted_proxies,
        server_header=False,
        log_level="info",
    )
    return 0
