"""How the archive commands' answers read for a person (``--json`` prints them as data)."""

from __future__ import annotations

from typing import Any


def ingest_text(summary: dict[str, Any]) -> str:
    lines = [
        f"{r['outcome']:<12} {r['file']:<32} {r['id'] or '':<17} "
        f"{r['doc_type'] or '':<13} {', '.join(r['flags']) or r['reason'] or ''}"
        for r in summary["results"]
    ]
    c = summary["counts"]
    lines.append(
        f"\narchived {c['archived']} (flagged {c['flagged']}), duplicate "
        f"{c['duplicate']}, quarantined {c['quarantined']}"
    )
    if summary["waiting"]:
        lines.append(f"still being copied, left for the next run: {', '.join(summary['waiting'])}")
    return "\n".join(lines)


def record_text(data: dict[str, Any]) -> str:
    return "\n".join(f"{k:<20} {v}" for k, v in data.items() if k not in ("events", "receipts"))


def list_text(rows: list[dict[str, Any]]) -> str:
    return (
        "\n".join(
            f"{r['id']}  {r['doc_type']:<13} {r['date'] or '':<10}  {r['number'] or '-':<36} "
            f"{(r['title'] or r['source_name'])[:60]}"
            for r in rows
        )
        or "(empty)"
    )


def search_text(data: dict[str, Any]) -> str:
    lines = [f"{data['total']} document(s), page {data['page']}/{data['page_count']}"]
    if data["suggestion"]:
        lines.append(f"did you mean: {data['suggestion']}")
    for hit in data["hits"]:
        snippet = hit["snippet"].replace("<mark>", "[").replace("</mark>", "]")
        lines.append(
            f"\n{hit['id']}  {hit['doc_type']:<13} {hit['score']:6.2f}  "
            f"{hit['title'] or hit['source_name']}\n    {snippet[:200]}"
        )
    return "\n".join(lines)


def verify_text(r: dict[str, Any]) -> str:
    return "\n".join(
        [f"checked {r['checked']} files, {len(r['problems'])} problem(s)"]
        + [
            f"{p['kind']:<17} {p['id'] or '-':<17} {p['path']}: {p['detail']}"
            for p in r["problems"]
        ]
    )


def doctor_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{'ok ' if r['ok'] else 'BAD'}  {r['name']:<24} {r['detail']}" for r in rows)
