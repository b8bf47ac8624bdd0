"""``arsip start``, ``arsip deploy`` and ``arsip serve-flows``: put the flows on a schedule.

Registered by :mod:`flows.cli`; Prefect is imported only when one of them runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from flows.prefect_env import base_environment
from flows.service_file import running_service
from flows.settings import Settings

AddCommand = Callable[[str, Callable[..., int], str], argparse.ArgumentParser]
Emit = Callable[[Any, bool, Callable[[Any], str]], None]


def register(sub: Any, add: AddCommand, emit: Emit) -> None:
    """Add the commands to the ``arsip`` parser (``sub`` is its subparsers object)."""
    start = add("start", cmd_start, "the office's service: Prefect server + schedules + web app")
    start.add_argument("--host", help="web app address (default ARSIP_WEB_HOST or 127.0.0.1)")
    start.add_argument("--port", type=int, help="web app port (default ARSIP_WEB_PORT or 8000)")
    start.add_argument("--demo", action="store_true", help="make a demo account if none exists")
    dep = add(
        "deploy",
        lambda args, settings: cmd_deploy(args, settings, emit),
        "register prefect.yaml's deployments with the service's (or PREFECT_API_URL's) server",
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


def _standing_server(settings: Settings) -> None:
    """Deploying or serving needs a server that outlives this command: the service's
    (found on the data root) or the one ``PREFECT_API_URL`` names."""
    base_environment(settings)
    if "PREFECT_API_URL" not in os.environ:
        service = running_service(settings.home)
        if service is not None:
            os.environ["PREFECT_API_URL"] = service.api_url


def cmd_start(args: argparse.Namespace, settings: Settings) -> int:
    from archive.accounts import Accounts, ensure_demo_account, require_accounts
    from archive.catalog import Catalog
    from flows.service import ServiceOptions, run_service
    from web.config import load_web_settings

    web = load_web_settings()
    settings.layout.ensure()  # a fresh data root: inbox, archive, ... and the catalog
    catalog = Catalog(settings.catalog_url)
    try:
        accounts = Accounts(catalog.engine)
        # Refused before anything starts, not after five restarts of the web app.
        password = ensure_demo_account(accounts) if args.demo or web.demo else None
        require_accounts(accounts)
    finally:
        catalog.close()
    options = ServiceOptions(args.host or web.host, args.port or web.port, password)
    return run_service(settings, options, lambda line: print(line, file=sys.stderr, flush=True))


def cmd_deploy(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _standing_server(settings)
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
    _standing_server(settings)
    from flows.deploy import api_url, serve_flows

    api_url()  # a standing server: runs started by serve() must outlive this process's UI
    serve_flows(ingest_every=settings.ingest_every_seconds)
    return 0
