"""``arsip doctor``, the machine's half: tools, languages, disk, index, quarantine backlog.

The service's half (Prefect server, schedules, runner) is :mod:`flows.service.health`.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from archive.catalog import Catalog
from archive.errors import CatalogUnavailable
from flows.app.recovery import leftover_problems
from flows.app.verify import BACKLOG_WARN_DAYS, index_check, quarantine_backlog
from flows.settings import Settings
from tasks.detect import sniff_mime
from tasks.errors import ToolMissing
from tasks.tesseract import installed_languages, tesseract_version

MIN_FREE_BYTES = 1 << 30


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def machine_checks(settings: Settings) -> list[Check]:
    """Can this machine run the pipeline on this data root?"""
    return [
        _tesseract(),
        _languages(settings),
        _poppler(),
        _libmagic(),
        _disk(settings),
        _writable(settings),
        _consistency(settings),
        _backlog(settings),
        _leftovers(settings),
    ]


def _writable(settings: Settings) -> Check:
    """Every folder a run writes to must take a file (a read-only root quarantined good
    documents before runs failed loudly on it)."""
    layout = settings.layout
    if not layout.home.exists():
        return Check("data root writable", True, "no data root yet")
    bad = []
    for folder in (layout.home, layout.inbox, layout.archive, layout.quarantine, layout.cache):
        probe = folder / f".arsip-doctor-{os.getpid()}"
        try:
            probe.write_bytes(b"x")
            probe.unlink()
        except OSError as exc:
            bad.append(f"{folder}: {exc.strerror or exc}")
    return Check("data root writable", not bad, "; ".join(bad) or str(layout.home))


def _leftovers(settings: Settings) -> Check:
    if not settings.home.exists():
        return Check("leftovers of killed runs", True, "no data root yet")
    found = leftover_problems(settings.layout)
    detail = ", ".join(p.path for p in found[:5]) or "none"
    return Check("leftovers of killed runs", not found, detail)


def _tesseract() -> Check:
    try:
        return Check("tesseract", True, tesseract_version())
    except ToolMissing as exc:
        return Check("tesseract", False, str(exc))


def _languages(settings: Settings) -> Check:
    try:
        have = installed_languages()
    except ToolMissing as exc:
        return Check("tesseract languages", False, str(exc))
    wanted = [*settings.ocr_languages.split("+"), "osd"]
    missing = [lang for lang in wanted if lang not in have]
    detail = f"have {', '.join(have)}" + (f"; missing {', '.join(missing)}" if missing else "")
    return Check("tesseract languages", not missing, detail)


def _poppler() -> Check:
    missing = [t for t in ("pdftoppm", "pdfinfo", "pdftotext") if shutil.which(t) is None]
    detail = "pdftoppm, pdfinfo, pdftotext" if not missing else f"missing {', '.join(missing)}"
    return Check("poppler-utils", not missing, detail)


def _libmagic() -> Check:
    try:
        mime = sniff_mime(Path(__file__))
    except Exception as exc:  # libmagic load errors surface as ImportError/OSError
        return Check("libmagic", False, f"python-magic cannot use libmagic: {exc}")
    return Check("libmagic", mime.startswith("text/"), f"identifies this file as {mime}")


def _disk(settings: Settings) -> Check:
    home = settings.home.resolve()
    probe = home if home.exists() else home.parent
    free = shutil.disk_usage(probe).free
    return Check("disk space", free >= MIN_FREE_BYTES, f"{free / 2**30:.1f} GiB free at {probe}")


def _consistency(settings: Settings) -> Check:
    """Catalog vs index only (ids, no hashing): fast enough for every doctor run.
    The full re-hash of the archive is `arsip verify` / the nightly verify flow."""
    if not settings.home.exists():
        return Check("index vs catalog", True, "no data root yet")
    try:
        catalog = Catalog(settings.catalog_url)
    except CatalogUnavailable as exc:
        return Check("index vs catalog", False, str(exc))
    try:
        problems = index_check(settings.layout, catalog)
        count = catalog.count_documents()
    finally:
        catalog.close()
    if not problems:
        return Check("index vs catalog", True, f"{count} document(s), all findable")
    kinds: dict[str, int] = {}
    for p in problems:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    detail = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
    return Check("index vs catalog", False, f"{detail}; run `arsip reindex`")


def _backlog(settings: Settings) -> Check:
    """Quarantined files wait for a person; only a stale backlog is a finding."""
    backlog = quarantine_backlog(settings.layout)
    if not backlog:
        return Check("quarantine backlog", True, "empty")
    oldest = backlog[0].age_days
    detail = f"{len(backlog)} file(s), oldest {oldest:.1f} days"
    return Check("quarantine backlog", oldest <= BACKLOG_WARN_DAYS, detail)
