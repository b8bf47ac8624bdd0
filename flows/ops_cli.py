"""``arsip deploy`` and ``arsip serve-flows``: put the flows on a schedule.

Registered by :mod:`flows.cli`; Prefect is imported only when one of them runs.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from flows.settings import Settings

AddCommand = Callable[[str, Callable[..., int], str], argparse.ArgumentParser]
Emit = Callable[[Any, bool, Callable[[Any], str]], None]


def register(sub: Any, add: AddCommand, emit: Emit) -> None:
    """Add the commands to the ``arsip`` parser (``sub`` is its subparsers object)."""
    dep = add(
        "deploy",
        lambda args, settings: cmd_deploy(args, settings, emit),
        "register the deployments of prefect.yaml with the server at PREFECT_API_URL",
    )
    dep.add_argument(
        "--name", action="append", default=[], help="only this deployment (repeatable)"
    )
    dep.add_argument("--pool", default="arsip", help="process work pool (created if missing)")
    add(
        "serve-flows",
        lambda args, settings: cmd_serve_flows(args, settings),
        "run every flow on its schedule in this one process (no work pool or worker)",
    )


def _prefect_env(settings: Settings) -> None:
    # Prefect reads these at import (shared FACTS.md), so before any Prefect import.
    os.environ.setdefault("PREFECT_HOME", str(settings.home.resolve() / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def cmd_deploy(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _prefect_env(settings)
    from flows.deploy import deploy

    names = deploy(args.name, pool=args.pool)
    emit(
        {"deployed": names, "pool": args.pool},
        args.json,
        lambda d: (
            f"deployed {', '.join(d['deployed'])} to work pool {d['pool']}; "
            f"start a worker: prefect worker start --pool {d['pool']}"
        ),
    )
    return 0


def cmd_serve_flows(_args: argparse.Namespace, settings: Settings) -> int:
    _prefect_env(settings)
    from flows.deploy import api_url, serve_flows

    api_url()  # a standing server: runs started by serve() must outlive this process's UI
    serve_flows()
    return 0
