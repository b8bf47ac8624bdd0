"""``arsip doctor``: is this machine able to run the pipeline?"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flows.settings import Settings
from tasks.detect import sniff_mime
from tasks.errors import ToolMissing
from tasks.ocr import installed_languages, tesseract_version

MIN_FREE_BYTES = 1 << 30


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def run_doctor(settings: Settings) -> list[Check]:
    return [_tesseract(), _languages(settings), _poppler(), _libmagic(), _disk(settings)]


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
