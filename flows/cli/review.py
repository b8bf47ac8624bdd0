"""``arsip review list|open|confirm-type|done``: the review queue's decisions, as the web
app takes them (:mod:`flows.app.review_queue`), one catalog event per document.

The CLI acts as the role in ``ARSIP_ROLE`` under the name ``cli:<OS user>``. Every id is
tried; the answer lists what was done and what was refused, and any refusal makes the
exit code 1 (an unknown action or type is a usage error: 2).
"""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING, Any

from flows.cli.command import Command

if TYPE_CHECKING:
    from flows.app.exemptions import Desk
    from flows.settings import Settings


def _desk(settings: Settings) -> Desk:
    from archive.catalog import Catalog
    from flows.app.exemptions import Desk
    from flows.app.review import open_register

    catalog = Catalog(settings.catalog_url)
    return Desk(settings.layout, catalog, open_register(settings, catalog), settings.ocr)


def _decide(action: str, args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from archive.records import Actor
    from flows.app.review_queue import decide
    from tasks.text.classify import load_rules

    rules = load_rules()
    actor = Actor(f"cli:{getpass.getuser()}", settings.role)
    doc_type = getattr(args, "type", None)
    desk = _desk(settings)
    try:
        done = decide(desk, action, args.ids, actor, doc_type, (*rules.labels, rules.fallback))
    finally:
        desk.catalog.close()
    return done.to_json()


def open_documents(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    return _decide("open", args, settings)


def confirm_type(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    return _decide("confirm_type", args, settings)


def mark_done(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    return _decide("done", args, settings)


def list_queue(_args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    from archive.catalog import Catalog
    from archive.vocabulary import visible_access
    from flows.app.review_queue import queue

    catalog = Catalog(settings.catalog_url)
    try:
        waiting = queue(catalog, visible_access(settings.role))
    finally:
        catalog.close()
    return [
        {"id": r.id, "title": r.title or r.source_name, "doc_type": r.doc_type,
         "access": r.access, "flags": list(r.flags)}
        for r in waiting
    ]  # fmt: skip


def _ids(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="+", metavar="ID", help="document ids (16 hex digits)")


def _type_args(p: argparse.ArgumentParser) -> None:
    _ids(p)
    p.add_argument("--type", help="the type to set (default: confirm the machine's)")


def _decided_text(data: dict[str, Any]) -> str:
    lines = [f"{doc_id}: ok" for doc_id in data["done"]]
    lines += [f"{f['id']}: refused: {f['error']}" for f in data["failed"]]
    if not data["indexed"]:
        lines.append("search index lags behind: run `arsip reindex`")
    return "\n".join(lines)


def _refusal(data: dict[str, Any]) -> str | None:
    failed = data["failed"]
    total = len(failed) + len(data["done"])
    return f"{len(failed)} of {total} document(s) refused" if failed else None


def _queue_text(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "the review queue is empty"
    return "\n".join(
        f"{r['id']}  {r['access']:<14} {','.join(r['flags']):<30} {r['title']}" for r in rows
    )


COMMANDS = (
    Command("review list", "the review queue (as ARSIP_ROLE)", list_queue, _queue_text),
    Command("review open", "declare documents public (as ppid)", open_documents, _decided_text,
            _ids, _refusal),
    Command("review confirm-type", "confirm (or set with --type) the documents' type",
            confirm_type, _decided_text, _type_args, _refusal),
    Command("review done", "mark documents reviewed: they leave the queue", mark_done,
            _decided_text, _ids, _refusal),
)  # fmt: skip
