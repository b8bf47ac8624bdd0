"""``arsip publish`` and ``arsip exemption list|show|bases|approvers|review|expire|redact``.

Registered by :mod:`flows.cli` with one call. The CLI acts as the role in ``ARSIP_ROLE``
under the name ``cli:<OS user>``, so what it changes is attributable too. Prefect is
imported only by the commands that need its modules, after its environment is set.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from archive.catalog import Catalog
from archive.exemptions import Actor, ExemptionRegister
from flows.prefect_env import base_environment
from flows.settings import Settings

AddCommand = Callable[[str, Callable[..., int], str], argparse.ArgumentParser]
Emit = Callable[[Any, bool, Callable[[Any], str]], None]


def register(sub: Any, add: AddCommand, emit: Emit) -> None:
    """Add the commands to the ``arsip`` parser (``sub`` is its subparsers object)."""

    def bind(func: Callable[..., int]) -> Callable[..., int]:
        return lambda args, settings: func(args, settings, emit)

    publish = add("publish", bind(cmd_publish), "write the public DIK (html, csv, pdf)")
    publish.add_argument("--out", required=True, help="directory for dik.html/.csv/.pdf")

    group = sub.add_parser("exemption", help="the exemption register (DIK)").add_subparsers(
        dest="exemption_command", required=True
    )

    def add_sub(name: str, func: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = group.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.set_defaults(func=bind(func))
        return p

    add_sub("list", cmd_list, "entries and their status")
    add_sub("show", cmd_show, "one entry with its history").add_argument("id", type=int)
    add_sub("bases", cmd_bases, "legal bases (data, editable in the web app)")
    appr = add_sub("approvers", cmd_approvers, "show or set (as admin) the required approvers")
    appr.add_argument("roles", nargs="*")
    for name, func, text in (
        ("review", cmd_review, "start due reviews now"),
        ("expire", cmd_expire, "expire ended entries now"),
    ):
        add_sub(name, func, text).add_argument("--today", help="YYYY-MM-DD (default: today)")
    red = add_sub("redact", cmd_redact, "make the redacted public copy (as ppid)")
    red.add_argument("id", type=int)
    red.add_argument("document")


def _actor(settings: Settings) -> Actor:
    return Actor(f"cli:{getpass.getuser()}", settings.role)


def _open(settings: Settings) -> tuple[Catalog, ExemptionRegister]:
    catalog = Catalog(settings.catalog_url)
    return catalog, ExemptionRegister(catalog.engine)


def _prefect_env(args: argparse.Namespace, settings: Settings) -> None:
    # These modules import Prefect (they also hold flows): its home first.
    base_environment(settings, getattr(args, "verbose", False))


def cmd_publish(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _prefect_env(args, settings)
    from flows.publish import publish_dik

    published = publish_dik(settings, Path(args.out))
    emit(
        published.to_json(),
        args.json,
        lambda d: f"DIK: {d['rows']} entri -> {', '.join(d['files'])}",
    )
    return 0


def _entry_json(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.id,
        "status": entry.status,
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


def cmd_list(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _, register = _open(settings)
    rows = [_entry_json(e) for e in register.entries()]
    emit(
        rows,
        args.json,
        lambda rs: (
            "\n".join(f"#{r['id']:<4} {r['status']:<21} {r['description'][:70]}" for r in rs)
            or "(kosong)"
        ),
    )
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _, register = _open(settings)
    data = _entry_json(register.get(args.id))
    data["events"] = [e.to_json() for e in register.events(args.id)]
    emit(
        data,
        args.json,
        lambda d: "\n".join(
            [f"{k:<19} {v}" for k, v in d.items() if k != "events"]
            + [
                f"  {e['at'][:19]} {e['kind']:<18} {e['username']} ({e['role']})"
                for e in d["events"]
            ]
        ),
    )
    return 0


def cmd_bases(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _, register = _open(settings)
    rows = [b.__dict__ | {"points": list(b.points)} for b in register.bases.list()]
    emit(
        rows,
        args.json,
        lambda rs: "\n".join(
            f"{r['code']:<16} {r['law']} {r['article']}: {r['summary'][:60]}" for r in rs
        ),
    )
    return 0


def cmd_approvers(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _, register = _open(settings)
    if args.roles:
        register.set_required_approvers(args.roles, _actor(settings))
    roles = list(register.required_approvers())
    emit(roles, args.json, lambda rs: "pemberi persetujuan: " + ", ".join(rs))
    return 0


def _day(args: argparse.Namespace) -> date:
    return date.fromisoformat(args.today) if args.today else date.today()


def cmd_review(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _prefect_env(args, settings)
    from flows.review import run_review

    _, register = _open(settings)
    rows = [d.row() for d in run_review(register, _day(args))]
    emit(
        rows,
        args.json,
        lambda rs: (
            "\n".join(f"{r['entri']:<6} {r['tindakan']:<18} {r['keterangan']}" for r in rs)
            or "(tidak ada)"
        ),
    )
    return 0


def cmd_expire(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    _prefect_env(args, settings)
    from flows.review import run_expiry

    catalog, register = _open(settings)
    rows = [d.row() for d in run_expiry(settings, register, catalog, _day(args))]
    emit(
        rows,
        args.json,
        lambda rs: (
            "\n".join(f"{r['entri']:<6} {r['tindakan']:<12} {r['keterangan']}" for r in rs)
            or "(tidak ada)"
        ),
    )
    return 0


def cmd_redact(args: argparse.Namespace, settings: Settings, emit: Emit) -> int:
    from flows.exemption_ops import make_public_copy

    catalog, register = _open(settings)
    out = make_public_copy(
        settings.layout, catalog, register, args.id, args.document, _actor(settings), settings.ocr
    )
    link = next(d for d in out.entry.documents if d.document_id == args.document)
    data = {
        "entry": args.id,
        "document": args.document,
        "public_sha256": link.public_sha256,
        "path": link.public_path,
    }
    emit(data, args.json, lambda d: f"salinan publik {d['path']} sha256 {d['public_sha256']}")
    return 0
