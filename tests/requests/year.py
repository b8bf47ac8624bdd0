"""A realistic year of information requests (2025) through the register's own steps:
~120 requests over the four channels, answered from an archive where some documents are
exempted (whole, citing their DIK entries) or partly (given redacted), some answers
extended or late, some requests not held, a few objections decided by the Atasan PPID
and one taken to the Komisi Informasi. Returns what it meant to happen, so a test can
compare the report with it; ``python -m tests.requests.year`` prints the report.
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from archive.catalog import Catalog
from archive.exemptions import ExemptionRegister
from archive.requests import Intake, Requester, RequestRegister, YearReport
from tests.requests.support import (
    ATASAN,
    PETUGAS,
    PPID,
    document,
    exemption,
    record_public_copy,
    requests_register,
)
from tests.support.db import migrated_catalog

YEAR = 2025
PUBLIC = type(PPID)("pemohon:formulir-web", "publik")
NAMES = (
    "Sari",
    "Budi",
    "Rina",
    "Dedi",
    "Yohanes",
    "Putu",
    "Siti",
    "Agus",
    "Maria",
    "Hendra",
    "Wulan",
    "Fajar",
    "Nur",
    "Teguh",
    "Lestari",
    "Bayu",
    "Intan",
    "Rahmat",
    "Dewi",
    "Andi",
)
SUBJECTS = (
    "Salinan SK penetapan DPT",
    "Berita acara rekapitulasi suara",
    "Laporan dana kampanye",
    "Daftar calon tetap DPRD",
    "Jadwal tahapan pilkada",
    "Anggaran hibah pilkada",
    "Data pemilih disabilitas per kecamatan",
    "Notulen rapat pleno",
    "Formulir C.Hasil TPS",
)
# (whole or part, Pasal 17 basis, point, what is exempted)
EXEMPTIONS = (
    ("seluruh", "uu14-2008-p17h", 1, "NIK dan Nomor KK pemilih pada formulir data pemilih"),
    ("seluruh", "uu14-2008-p17h", 1, "Riwayat kesehatan calon pada hasil pemeriksaan"),
    ("seluruh", "uu14-2008-p17i", None, "Memorandum internal penyusunan anggaran yang belum final"),
    ("seluruh", "uu14-2008-p17c", 1, "Rencana pengamanan gudang logistik pemilu"),
    ("sebagian", "uu14-2008-p17h", 1, "NIK saksi pada berita acara rekapitulasi"),
)


@dataclass
class Tally:
    """What the generator did, counted on its own (not by the register)."""

    channels: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    days: list[int] = field(default_factory=list)
    late: int = 0
    extended: int = 0
    bases: Counter[str] = field(default_factory=Counter)
    objections: Counter[str] = field(default_factory=Counter)


def build_archive(catalog: Catalog) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Open documents, and exempted ones with (doc id, scope, cited article)."""
    opened = [f"3a{n:014x}" for n in range(40)]
    for doc_id in opened:
        catalog.add_document(document(doc_id, f"Dokumen terbuka {doc_id[-3:]}", "terbuka"), [])
    register = ExemptionRegister(catalog.engine)
    exempted = []
    for n, (scope, basis, point, what) in enumerate(EXEMPTIONS):
        doc_id = f"3b{n:014x}"
        catalog.add_document(document(doc_id, what), [])
        entry = exemption(register, doc_id, scope=scope, basis=basis, point=point, description=what)
        if scope == "sebagian":
            record_public_copy(register, entry, doc_id, f"{n:064x}", "x")
        article = register.bases.get(basis)
        assert article is not None
        exempted.append((doc_id, scope, article.cite(point)))
    return opened, exempted


def _working(cal: RequestRegister, rng: random.Random) -> date:
    while True:
        day = date(YEAR, 1, 2) + timedelta(days=rng.randrange(362))
        if cal.calendar.is_working_day(day):
            return day


def _one(
    reg: RequestRegister,
    rng: random.Random,
    tally: Tally,
    docs: tuple[list[str], list[tuple[str, str, str]]],
) -> None:
    opened, exempted = docs
    channel = rng.choices(["langsung", "surat", "surel", "web"], [35, 15, 30, 40])[0]
    received = _working(reg, rng)
    who = PUBLIC if channel == "web" else PETUGAS
    intake = Intake(
        Requester(
            f"{rng.choice(NAMES)} {rng.randrange(100)}",
            "08123456789",
            f"{rng.randrange(10**15, 10**16)}",
        ),
        channel,  # type: ignore[arg-type]
        rng.choice(SUBJECTS),
        "Penelitian dan pemantauan",
        received,
    )
    req, _ = reg.intake(who, intake, today=received)
    tally.channels[channel] += 1
    kind = rng.choices(["open", "refuse", "part", "mixed", "not_held"], [62, 14, 8, 8, 8])[0]
    chosen = {
        "open": rng.sample(opened, rng.randint(1, 3)),
        "not_held": [],
        "refuse": [rng.choice([e for e in exempted if e[1] == "seluruh"])[0]],
        "part": [next(e for e in exempted if e[1] == "sebagian")[0]],
        "mixed": [rng.choice(opened), rng.choice([e for e in exempted if e[1] == "seluruh"])[0]],
    }[kind]
    if chosen:
        reg.attach(req.id, PPID, chosen)
    extended = rng.random() < 0.12
    if extended:
        reg.extend(req.id, PPID, "Dokumen perlu dicari di arsip kecamatan", today=req.due_on)
        tally.extended += 1
    limit = 17 if extended else 10
    spent = rng.randint(limit + 1, limit + 4) if rng.random() < 0.05 else rng.randint(1, limit)
    answered = reg.calendar.add_working_days(received, spent)
    plan = reg.plan(req.id)
    done = reg.answer(
        req.id,
        PPID,
        plan.digest(),
        "Tidak dikuasai" if kind == "not_held" else "",
        not_held=kind == "not_held",
        today=answered,
    )
    tally.outcomes[done.outcome or ""] += 1
    tally.days.append(spent)
    tally.late += answered > done.deadline
    cited = {e[2] for e in exempted if e[0] in chosen}
    tally.bases.update(cited)
    if done.outcome in ("ditolak", "dipenuhi_sebagian") and rng.random() < 0.45:
        _object(reg, rng, tally, done.id, answered)


def _object(
    reg: RequestRegister, rng: random.Random, tally: Tally, request_id: int, answered: date
) -> None:
    filed = reg.calendar.add_working_days(answered, rng.randint(1, 20))
    req = reg.file_objection(
        request_id, PETUGAS, "a", "Keberatan atas penolakan", filed, today=filed
    )
    tally.objections["diajukan_total"] += 1
    objection = req.objections[-1]
    if filed.year > YEAR or rng.random() < 0.15:
        tally.objections["diajukan"] += 1  # still with the Atasan PPID at the year's end
        return
    decision = "dikabulkan" if rng.random() < 0.3 else "ditolak"
    decided = reg.calendar.add_working_days(filed, rng.randint(5, 30))
    reg.decide_objection(objection.id, ATASAN, decision, "Pertimbangan Atasan PPID", decided)  # type: ignore[arg-type]
    tally.objections[decision] += 1
    if decision == "ditolak" and rng.random() < 0.4:
        reg.record_dispute(objection.id, PETUGAS, f"{objection.id:03d}/REG-PSI/{YEAR}", decided)
        tally.objections["sengketa"] += 1


def generate(
    path: Path, count: int = 120, seed: int = 2025
) -> tuple[RequestRegister, Catalog, Tally]:
    catalog = migrated_catalog(path / "catalog.db")
    docs = build_archive(catalog)
    register = requests_register(catalog)
    rng, tally = random.Random(seed), Tally()
    for _ in range(count):
        _one(register, rng, tally, docs)
    return register, catalog, tally


def markdown(report: YearReport) -> str:
    lines = [f"Laporan layanan informasi publik {report.year}", ""]
    for title, rows in report.sections():
        lines += [f"| {title} | Jumlah |", "| --- | ---: |"]
        lines += [f"| {label} | {value} |" for label, value in rows] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        reg, cat, _ = generate(Path(tmp), int(sys.argv[1]) if len(sys.argv) > 1 else 120)
        print(markdown(reg.report(YEAR)))
        cat.close()
