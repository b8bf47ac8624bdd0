"""OCR quality on badly scanned real documents: raw Tesseract vs arsip (vs an earlier arsip).

Page 1 of each born-digital document in ``ARSIP_REAL_DOCS`` (default ``../shared/real``) is
rendered at 300 dpi and degraded (``tests/scans.py``: turned 2°, 7°, 90°, 180°, blurred,
noisy, JPEG q60, and clean). For every degraded page it measures the character error
rate against ``pdftotext`` of the born-digital page, and the CPU per page:

- **raw**: ``tesseract PAGE OUT -l ind+eng`` (default page segmentation), CPU from the
  child's own rusage;
- **arsip**: ``tasks.ocr.ocr_page`` of this tree in a worker process, empty cache, CPU of
  the worker and its children per page (the one-time word-list load is left out and
  printed apart);
- **before** (``--baseline REF``): the same worker on ``git archive REF tasks``.

    .venv/bin/python bench/bench_ocr_quality.py [--baseline a5c84c4] [--workers 2] [--docs 5]

The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH: a --baseline tree must win

from tests.scans import DEGRADATIONS, cer, degraded_scan, real_docs, reference_text  # noqa: E402

Job = dict[str, Any]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def worker(jobs_file: Path, out_file: Path) -> None:
    """Runs inside the tree under test (PYTHONPATH): OCR each job's page, time it."""
    from tasks import ocr

    try:
        from tasks.tesseract import tesseract_version
    except ImportError:  # an earlier tree: tasks.ocr asks Tesseract for its version
        tesseract_version = ocr.tesseract_version
    tesseract_version()
    start = _cpu()
    try:
        from tasks.quality import lexicon

        lexicon()
    except ImportError:  # an earlier tree without quality checks
        pass
    warmup = _cpu() - start
    results = []
    for job in json.loads(jobs_file.read_text()):
        with tempfile.TemporaryDirectory() as cache:
            before = _cpu()
            page = ocr.ocr_page(Path(job["path"]), job["kind"], 1, ocr.OcrOptions(), Path(cache))
            cpu = _cpu() - before
        quality = getattr(page, "quality", None)
        results.append(
            {
                "id": job["id"],
                "text": page.text,
                "cpu": cpu,
                "repairs": list(getattr(page, "repairs", ())),
                "problems": list(quality.problems) if quality else [],
            }
        )
    out_file.write_text(json.dumps({"warmup_cpu": warmup, "results": results}))


def run_workers(jobs: Sequence[Job], tree: Path | None, workers: int, tmp: Path) -> dict[str, Any]:
    chunks = [list(jobs[i::workers]) for i in range(workers)]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    if tree is not None:
        env["PYTHONPATH"] = f"{tree}{os.pathsep}{ROOT}"
    procs = []
    for n, chunk in enumerate(chunks):
        jobs_file, out = tmp / f"jobs-{tree is None}-{n}.json", tmp / f"out-{tree is None}-{n}.json"
        jobs_file.write_text(json.dumps(chunk))
        cmd = [sys.executable, __file__, "--worker", str(jobs_file), str(out)]
        procs.append((subprocess.Popen(cmd, env=env, cwd=tree or ROOT), out))
    merged: dict[str, Any] = {"warmup_cpu": [], "results": {}}
    for proc, out in procs:
        if proc.wait() != 0:
            raise SystemExit(f"worker failed ({tree or 'this tree'})")
        data = json.loads(out.read_text())
        merged["warmup_cpu"].append(data["warmup_cpu"])
        merged["results"].update({r["id"]: r for r in data["results"]})
    return merged


def raw_tesseract(job: Job, tmp: Path) -> dict[str, Any]:
    base = tmp / f"raw-{job['id']}"
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    cmd = ["tesseract", job["path"], str(base), "-l", "ind+eng"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    return {"id": job["id"], "text": text, "cpu": usage.ru_utime + usage.ru_stime}


def make_jobs(docs: Sequence[Path], out_dir: Path) -> list[Job]:
    jobs = []
    for pdf in docs:
        for how in DEGRADATIONS:
            cached = sorted(out_dir.glob(f"{pdf.stem}-1-{_slug(how)}.*"))
            scan = cached[0] if cached else degraded_scan(pdf, 1, how, out_dir)
            kind = "jpeg" if scan.suffix == ".jpg" else "png"
            truth = reference_text(pdf, 1)
            job = {"id": f"{pdf.stem}|{how}", "doc": pdf.stem, "how": how, "truth": truth}
            jobs.append({**job, "path": str(scan), "kind": kind})
    return jobs


def _slug(how: str) -> str:
    import re

    return re.sub(r"\W+", "-", how).strip("-")


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def table(jobs: Sequence[Job], ways: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for how in DEGRADATIONS:
        mine = [j for j in jobs if j["how"] == how]
        row: dict[str, Any] = {"degradation": how, "pages": len(mine)}
        for name, results in ways.items():
            got = [results[j["id"]] for j in mine]
            row[f"cer {name}"] = round(
                _mean([cer(j["truth"], g["text"]) for j, g in zip(mine, got, strict=True)]), 3
            )
            row[f"cpu s/page {name}"] = round(_mean([g["cpu"] for g in got]), 2)
        arsip = [ways["arsip"][j["id"]] for j in mine]
        row["flagged"] = sum(bool(g["problems"]) for g in arsip)
        row["repairs"] = (
            ", ".join(sorted({r.split()[0] for g in arsip for r in g["repairs"]})) or "-"
        )
        rows.append(row)
    return rows


def print_table(rows: Sequence[dict[str, Any]]) -> None:
    keys = list(rows[0])
    widths = [max(len(k), *(len(str(r[k])) for r in rows)) for k in keys]
    print("  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(r[k]).ljust(w) for k, w in zip(keys, widths, strict=True)))


def export_tree(ref: str, tmp: Path) -> Path:
    tree = tmp / f"tree-{ref}"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "tasks"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    p.add_argument("--baseline", help="git ref of an earlier tasks/ to compare with")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--docs", type=int, default=5, help="how many real documents (page 1 each)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ocr-quality")
    args = p.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return
    found = real_docs()
    if found is None:
        raise SystemExit("real documents not found: set ARSIP_REAL_DOCS")
    # The OmniPage-layered regulation is a scan: its text layer is OCR, not a reference.
    docs = [d for d in sorted(found.glob("*.pdf")) if "permen" not in d.name][: args.docs]
    args.out.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"command: {' '.join([sys.executable, *sys.argv])}")
    print(
        f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; cpus {os.cpu_count()}"
    )
    started = time.monotonic()
    jobs = make_jobs(docs, args.out)
    with tempfile.TemporaryDirectory(prefix="bench-ocrq-") as tmp_name:
        tmp = Path(tmp_name)
        with ThreadPoolExecutor(args.workers) as pool:
            raw = {r["id"]: r for r in pool.map(lambda j: raw_tesseract(j, tmp), jobs)}
        ways: dict[str, dict[str, Any]] = {"raw": raw}
        ours = run_workers(jobs, None, args.workers, tmp)
        ways["arsip"] = ours["results"]
        warmups = {"arsip": ours["warmup_cpu"]}
        if args.baseline:
            before = run_workers(jobs, export_tree(args.baseline, tmp), args.workers, tmp)
            ways["before"] = before["results"]
            warmups["before"] = before["warmup_cpu"]
    rows = table(jobs, ways)
    print(
        f"\nOCR of page 1 of {len(docs)} real documents per degradation "
        f"(CER: mean over pages; CPU: mean s per page)"
    )
    print_table(rows)
    load = os.getloadavg()
    print(f"\nper-process warm-up CPU (word list load), not in cpu s/page: {warmups}")
    loads = " ".join(f"{v:.2f}" for v in load)
    print(f"wall {time.monotonic() - started:.0f} s; load average at end: {loads}")
    print(
        json.dumps(
            {
                "docs": [d.name for d in docs],
                "rows": rows,
                "warmup_cpu": warmups,
                "baseline": args.baseline,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
