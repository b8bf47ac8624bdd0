"""Tesseract's word boxes (TSV) and the invisible text layer written from them.

Tesseract's own PDF renderer (``-c textonly_pdf=1 pdf``) walks its results once more for
every reading, ~1.3 % of a page's OCR CPU (cachegrind: 241 M of 19.2 G instructions on
a 300-dpi A4 page); the TSV the quality check needs already holds every word and line
box. So the layer of the reading that is kept is written here, in about a millisecond,
the way Tesseract writes it: a page of the picture's size at its resolution in points,
Tesseract's glyph-less font (tessdata's ``pdf.ttf``: every code is an empty glyph 500/1000
wide, Unicode through an identity ToUnicode map), text render mode 3 (invisible), each
word stretched (``Tz``) over its box. Each line gets one font size (its box height) and
one baseline (its box bottom), so selecting a word covers the word's line height, and
``pdftotext`` reads the page line by line.

TSV has no baselines or text directions: a line whose words do not run left to right
(vertical or upside-down text) is not written here (:func:`runs_left_to_right`), and
the caller asks Tesseract's renderer for that page instead.
"""

from __future__ import annotations

import csv
import functools
import zlib
from dataclasses import dataclass
from pathlib import Path

Box = tuple[int, int, int, int]  # left, top, right, bottom in the picture's pixels
LineKey = tuple[int, int, int]  # block, paragraph, line
FONT = "f-0-0"

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo
<<
  /Registry (Adobe)
  /Ordering (UCS)
  /Supplement 0
>> def
/CMapName /Adobe-Identify-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    line: LineKey
    conf: float


@dataclass(frozen=True)
class TsvPage:
    """One TSV file: the picture's size, its words in reading order, its line boxes."""

    size: tuple[int, int]
    words: tuple[Word, ...]
    lines: dict[LineKey, Box]

    @property
    def scored(self) -> list[Word]:
        """Words with a confidence (Tesseract gives -1 to what it did not score)."""
        return [w for w in self.words if w.conf >= 0]

    @property
    def confidence(self) -> float:
        """Mean word confidence (0-100; 0 when there are no words)."""
        scores = [w.conf for w in self.scored]
        return sum(scores) / len(scores) if scores else 0.0


def read_words(tsv: Path) -> TsvPage:
    size = (0, 0)
    words: list[Word] = []
    lines: dict[LineKey, Box] = {}
    with tsv.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            level = row.get("level")
            left, top = int(row["left"]), int(row["top"])
            box = (left, top, left + int(row["width"]), top + int(row["height"]))
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            if level == "1":
                size = (box[2], box[3])
            elif level == "4":
                lines[key] = box
            elif level == "5" and (row.get("text") or "").strip():
                words.append(Word(row["text"].strip(), box, key, float(row.get("conf") or -1)))
    return TsvPage(size, tuple(words), lines)


def runs_left_to_right(page: TsvPage) -> bool:
    """Every line's words follow each other from left to right (horizontal, upright)."""
    last: dict[LineKey, int] = {}
    for word in page.words:
        before = last.get(word.line)
        if before is not None and word.box[0] < before:
            return False
        last[word.line] = word.box[0]
    return True


def write_layer(page: TsvPage, dpi: int, font: bytes, out: Path) -> None:
    """The text-only PDF page of one reading, as Tesseract's renderer lays it out."""
    width, height = (_num(v * 72 / dpi) for v in page.size)
    content = zlib.compress(_content(page, dpi).encode("ascii"))
    page_dict = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
        f"/Resources << /Font << /{FONT} 4 0 R >> >> /Contents 5 0 R >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page_dict.encode("ascii"),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        _stream(content, b"/Filter /FlateDecode"),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 9 0 R /CIDToGIDMap 8 0 R /DW 500 >>",
        _stream(_TO_UNICODE),
        _stream(_cid_to_gid(), b"/Filter /FlateDecode"),
        b"<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000] "
        b"/ItalicAngle 0 /Ascent 1000 /Descent -1 /CapHeight 1000 /StemV 80 "
        b"/FontFile2 10 0 R >>",
        _stream(font, b"/Length1 %d" % len(font)),
    ]
    out.write_bytes(_pdf(objects))


def _content(page: TsvPage, dpi: int) -> str:
    """One text object per line: its size and baseline, then each word over its box."""
    pt = 72 / dpi
    height = page.size[1]
    by_line: dict[LineKey, list[Word]] = {}
    for word in page.words:
        by_line.setdefault(word.line, []).append(word)
    parts: list[str] = []
    for key, words in by_line.items():
        top, bottom = _line_extent(page.lines.get(key), words)
        size = max(1.0, (bottom - top) * pt)
        parts.append(f"BT\n3 Tr /{FONT} {_num(size)} Tf\n")
        for i, word in enumerate(words):
            # A space after every word but the line's last, as Tesseract writes it, all
            # of it stretched over the word's box.
            codes = word.text.encode("utf-16-be").hex().upper()
            codes += "0020" if i < len(words) - 1 else ""
            units = len(codes) // 4
            stretch = 200 * (word.box[2] - word.box[0]) * pt / (size * units)
            x, y = word.box[0] * pt, (height - bottom) * pt
            parts.append(f"1 0 0 1 {_num(x)} {_num(y)} Tm {_num(stretch)} Tz [<{codes}>] TJ\n")
        parts.append("ET\n")
    return "".join(parts)


def _line_extent(line: Box | None, words: list[Word]) -> tuple[int, int]:
    if line is not None:
        return line[1], line[3]
    return min(w.box[1] for w in words), max(w.box[3] for w in words)


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


@functools.cache
def _cid_to_gid() -> bytes:
    """Every 2-byte code drawn with glyph 1, the font's one (empty) glyph."""
    return zlib.compress(b"\x00\x01" * 65536)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
