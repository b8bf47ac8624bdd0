"""The ``arsip`` command: one parser over every :class:`Command`, exit codes from the errors.

Settings are read once here and passed to the command.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import sys
from collections.abc import Sequence

from flows.cli import archive, exemptions, requests, review, service, users
from flows.cli.command import EXIT_OK, Command, CommandFailed, as_json, exit_code_for

COMMANDS: tuple[Command, ...] = (
    *archive.COMMANDS,
    *service.COMMANDS,
    *users.COMMANDS,
    *exemptions.COMMANDS,
    *requests.COMMANDS,
    *review.COMMANDS,
)
GROUPS = {
    "user": "web app accounts",
    "exemption": "the exemption register (DIK)",
    "request": "information requests (permohonan informasi)",
    "review": "the review queue: access and type decisions",
}

__all__ = ["COMMANDS", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arsip", description="Arsip PPID archive")
    parser.add_argument("-v", "--verbose", action="store_true", help="show Prefect logs")
    top = parser.add_subparsers(dest="command", required=True)
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for command in COMMANDS:
        *group, name = command.name.split()
        sub = top
        if group:
            if group[0] not in groups:
                holder = top.add_parser(group[0], help=GROUPS[group[0]])
                groups[group[0]] = holder.add_subparsers(dest=f"{group[0]}_command", required=True)
            sub = groups[group[0]]
        p = sub.add_parser(name, help=command.help)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        command.arguments(p)
        p.set_defaults(command_spec=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The process ends after the command: its last garbage collections would walk every
    # object Prefect and pydantic made (0.5-0.8 s CPU per `arsip ingest`). Frozen objects
    # are skipped; atexit handlers (log flushes) still run first.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    args = build_parser().parse_args(argv)
    command: Command = args.command_spec
    try:
        from flows.settings import load_settings

        data = command.run(args, load_settings())
        print(as_json(data) if args.json else command.text(data))
        refusal = command.refusal(data)
        if refusal:
            raise CommandFailed(refusal)
    except Exception as exc:
        print(f"arsip: {exc}", file=sys.stderr)
        return exit_code_for(exc)
    return EXIT_OK
