"""Intake: hash the bytes, find the real type with libmagic, enforce size/page/pixel limits
(for PDFs: every embedded image's size, read from its dictionary before any decoding).

The only module that imports python-magic. The file name's extension is never trusted;
a mismatch is reported so staff can see mislabelled files.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import magic
from PIL import Image

from tasks.errors import Rejected
from tasks.limits import check_pixels
from tasks.options import Limits as Limits  # re-exported: defined without magic or PIL
from tasks.pdf import read_pdf_info

Kind = Literal["pdf", "png", "jpeg", "tiff", "docx", "txt"]

MIME_TO_KIND: dict[str, Kind] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/tiff": "tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "txt",
}
_EXTENSIONS: dict[Kind, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg", ".jpe"),
    "tiff": (".tif", ".tiff"),
    "docx": (".docx",),
    "txt": (".txt", ".text", ".csv", ".md", ""),
}
_MAX_ZIP_RATIO = 200  # uncompressed/compressed: far above any real DOCX, typical of bombs
_magic_lock = threading.Lock()  # libmagic handles are not thread-safe


@dataclass(frozen=True)
class Detected:
    path: Path
    sha256: str
    size: int
    mime: str
    kind: Kind
    pages: int
    extension_matches: bool


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sniff_mime(path: Path) -> str:
    with _magic_lock:
        return str(magic.from_file(str(path), mime=True))


def detect(path: Path, limits: Limits) -> Detected:
    """Identify one inbox file, or raise :class:`Rejected` saying why it cannot be taken."""
    size = path.stat().st_size
    if size == 0:
        raise Rejected("empty", "the file is empty (0 bytes)")
    if size > limits.max_bytes:
        raise Rejected("too_large", f"{size} bytes; the limit is {limits.max_bytes}")
    mime = sniff_mime(path)
    kind = _kind_for(mime, path)
    pages = _check_content(path, kind, limits)
    return Detected(
        path=path,
        sha256=sha256_file(path),
        size=size,
        mime=mime,
        kind=kind,
        pages=pages,
        extension_matches=path.suffix.lower() in _EXTENSIONS[kind],
    )


def _kind_for(mime: str, path: Path) -> Kind:
    if mime in MIME_TO_KIND:
        return MIME_TO_KIND[mime]
    if mime in {"application/zip", "application/x-zip-compressed"} and _is_docx(path):
        return "docx"
    named = path.suffix.lower() or "(no extension)"
    raise Rejected(
        "unsupported_type",
        f"content is {mime} (name says {named}); accepted: PDF, PNG, JPEG, TIFF, DOCX, TXT",
    )


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _check_content(path: Path, kind: Kind, limits: Limits) -> int:
    if kind == "pdf":
        return read_pdf_info(path, limits.max_pages, limits.max_pixels).pages
    if kind in ("png", "jpeg", "tiff"):
        return _check_image(path, limits)
    if kind == "docx":
        _check_docx(path, limits)
    return 1


def _check_image(path: Path, limits: Limits) -> int:
    """Check every frame's pixel count before decoding it, then decode it once."""
    try:
        with warnings.catch_warnings():
            # Our own pixel limit below is the rule; Pillow's softer warning is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                frames = getattr(img, "n_frames", 1)
                if frames > limits.max_pages:
                    raise Rejected("too_many_pages", f"{frames} frames; limit {limits.max_pages}")
                for index in range(frames):
                    img.seek(index)
                    check_pixels(img.width, img.height, limits.max_pixels, f"frame {index + 1}")
                _check_integrity(img, frames)
                return frames
    except Rejected:
        raise
    except Image.DecompressionBombError as exc:
        raise Rejected("image_too_large", f"decompression bomb suspected: {exc}") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise Rejected("corrupt", f"image cannot be decoded: {exc}") from exc


def _check_integrity(img: Image.Image, frames: int) -> None:
    """A damaged or truncated image is refused at intake, as cheaply as its format allows:
    the OCR decodes every page fully anyway, a second full decode here cost ~45 ms a page
    (a tenth of what Tesseract spends on it). PNG: every chunk's CRC, no inflating (~5 ms);
    JPEG: a decode at 1/8 scale (~5 ms), which still reads the whole stream; others: a
    full decode of every frame."""
    if img.format == "PNG" and frames == 1:
        img.verify()
    elif img.format == "JPEG":
        img.draft("L", (max(1, img.width // 8), max(1, img.height // 8)))
        img.load()
    else:
        for index in range(frames):
            img.seek(index)
            img.load()


def _check_docx(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise Rejected("corrupt", f"DOCX container is damaged: {exc}") from exc
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > limits.max_bytes * 4 or unpacked / packed > _MAX_ZIP_RATIO:
        raise Rejected("zip_bomb", f"DOCX would unpack to {unpacked} bytes from {packed}")
