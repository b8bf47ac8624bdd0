"""Information requests beyond the register: the formulir filed into the archive, the
written answer (its letter made, stored and bound by SHA-256), the files handed out,
the daily deadline check and the yearly report files. Plain functions shared by the web
app, the CLI and the Prefect flow.

Stored letters live in ``<home>/permohonan/<year>/<seq>/``, outside ``archive/``: they are
the office's outgoing mail, referenced by hash from the answer events.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from archive.catalog import Catalog
from archive.records import Actor
from archive.requests import (
    Due,
    InfoRequest,
    Intake,
    RequestEvent,
    RequestRegister,
    StepRefused,
    WorkingCalendar,
    report_csv,
)
from archive.store import ArchiveLayout, sha256_path
from archive.vocabulary import SYSTEM_ROLE
from flows.app.exemptions import PUBLIC_PDF, public_dir
from flows.app.request_pdf import render_formulir, render_letter, render_report
from flows.app.uploads import save_upload
from flows.settings import Settings

LETTERS = "permohonan"
DEADLINE_ACTOR = Actor("prefect:request-deadlines", SYSTEM_ROLE)


def open_register(settings: Settings, catalog: Catalog) -> RequestRegister:
    """The register with the data root's calendar (shipped holidays + the admin's file)."""
    return RequestRegister(catalog.engine, WorkingCalendar.for_home(settings.layout.home))


@dataclass(frozen=True)
class Recorded:
    request: InfoRequest
    tracking_code: str  # shown once to the requester; only its digest is kept
    formulir: Path  # where the formulir waits in the inbox to be ingested


def record_request(
    settings: Settings,
    register: RequestRegister,
    actor: Actor,
    intake: Intake,
    scan: tuple[str, BinaryIO] | None = None,
    today: date | None = None,
) -> Recorded:
    """Record a request with its formulir: the desk's scan when given (dropped in the inbox
    before the request is recorded, so its SHA-256 is part of the intake), else a formulir
    made from what was entered (web form, e-mail). The next ingest run archives it; the
    request knows it by SHA-256, hence by document id, from the start."""
    inbox, limit = settings.layout.inbox, settings.limits.max_bytes
    day = today or settings.office_today()
    if scan is not None:
        path, sha = save_upload(inbox, scan[0], scan[1], limit)
        recorded, code = register.intake(actor, _with_formulir(intake, sha), today=day)
        return Recorded(recorded, code, path)
    recorded, code = register.intake(actor, intake, today=day)
    pdf = render_formulir(settings.office_name, recorded)
    name = f"formulir-permohonan-{recorded.number.replace('/', '-')}.pdf"
    path, sha = save_upload(inbox, name, io.BytesIO(pdf), limit)
    return Recorded(register.link_formulir(recorded.id, actor, sha), code, path)


def _with_formulir(intake: Intake, sha: str) -> Intake:
    return Intake(
        intake.requester, intake.channel, intake.subject, intake.purpose, intake.received_on, sha
    )


# ---------------------------------------------------------------------- answering


def given_path(layout: ArchiveLayout, catalog: Catalog, item: dict[str, Any]) -> Path | None:
    """The file an answer item gave, if it still has the SHA-256 the answer recorded."""
    if item.get("form") == "salinan_tersamar":
        path: Path | None = public_dir(layout, str(item["document_id"])) / PUBLIC_PDF
    elif item.get("form") == "asli":
        record = catalog.get(str(item["document_id"]))
        path = layout.document_files(record.archive_path).original() if record else None
    else:
        return None
    if path is None or not path.is_file() or sha256_path(path) != item.get("sha256"):
        return None
    return path


def letter_dir(layout: ArchiveLayout, request: InfoRequest) -> Path:
    year, seq = request.number.split("/")[-1], request.number.split("/")[0]
    return layout.home / LETTERS / year / seq


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def answer_request(
    settings: Settings,
    catalog: Catalog,
    register: RequestRegister,
    actor: Actor,
    request_id: int,
    digest: str,
    note: str = "",
    *,
    not_held: bool = False,
    today: date | None = None,
) -> InfoRequest:
    """Answer as the plan the PPID saw says: check every file to be given still has its
    hash, make and store the letter, then record the answer with the letter's SHA-256."""
    day = today or settings.office_today()
    request = register.get(request_id)
    plan = register.plan(request_id)
    if plan.digest() != digest or plan.problems:
        # The register refuses these too; refusing before the letter is made keeps no
        # letter for an answer that never happened.
        return register.answer(request_id, actor, digest, note, not_held=not_held, today=day)
    broken = [
        d.document_id for d in plan.given if given_path(settings.layout, catalog, d.item()) is None
    ]
    if broken:
        raise StepRefused(
            f"Berkas yang akan diberikan tidak cocok dengan SHA-256-nya: "
            f"{', '.join(broken)}. Jalankan `arsip verify`."
        )
    letter = render_letter(settings.office_name, request, plan, register.rules, day, note.strip())
    path = (
        letter_dir(settings.layout, request) / f"jawaban-{day.isoformat()}-{plan.digest()[:8]}.pdf"
    )
    _write(path, letter)
    return register.answer(
        request_id,
        actor,
        digest,
        note,
        not_held=not_held,
        letter_sha256=sha256_path(path),
        today=day,
    )


def letter_file(layout: ArchiveLayout, request: InfoRequest, event: RequestEvent) -> Path | None:
    """The stored letter of an answer event, only while it has the recorded SHA-256."""
    sha = event.detail.get("letter_sha256")
    folder = letter_dir(layout, request)
    if not sha or not folder.is_dir():
        return None
    for path in sorted(folder.glob("jawaban-*.pdf")):
        if sha256_path(path) == sha:
            return path
    return None


# ---------------------------------------------------------------------- scheduled work


@dataclass(frozen=True)
class DeadlineCheck:
    day: date
    due: tuple[Due, ...]
    marked: tuple[InfoRequest, ...]  # newly marked overdue by this check
    doubtful_years: tuple[int, ...]  # years whose holidays are provisional or missing

    def rows(self) -> list[dict[str, Any]]:
        return [d.row() for d in self.due]


def check_deadlines(
    register: RequestRegister, day: date, actor: Actor = DEADLINE_ACTOR
) -> DeadlineCheck:
    due = register.due(day)
    marked = register.mark_overdue(actor, day)
    years = register.calendar.doubtful_years([day, *(d.deadline for d in due)])
    return DeadlineCheck(day, tuple(due), tuple(marked), tuple(years))


def write_report(settings: Settings, register: RequestRegister, year: int, out: Path) -> list[Path]:
    """``laporan-permohonan-<year>.csv`` and ``.pdf`` in ``out``."""
    report = register.report(year)
    files = {
        out / f"laporan-permohonan-{year}.csv": report_csv(report).encode("utf-8-sig"),
        out / f"laporan-permohonan-{year}.pdf": render_report(
            settings.office_name, report, settings.office_today()
        ),
    }
    for path, data in files.items():
        _write(path, data)
    return list(files)
