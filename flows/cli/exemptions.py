"""``arsip publish`` and ``arsip exemption list|show|bases|approvers|review|expire|redact``.

The CLI acts as the role in ``ARSIP_ROLE`` under the name ``cli:<OS user>``, so what it
changes is attributable too.
"""

from __future__ import annotations

import argparse
import getpass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.cli.command import Command

if TYPE_CHECKING:
    from archive.catalog import Catalog
    from archive.exemptions import Actor, Entry, ExemptionRegister
    from flows.app.exemptions import Desk
    from flows.settings import Settings


def _actor(settings: Settings) -> Actor:
    from archive.exemptions import Actor

    return Actor(f"cli:{getpass.getuser()}", settings.role)


def _open(settings: Settings) -> tuple[Catalog, ExemptionRegister]:
    from archive.catalog import Catalog
    from flows.app.review import open_register

    catalog = Catalog(settings.catalog_url)
    return catalog, open_register(settings, catalog)


def _desk(settings: Settings) -> Desk:
    from flows.app.exemptions import Desk

    catalog, register = _open(settings)
    return Desk(settings.layout, catalog, register, settings.ocr)


def entry_json(entry: Entry, stage: str | None = None) -> dict[str, Any]:
    return {
        "id": entry.id,
        "status": entry.status,
        "stage": stage or entry.status,
        "description": entry.draft.description,
        "legal_basis": entry.draft.legal_basis,
        "scope": entry.draft.scope,
        "period": entry.draft.period.to_json() if entry.draft.period else None,
        "decree_number": entry.decree_number,
        "decree_date": entry.decree_date.isoformat() if entry.decree_date else None,
        "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        "next_review": entry.next_review.isoformat() if entry.next_review else None,
        "proposed_by": entry.proposed_by,
        "required_approvers": list(entry.required_approvers),
        "documents": [
            {"id": d.document_id, "sha256": d.sha256, "public_sha256": d.public_sha256}
            for d in entry.documents
        ],
        "digest": entry.digest(),
    }


def publish(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.app.publish import publish_dik

    return publish_dik(settings, Path(args.out)).to_json()


def list_entries(_args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    from archive.exemptions import stage

    _, register = _open(settings)
    return [entry_json(sit.entry, stage(sit)) for sit in register.situations()]


def show(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _, register = _open(settings)
    view = register.view(args.id, _actor(settings))
    data = entry_json(view.entry, view.stage)
    data["events"] = [e.to_json() for e in view.events]
    data["steps"] = [s.name for s in view.steps]
    return data


def bases(_args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    _, register = _open(settings)
    return [b.__dict__ | {"points": list(b.points)} for b in register.bases.list()]


def approvers(args: argparse.Namespace, settings: Settings) -> list[str]:
    _, register = _open(settings)
    if args.roles:
        register.set_required_approvers(args.roles, _actor(settings))
    return list(register.required_approvers())


def _day(args: argparse.Namespace, settings: Settings) -> date:
    from flows.app.review import parse_day

    return parse_day(args.today, settings.timezone)


def review(args: argparse.Namespace, settings: Settings) -> list[dict[str, str]]:
    from flows.app.review import run_review

    _, register = _open(settings)
    return [d.row() for d in run_review(register, _day(args, settings), "arsip exemption review")]


def expire(args: argparse.Namespace, settings: Settings) -> list[dict[str, str]]:
    from flows.app.review import run_expiry

    catalog, register = _open(settings)
    decisions = run_expiry(
        settings, register, catalog, _day(args, settings), "arsip exemption expire"
    )
    return [d.row() for d in decisions]


def redact(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.app.exemptions import make_public_copy

    out = make_public_copy(_desk(settings), args.id, args.document, _actor(settings))
    link = next(d for d in out.entry.documents if d.document_id == args.document)
    return {
        "entry": args.id,
        "document": args.document,
        "public_sha256": link.public_sha256,
        "path": link.public_path,
    }


def _list_text(rows: list[dict[str, Any]]) -> str:
    return (
        "\n".join(f"#{r['id']:<4} {r['stage']:<21} {r['description'][:70]}" for r in rows)
        or "(kosong)"
    )


def _show_text(d: dict[str, Any]) -> str:
    return "\n".join(
        [f"{k:<19} {v}" for k, v in d.items() if k != "events"]
        + [f"  {e['at'][:19]} {e['kind']:<18} {e['username']} ({e['role']})" for e in d["events"]]
    )


def _bases_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{r['code']:<16} {r['law']} {r['article']}: {r['summary'][:60]}" for r in rows
    )


def _decisions_text(rows: list[dict[str, str]]) -> str:
    return (
        "\n".join(f"{r['entri']:<6} {r['tindakan']:<18} {r['keterangan']}" for r in rows)
        or "(tidak ada)"
    )


def _today(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", help="YYYY-MM-DD (default: today)")


def _redact_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", type=int)
    p.add_argument("document")


COMMANDS = (
    Command(
        "publish",
        "write the public DIK (html, csv, pdf)",
        publish,
        lambda d: f"DIK: {d['rows']} entri -> {', '.join(d['files'])}",
        lambda p: p.add_argument("--out", required=True, help="directory for dik.html/.csv/.pdf"),
    ),
    Command("exemption list", "entries and their status", list_entries, _list_text),
    Command(
        "exemption show",
        "one entry with its history",
        show,
        _show_text,
        lambda p: p.add_argument("id", type=int),
    ),
    Command("exemption bases", "legal bases (data, editable in the web app)", bases, _bases_text),
    Command(
        "exemption approvers",
        "show or set (as admin) the required approvers",
        approvers,
        lambda rs: "pemberi persetujuan: " + ", ".join(rs),
        lambda p: p.add_argument("roles", nargs="*"),
    ),
    Command("exemption review", "start due reviews now", review, _decisions_text, _today),
    Command("exemption expire", "expire ended entries now", expire, _decisions_text, _today),
    Command(
        "exemption redact",
        "make the redacted public copy (as ppid)",
        redact,
        lambda d: f"salinan publik {d['path']} sha256 {d['public_sha256']}",
        _redact_args,
    ),
)
