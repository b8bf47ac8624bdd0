"""Accuracy of type/number/date/unit/title on the real documents, born-digital and scanned.

    .venv/bin/python -m tests.text.real_report [--scans] [--pages N] [--cache DIR]

Uses only the stable entry points (``tasks.text.classify.classify``,
``tasks.text.metadata.extract_metadata``), so it measures old and new code alike. OCR text is
cached in ``--cache`` (default: a folder under the system temp dir) between runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tasks.text.classify import classify
from tasks.text.metadata import extract_metadata
from tests.text.real_docs import (
    DEGRADATIONS,
    Expected,
    born_digital_text,
    compare,
    expected_values,
    first_pages_text,
    real_docs_dir,
    scanned_text,
    shown_in,
    skip_reason,
)


def _fields(text: str) -> dict[str, object]:
    kind = classify(text)
    meta = extract_metadata(text, kind.doc_type)
    return {"doc_type": kind.doc_type, "number": meta.number, "date": meta.date,
            "unit": meta.unit, "title": meta.title}  # fmt: skip


def _score(label: str, want: Expected, text: str, totals: list[int]) -> None:
    got = _fields(text)
    results = compare(want, got)
    totals[0] += sum(results.values())
    totals[1] += len(results)
    misses = [f"{field}={got[field]!r}" for field, ok in results.items() if not ok]
    print(f"  {label:<8} {sum(results.values())}/{len(results)}  {'; '.join(misses)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", action="store_true", help="also OCR degraded scans")
    parser.add_argument("--pages", type=int, default=1, help="pages to scan per document")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "arsip-real")
    args = parser.parse_args(argv)
    folder = real_docs_dir()
    if folder is None:
        print(skip_reason())
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    born, scans = [0, 0], [0, 0]
    for name, want in sorted(expected_values(folder).items()):
        print(name)
        _score("digital", want, born_digital_text(folder / name), born)
        if args.scans:
            shown = shown_in(want, first_pages_text(folder / name, args.pages))
            for degradation in DEGRADATIONS:
                text = scanned_text(folder / name, args.pages, degradation, args.cache)
                _score(degradation, shown, text, scans)
    print(f"born-digital: {born[0]}/{born[1]} fields right")
    if args.scans:
        print(f"scans ({args.pages} page(s), {len(DEGRADATIONS)} degradations): "
              f"{scans[0]}/{scans[1]} fields right")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
