"""``arsip start|serve|deploy|serve-flows``: the office's service and its parts."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from flows.cli.command import Command

if TYPE_CHECKING:
    from flows.settings import Settings, WebSettings


def _web_options(args: argparse.Namespace, settings: Settings) -> WebSettings:
    web = settings.web
    changes = {"host": args.host or web.host, "port": args.port or web.port}
    updated: WebSettings = web.model_copy(update=changes | {"demo": web.demo or args.demo})
    return updated


def start(args: argparse.Namespace, settings: Settings) -> int:
    from archive.accounts import Accounts, ensure_demo_account, require_accounts
    from archive.catalog import Catalog
    from archive.db import upgrade
    from flows.service.supervisor import ServiceOptions, run_service

    web = _web_options(args, settings)
    settings.layout.ensure()  # a fresh data root: inbox, archive, ... and the catalog
    upgraded = upgrade(settings.catalog_url)  # the service runs this release's schema
    if upgraded.changed and upgraded.before:
        print(
            f"catalog schema upgraded from {upgraded.before} to {upgraded.after}", file=sys.stderr
        )
    catalog = Catalog(settings.catalog_url)
    try:
        accounts = Accounts(catalog.engine)
        # Refused before anything starts, not after five restarts of the web app.
        password = ensure_demo_account(accounts) if web.demo else None
        require_accounts(accounts)
    finally:
        catalog.close()
    options = ServiceOptions(web.host, web.port, password)
    return run_service(settings, options, lambda line: print(line, file=sys.stderr, flush=True))


# What each web worker process imports and calls (uvicorn needs a name to start workers).
WORKER_APP = "flows.cli.service:web_worker_app"


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """The web app alone (the service runs it as a child): in this process, or in
    ``ARSIP_WEB_WORKERS`` worker processes of it (one core each) on one socket."""
    import gc

    import uvicorn

    from web.app import PROXY_HEADERS, create_app

    web = _web_options(args, settings)
    options: dict[str, Any] = {
        "proxy_headers": PROXY_HEADERS,
        "server_header": False,
        "timeout_keep_alive": settings.web_keep_alive_seconds,
    }
    if settings.web_workers == 1:
        app = create_app(settings, web)
        _announce(web, app.state.demo_password)
        gc.freeze()  # what start-up made is never garbage: later collections skip it
        uvicorn.run(app, host=web.host, port=web.port, log_level="info", **options)
        return 0
    _announce(web, _prepare_workers(settings, web))
    uvicorn.run(
        WORKER_APP,
        factory=True,
        workers=settings.web_workers,
        host=web.host,
        port=web.port,
        log_level="info",
        **options,
    )
    return 0


def _announce(web: WebSettings, demo_password: str | None) -> None:
    from archive.accounts import DEMO_USER

    if demo_password:
        print(f"demo account: {DEMO_USER} / {demo_password} (role ppid)", file=sys.stderr)
    print(f"Arsip PPID web app on http://{web.host}:{web.port}", file=sys.stderr)


def _prepare_workers(settings: Settings, web: WebSettings) -> str | None:
    """What must happen once, before the workers: the catalog migrated if brand-new, the
    demo account made (by one process, so its password is the one shown), and the
    settings the workers must share put in the environment they inherit: this
    command's options, and one secret for the sign-in form (a form served by one
    worker is posted to another)."""
    import secrets

    from archive.accounts import Accounts
    from archive.catalog import Catalog
    from web.app import ensure_accounts

    catalog = Catalog(settings.catalog_url)
    try:
        password = ensure_accounts(Accounts(catalog.engine), web)
    finally:
        catalog.close()
    os.environ.update(
        ARSIP_WEB_HOST=web.host, ARSIP_WEB_PORT=str(web.port), ARSIP_WEB_DEMO=str(web.demo)
    )
    if web.session_secret is None:
        os.environ["ARSIP_WEB_SESSION_SECRET"] = secrets.token_urlsafe(32)
    return password


def web_worker_app() -> Any:
    """One web worker's app (uvicorn calls this in each worker process it starts): the
    settings read once, from the environment ``serve`` prepared."""
    import gc
    import multiprocessing

    from flows.service.processes import die_with_parent
    from flows.settings import load_settings
    from web.app import create_app

    parent = multiprocessing.parent_process()
    if parent is not None and parent.pid is not None:
        # uvicorn's parent killed with SIGKILL must not leave its workers serving.
        die_with_parent(parent.pid)
    app = create_app(load_settings())
    gc.freeze()
    return app


def _standing_server(settings: Settings) -> None:
    """Deploying or serving needs a server that outlives this command: the service's
    (found on the data root) or the one ``PREFECT_API_URL`` names."""
    from flows.service.connection import base_environment
    from flows.service.files import running_service

    base_environment(settings)
    if "PREFECT_API_URL" not in os.environ:
        service = running_service(settings.home)
        if service is not None:
            os.environ["PREFECT_API_URL"] = service.api_url


def deploy(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _standing_server(settings)
    from flows.deploy import deploy as register

    return {"deployed": register(args.name, pool=args.pool), "pool": args.pool}


def serve_flows(_args: argparse.Namespace, settings: Settings) -> int:
    _standing_server(settings)
    from flows.deploy import api_url, serve_flows

    api_url()  # a standing server: runs started by serve() must outlive this process's UI
    serve_flows(ingest_every=settings.ingest_every_seconds)
    return 0


def _web_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="web app address (default ARSIP_WEB_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="web app port (default ARSIP_WEB_PORT or 8000)")
    p.add_argument("--demo", action="store_true", help="make a demo account if none exists")


def _deploy_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", action="append", default=[], help="only this deployment (repeatable)")
    p.add_argument("--pool", default="arsip", help="process work pool (created if missing)")


def _deployed(d: dict[str, Any]) -> str:
    return (
        f"deployed {', '.join(d['deployed'])} to work pool {d['pool']}; "
        f"start a worker: prefect worker start --pool {d['pool']}"
    )


def _stopped(_code: int) -> str:
    return "stopped"


COMMANDS = (
    Command(
        "start",
        "the office's service: Prefect server + schedules + web app",
        start,
        _stopped,
        _web_args,
    ),
    Command("serve", "the staff web app alone", serve, _stopped, _web_args),
    Command(
        "deploy",
        "register prefect.yaml's deployments with the service's (or PREFECT_API_URL's) server",
        deploy,
        _deployed,
        _deploy_args,
    ),
    Command(
        "serve-flows",
        "run every flow on its schedule in this process (no work pool or worker)",
        serve_flows,
        _stopped,
    ),
)
