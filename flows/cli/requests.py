"""``arsip request list|show|new|attach|plan|answer|extend|object|decide|deadlines|report``.

The CLI acts as ``ARSIP_ROLE`` under the name ``cli:<OS user>``; a requester's identity
number is shown only to roles that may see restricted documents, as in the web app.
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
    from archive.records import Actor
    from archive.requests import InfoRequest, RequestRegister
    from flows.settings import Settings


def _actor(settings: Settings) -> Actor:
    from archive.records import Actor

    return Actor(f"cli:{getpass.getuser()}", settings.role)


def _open(settings: Settings) -> tuple[Catalog, RequestRegister]:
    from archive.catalog import Catalog
    from flows.app.requests import open_register

    settings.layout.ensure()
    catalog = Catalog(settings.catalog_url)
    return catalog, open_register(settings, catalog)


def _shown(request: InfoRequest, settings: Settings) -> dict[str, Any]:
    from archive.requests import sees_personal_data

    return (request if sees_personal_data(settings.role) else request.masked()).to_json()


def _find(register: RequestRegister, ref: str) -> InfoRequest:
    return register.get(int(ref)) if ref.isdigit() else register.find(ref)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def list_requests(args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    _, register = _open(settings)
    found = register.requests(year=args.year, statuses=["diproses"] if args.open else None)
    return [_shown(r, settings) for r in found]


def show(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _, register = _open(settings)
    request = _find(register, args.ref)
    return _shown(request, settings) | {
        "events": [e.to_json() for e in register.events(request.id)]
    }


def new(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from archive.requests import Intake, Requester
    from flows.app.requests import record_request

    _, register = _open(settings)
    today = settings.office_today()
    intake = Intake(
        Requester(args.name, args.contact, args.identity or ""),
        args.channel,
        args.subject,
        args.purpose,
        _day(args.received) or today,
    )
    if args.formulir:
        with Path(args.formulir).open("rb") as fh:
            done = record_request(
                settings, register, _actor(settings), intake, (Path(args.formulir).name, fh), today
            )
    else:
        done = record_request(settings, register, _actor(settings), intake, today=today)
    return _shown(done.request, settings) | {
        "tracking_code": done.tracking_code,
        "formulir_in_inbox": str(done.formulir),
    }


def attach(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _, register = _open(settings)
    request = _find(register, args.ref)
    return _shown(register.attach(request.id, _actor(settings), args.documents), settings)


def plan(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _, register = _open(settings)
    found = register.plan(_find(register, args.ref).id)
    return {
        "digest": found.digest(),
        "outcome": found.outcome,
        "problems": found.problems,
        "dispositions": [d.to_json() for d in found.dispositions],
    }


def answer(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.app.requests import answer_request

    catalog, register = _open(settings)
    request = _find(register, args.ref)
    done = answer_request(
        settings,
        catalog,
        register,
        _actor(settings),
        request.id,
        args.digest,
        args.note,
        not_held=args.not_held,
    )
    return _shown(done, settings)


def extend(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _, register = _open(settings)
    request = _find(register, args.ref)
    return _shown(register.extend(request.id, _actor(settings), args.reason), settings)


def object_(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _, register = _open(settings)
    request = _find(register, args.ref)
    filed = _day(args.filed) or date.today()
    done = register.file_objection(request.id, _actor(settings), args.reason, args.statement, filed)
    return _shown(done, settings)


def decide(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    _, register = _open(settings)
    done = register.decide_objection(args.objection, _actor(settings), args.decision, args.reasons)
    return _shown(done, settings)


def deadlines(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.app.requests import check_deadlines

    _, register = _open(settings)
    check = check_deadlines(register, _day(args.today) or settings.office_today())
    return {
        "day": check.day.isoformat(),
        "due": check.rows(),
        "marked": [r.number for r in check.marked],
        "doubtful_years": list(check.doubtful_years),
    }


def report(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from flows.app.requests import write_report

    _, register = _open(settings)
    data = register.report(args.year).to_json()
    if args.out:
        data["files"] = [
            str(p) for p in write_report(settings, register, args.year, Path(args.out))
        ]
    return data


def _list_text(rows: list[dict[str, Any]]) -> str:
    return (
        "\n".join(
            f"{r['number']:<19} {r['status']:<9} batas {r['deadline']}  {r['subject'][:60]}"
            for r in rows
        )
        or "(kosong)"
    )


def _report_text(data: dict[str, Any]) -> str:
    from archive.requests import OUTCOME_LABELS

    lines = [
        f"Laporan permohonan informasi {data['year']}: {data['received']} diterima, "
        f"{data['answered']} dijawab (median {data['median_days']} / maks {data['max_days']} "
        f"hari kerja), {data['late']} terlambat, {data['extended']} diperpanjang"
    ]
    lines += [f"  {OUTCOME_LABELS[k]:<26} {v}" for k, v in data["by_outcome"].items()]
    lines += [
        f"  ditolak/sebagian atas {b['basis']}: {b['requests']}" for b in data["refusal_bases"]
    ]
    lines += [f"  keberatan: {data['objections']}"] + [f"  file {f}" for f in data.get("files", [])]
    return "\n".join(lines)


def _ref(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", help="id or number (001/PPID/III/2025)")


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True)
    p.add_argument("--contact", required=True, help="telephone, e-mail or address")
    p.add_argument("--identity", help="NIK or other identity number (personal data)")
    p.add_argument("--channel", default="langsung", choices=["langsung", "surat", "surel"])
    p.add_argument("--subject", required=True, help="the information asked for")
    p.add_argument("--purpose", required=True, help="what it is for")
    p.add_argument("--received", help="YYYY-MM-DD (default: today)")
    p.add_argument("--formulir", help="the scanned form (else one is made from the fields)")


def _attach_args(p: argparse.ArgumentParser) -> None:
    _ref(p)
    p.add_argument("documents", nargs="+")


def _extend_args(p: argparse.ArgumentParser) -> None:
    _ref(p)
    p.add_argument("--reason", required=True)


def _answer_args(p: argparse.ArgumentParser) -> None:
    _ref(p)
    p.add_argument("--digest", required=True, help="from `arsip request plan`")
    p.add_argument("--note", default="")
    p.add_argument("--not-held", action="store_true", help="the information is not held here")


def _object_args(p: argparse.ArgumentParser) -> None:
    _ref(p)
    p.add_argument("--reason", required=True, choices=list("abcdefg"), help="Pasal 35 (1) letter")
    p.add_argument("--statement", required=True)
    p.add_argument("--filed", help="YYYY-MM-DD (default: today)")


def _decide_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("objection", type=int)
    p.add_argument("--decision", required=True, choices=["dikabulkan", "ditolak"])
    p.add_argument("--reasons", required=True)


COMMANDS = (
    Command(
        "request list",
        "information requests",
        list_requests,
        _list_text,
        lambda p: (
            p.add_argument("--year", type=int),
            p.add_argument("--open", action="store_true"),
        ),
    ),
    Command("request show", "one request with its history", show, arguments=_ref),
    Command("request new", "record a request (desk, mail, e-mail)", new, arguments=_new_args),
    Command(
        "request attach",
        "attach archived documents",
        attach,
        arguments=_attach_args,
    ),
    Command("request plan", "what an answer would give, and its digest", plan, arguments=_ref),
    Command("request answer", "answer as planned (as ppid)", answer, arguments=_answer_args),
    Command(
        "request extend",
        "extend once by 7 working days (as ppid)",
        extend,
        arguments=_extend_args,
    ),
    Command("request object", "record an objection (keberatan)", object_, arguments=_object_args),
    Command("request decide", "decide an objection (as atasan)", decide, arguments=_decide_args),
    Command(
        "request deadlines",
        "due and overdue requests now (marks overdue)",
        deadlines,
        arguments=lambda p: p.add_argument("--today", help="YYYY-MM-DD"),
    ),
    Command(
        "request report",
        "the yearly report (with --out: CSV and PDF)",
        report,
        _report_text,
        lambda p: (p.add_argument("--year", type=int, required=True), p.add_argument("--out")),
    ),
)
