"""The ``arsip`` command. Errors from every package become one-line reasons and exit codes.

Prefect is imported only by the commands that run flows, after its environment is set:
``arsip show`` answers in a fraction of a second.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from archive.catalog import Catalog
from archive.errors import ArchiveError, CatalogUnavailable, IntegrityFailure, NotFound
from flows.exemptions_cli import register as register_exemption_commands
from flows.inbox import IngestBusy
from flows.ops_cli import register as register_ops_commands
from flows.prefect_env import connected
from flows.service_file import ServiceRunning
from flows.settings import Settings, load_settings
from index import IndexBusy, IndexMissing, QueryError, SearchIndexError
from tasks.errors import Rejected, TaskError, ToolMissing
from web.commands import register as register_web_commands

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3
EXIT_TOOL_MISSING, EXIT_INTEGRITY, EXIT_CATALOG, EXIT_BUSY = 4, 5, 6, 75

# Most specific first: the first matching class decides the exit code.
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (NotFound, EXIT_NOT_FOUND),
    (ToolMissing, EXIT_TOOL_MISSING),
    (IntegrityFailure, EXIT_INTEGRITY),
    (CatalogUnavailable, EXIT_CATALOG),
    (IngestBusy, EXIT_BUSY),
    (ServiceRunning, EXIT_BUSY),
    (IndexBusy, EXIT_BUSY),
    (QueryError, EXIT_USAGE),
    (IndexMissing, EXIT_NOT_FOUND),
    (SearchIndexError, EXIT_FAIL),
    (Rejected, EXIT_FAIL),
    (TaskError, EXIT_FAIL),
    (ArchiveError, EXIT_FAIL),
)


class CommandFailed(Exception):
    """A command ran but its answer is "no" (verify found problems, doctor found gaps)."""


def exit_code_for(exc: BaseException) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return EXIT_FAIL


def emit(data: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text(data))


# ------------------------------------------------------------------ commands


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    # The service's Prefect server when it runs, else a temporary one for this command.
    with connected(settings, args.verbose):
        from flows.runner import run_ingest

        summary = run_ingest(settings, args.inbox, show_progress=not args.json)
    emit(summary, args.json, _ingest_text)
    return EXIT_OK


def _ingest_text(summary: dict[str, Any]) -> str:
    lines = [
        f"{r['outcome']:<12} {r['file']:<32} {r['id'] or '':<17} "
        f"{r['doc_type'] or '':<13} {', '.join(r['flags']) or r['reason'] or ''}"
        for r in summary["results"]
    ]
    c = summary["counts"]
    lines.append(
        f"\narchived {c['archived']} (flagged {c['flagged']}), duplicate "
        f"{c['duplicate']}, quarantined {c['quarantined']}"
    )
    if summary["waiting"]:
        lines.append(f"still being copied, left for the next run: {', '.join(summary['waiting'])}")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    catalog = Catalog(settings.catalog_url)
    doc = catalog.get(args.id)
    if doc is None:
        raise NotFound(f"no document {args.id}")
    data = doc.to_json()
    data["events"] = [e.to_json() for e in catalog.events(document_id=doc.id)]
    data["receipts"] = [
        {"source_name": r.source_name, "received_at": r.received_at.isoformat(), "kind": r.kind}
        for r in catalog.receipts(doc.id)
    ]
    emit(
        data,
        args.json,
        lambda d: "\n".join(
            f"{k:<20} {v}" for k, v in d.items() if k not in ("events", "receipts")
        ),
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    docs = Catalog(settings.catalog_url).list_documents(args.limit, args.offset)
    emit(
        [d.to_json() for d in docs],
        args.json,
        lambda rows: (
            "\n".join(
                f"{r['id']}  {r['doc_type']:<13} {r['date'] or '':<10}  {r['number'] or '-':<36} "
                f"{(r['title'] or r['source_name'])[:60]}"
                for r in rows
            )
            or "(empty)"
        ),
    )
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    from flows.verify import verify_all

    report = verify_all(settings.layout, Catalog(settings.catalog_url))
    emit(
        report.to_json(),
        args.json,
        lambda r: "\n".join(
            [f"checked {r['checked']} files, {len(r['problems'])} problem(s)"]
            + [
                f"{p['kind']:<17} {p['id'] or '-':<17} {p['path']}: {p['detail']}"
                for p in r["problems"]
            ]
        ),
    )
    if report.problems:
        raise CommandFailed(f"verify found {len(report.problems)} problem(s)")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from flows.indexing import text_loader
    from index import SearchFilters, search

    catalog = Catalog(settings.catalog_url)
    filters = SearchFilters(doc_type=args.type, year=args.year, unit=args.unit)
    results = search(
        settings.layout.index,
        args.query,
        role=settings.role,
        filters=filters,
        page=args.page,
        page_size=args.limit,
        text_loader=text_loader(settings.layout, catalog),
    )
    emit(results.to_json(), args.json, _search_text)
    return EXIT_OK


def _search_text(data: dict[str, Any]) -> str:
    lines = [f"{data['total']} document(s), page {data['page']}/{data['page_count']}"]
    if data["suggestion"]:
        lines.append(f"did you mean: {data['suggestion']}")
    for hit in data["hits"]:
        snippet = hit["snippet"].replace("<mark>", "[").replace("</mark>", "]")
        lines.append(
            f"\n{hit['id']}  {hit['doc_type']:<13} {hit['score']:6.2f}  "
            f"{hit['title'] or hit['source_name']}\n    {snippet[:200]}"
        )
    return "\n".join(lines)


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from flows.inbox import run_lock
    from flows.indexing import reindex

    with run_lock(settings.home.resolve() / ".ingest.lock"):
        count = reindex(settings.layout, Catalog(settings.catalog_url))
    emit({"indexed": count}, args.json, lambda d: f"reindexed {d['indexed']} document(s)")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from flows.doctor import run_doctor

    checks = run_doctor(settings, service=not args.no_service)
    emit(
        [c.to_json() for c in checks],
        args.json,
        lambda rows: "\n".join(
            f"{'ok ' if r['ok'] else 'BAD'}  {r['name']:<24} {r['detail']}" for r in rows
        ),
    )
    if not all(c.ok for c in checks):
        raise ToolMissing("doctor: " + "; ".join(c.name for c in checks if not c.ok))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from flows.samples import demo_inbox

    made = demo_inbox(settings.layout.inbox)
    if not args.json:
        print(f"demo inbox: {len(made)} files in {settings.layout.inbox}")
    if args.inbox_only:
        return EXIT_OK
    args.inbox = None
    return cmd_ingest(args, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arsip", description="Arsip PPID archive")
    parser.add_argument("-v", "--verbose", action="store_true", help="show Prefect logs")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.set_defaults(func=func)
        return p

    add("ingest", cmd_ingest, "one ingest run now").add_argument("inbox", nargs="?")
    add("show", cmd_show, "one catalog record").add_argument("id")
    lst = add("list", cmd_list, "catalog records")
    lst.add_argument("--limit", type=int, default=100)
    lst.add_argument("--offset", type=int, default=0)
    srch = add("search", cmd_search, "full-text search (as ARSIP_ROLE)")
    srch.add_argument("query", nargs="?", default="")
    srch.add_argument("--type", dest="type")
    srch.add_argument("--year", type=int)
    srch.add_argument("--unit")
    srch.add_argument("--limit", type=int, default=10)
    srch.add_argument("--page", type=int, default=1)
    add("reindex", cmd_reindex, "rebuild the search index from archive + catalog")
    add("verify", cmd_verify, "fixity of the archive against manifests and catalog")
    doctor = add("doctor", cmd_doctor, "check the machine (tools, disk, index) and the service")
    doctor.add_argument(
        "--no-service", action="store_true", help="only the machine: skip the service checks"
    )
    demo = add("demo", cmd_demo, "generate a sample inbox and ingest it")
    demo.add_argument(
        "--inbox-only", action="store_true", help="only write the samples (the service ingests)"
    )
    register_web_commands(sub, add, emit)  # serve, user add|passwd|disable|enable|list
    register_exemption_commands(sub, add, emit)  # publish, exemption list|show|review|...
    register_ops_commands(sub, add, emit)  # deploy, serve-flows
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.func(args, settings))
    except CommandFailed as exc:
        print(f"arsip: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:
        print(f"arsip: {exc}", file=sys.stderr)
        return exit_code_for(exc)


if __name__ == "__main__":
    sys.exit(main())
