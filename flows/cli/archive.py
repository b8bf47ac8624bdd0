"""``arsip ingest|show|list|search|reindex|verify|doctor|demo``: the archive itself."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from flows.cli.command import Command, bulk_imports
from flows.cli.views import (
    doctor_text,
    ingest_text,
    list_text,
    record_text,
    search_text,
    verify_text,
)

if TYPE_CHECKING:
    from archive.catalog import Catalog
    from flows.settings import Settings


def _catalog(settings: Settings) -> Catalog:
    from archive.catalog import Catalog

    return Catalog(settings.catalog_url)


def ingest(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.service.connection import connected

    # The service's Prefect server when it runs, else a temporary one for this command.
    with connected(settings, args.verbose) as connection:
        with bulk_imports():
            from flows.cli.progress import prepare_run, run_ingest  # while a server starts

            if connection.kind == "temporary":
                prepare_run(settings)
        connection.wait_ready()
        return run_ingest(settings, args.inbox, show_progress=not args.json)


def show(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from archive.errors import NotFound

    catalog = _catalog(settings)
    doc = catalog.get(args.id)
    if doc is None:
        raise NotFound(f"no document {args.id}")
    data = doc.to_json()
    data["events"] = [e.to_json() for e in catalog.events(document_id=doc.id)]
    data["receipts"] = [
        {"source_name": r.source_name, "received_at": r.received_at.isoformat(), "kind": r.kind}
        for r in catalog.receipts(doc.id)
    ]
    return data


def list_documents(args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    return [d.to_json() for d in _catalog(settings).list_documents(args.limit, args.offset)]


def search(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from archive.vocabulary import visible_access
    from flows.app.texts import lazy_text_loader
    from index import SearchFilters
    from index import search as run_search

    filters = SearchFilters(doc_type=args.type, year=args.year, unit=args.unit)
    results = run_search(
        settings.layout.index,
        args.query,
        visible=visible_access(settings.role),
        filters=filters,
        page=args.page,
        page_size=args.limit,
        text_loader=lazy_text_loader(settings.layout, lambda: _catalog(settings)),
    )
    return results.to_json()


def reindex(_args: argparse.Namespace, settings: Settings) -> dict[str, int]:
    from flows.app.inbox import data_root_lock, run_lock
    from flows.app.indexing import reindex as rebuild

    with run_lock(data_root_lock(settings.home.resolve())):
        return {"indexed": rebuild(settings.layout, _catalog(settings))}


def verify(_args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.app.verify import verify_all

    return verify_all(settings.layout, _catalog(settings)).to_json()


def doctor(args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    from flows.app.doctor import machine_checks

    checks = machine_checks(settings)
    if not args.no_service:
        from flows.service.health import service_checks

        checks += service_checks(settings)
    return [c.to_json() for c in checks]


def merge(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    import getpass

    from archive.records import Actor
    from flows.app.rescans import merge as merge_rescan

    actor = Actor(f"cli:{getpass.getuser()}", settings.role)
    merged, unlisted = merge_rescan(settings.layout, _catalog(settings), args.id, args.into, actor)
    return {"merged": merged.id, "into": args.into, "search_updated": unlisted}


def migrate(_args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from archive.db import upgrade

    settings.layout.ensure()
    done = upgrade(settings.catalog_url)
    return {"before": done.before, "after": done.after, "changed": done.changed}


def _migrated(d: dict[str, Any]) -> str:
    if not d["changed"]:
        return f"catalog schema already at {d['after']}"
    return f"catalog schema upgraded from {d['before'] or '(empty)'} to {d['after']}"


def demo(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.demo import demo_inbox

    made = demo_inbox(settings.layout.inbox)
    if args.inbox_only:
        return {"inbox": str(settings.layout.inbox), "files": sorted(made)}
    args.inbox = None
    return ingest(args, settings)


def _ingest_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("inbox", nargs="?", help="another inbox directory (default: <home>/inbox)")


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--offset", type=int, default=0)


def _search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--type", dest="type")
    p.add_argument("--year", type=int)
    p.add_argument("--unit")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--page", type=int, default=1)


def _doctor_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-service", action="store_true", help="only the machine, not the service")


def _merge_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="the re-scan (flagged kemungkinan_duplikat)")
    p.add_argument("--into", required=True, help="the document it repeats")


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--inbox-only", action="store_true", help="only write the samples")


def _demo_text(data: dict[str, Any]) -> str:
    if "files" in data:
        return f"demo inbox: {len(data['files'])} files in {data['inbox']}"
    return ingest_text(data)


def _verify_refusal(data: dict[str, Any]) -> str | None:
    return f"verify found {len(data['problems'])} problem(s)" if data["problems"] else None


def _doctor_refusal(rows: list[dict[str, Any]]) -> str | None:
    bad = [r["name"] for r in rows if not r["ok"]]
    return f"doctor: {'; '.join(bad)}" if bad else None


COMMANDS = (
    Command("ingest", "one ingest run now", ingest, ingest_text, _ingest_args),
    Command("show", "one catalog record", show, record_text, lambda p: p.add_argument("id")),
    Command("list", "catalog records", list_documents, list_text, _list_args),
    Command("search", "full-text search (as ARSIP_ROLE)", search, search_text, _search_args),
    Command(
        "reindex",
        "rebuild the search index from archive + catalog",
        reindex,
        lambda d: f"reindexed {d['indexed']} document(s)",
    ),
    Command(
        "verify",
        "fixity of the archive against manifests, catalog and index",
        verify,
        verify_text,
        refusal=_verify_refusal,
    ),
    Command(
        "doctor",
        "check the machine (tools, disk, index) and the service",
        doctor,
        doctor_text,
        _doctor_args,
        _doctor_refusal,
    ),
    Command(
        "merge",
        "record a re-scan as a receipt of the document it repeats (as ARSIP_ROLE)",
        merge,
        lambda d: f"{d['merged']} merged into {d['into']} (a receipt of it now)",
        _merge_args,
    ),
    Command(
        "migrate",
        "upgrade the catalog database to this release's schema (arsip start does it too)",
        migrate,
        _migrated,
    ),
    Command("demo", "generate a sample inbox and ingest it", demo, _demo_text, _demo_args),
)
