"""OCR throughput on this machine: raw Tesseract vs OCRmyPDF vs ``arsip ingest``.

All three OCR the same generated pages (A4, 300 dpi, JPEG quality 80, from
``flows.demo``): raw Tesseract reads the JPEG files, OCRmyPDF and ``arsip ingest``
read one scanned PDF that wraps exactly those JPEGs (img2pdf, as ``write_scanned_pdf``
does). A second ``arsip ingest`` on a longer PDF measures peak memory. See README.md.

    .venv/bin/python bench/ocr_throughput.py [--pages 20] [--rss-pages 100] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import img2pdf
import psutil

from flows.demo import _jpeg, long_document, render_page, write_text_pdf

ROOT = Path(__file__).resolve().parents[1]
ARSIP = ROOT / ".venv" / "bin" / "arsip"
LANGS = "ind+eng"
SAMPLE_EVERY_S = 0.2
MB = 1024 * 1024


@dataclass
class Way:
    """One timed way of OCRing the pages."""

    name: str
    pages: int
    seconds: float
    cpu_s: float  # user+sys of the waited-for child processes
    words: int  # words in the OCR output: a check that the pages were really read
    note: str = ""

    @property
    def pages_per_min(self) -> float:
        return 60.0 * self.pages / self.seconds

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 2),
            "pages_per_min": round(self.pages_per_min, 1),
            "cpu_s": round(self.cpu_s, 1),
            "cpu_s_per_page": round(self.cpu_s / self.pages, 2),
            "cores_used": round(self.cpu_s / self.seconds, 2),
            "words": self.words,
            "note": self.note,
        }


@dataclass
class RssPeaks:
    cli_mb: float = 0.0
    tree_mb: float = 0.0
    tree_procs: int = 0  # processes in the tree at its peak
    tree_pss_mb: float = 0.0  # peak of summed PSS: shared libraries counted once
    samples: int = 0
    by_name_mb: dict[str, float] = field(default_factory=dict)  # largest single process
    cli_peak_at_s: float = 0.0  # seconds after the command started
    started: float = field(default_factory=time.perf_counter)


@dataclass
class ArsipRun:
    wall_s: float
    cpu_s: float
    flow_s: float | None  # Prefect's own start -> end of the flow run
    steps: dict[str, float]  # task name (without the file) -> summed seconds
    summary: dict[str, Any]
    words: int
    peaks: RssPeaks | None = None


# ---------------------------------------------------------------- inputs


def ensure_pages(out: Path, count: int) -> list[Path]:
    """Page i of long_document(count) as a JPEG, rendered like write_scanned_pdf; cached.

    long_document(n) is a prefix of long_document(m > n), so one cache serves all sizes.
    """
    pages_dir = out / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    paths = [pages_dir / f"page-{i:04d}.jpg" for i in range(1, count + 1)]
    missing = [i for i, path in enumerate(paths) if not path.exists()]
    if missing:
        print(f"generating {len(missing)} page image(s) in {pages_dir} ...", flush=True)
        lines = long_document(count).pages()
        for i in missing:
            tmp = paths[i].with_suffix(".tmp")
            tmp.write_bytes(_jpeg(render_page(lines[i], seed=i), quality=80))
            tmp.replace(paths[i])
    return paths


def ensure_pdf(images: Sequence[Path], out: Path) -> Path:
    """One scanned PDF wrapping exactly these JPEGs (no re-encoding); cached."""
    pdf = out / f"scan-{len(images)}p.pdf"
    if not pdf.exists():
        tmp = pdf.with_suffix(".tmp")
        tmp.write_bytes(img2pdf.convert([str(p) for p in images]))
        tmp.replace(pdf)
    return pdf


def ensure_text_pdf(out: Path) -> Path:
    """A 1-page born-digital PDF: an ingest that needs no OCR, for the fixed-cost run."""
    pdf = out / "text-1p.pdf"
    if not pdf.exists():
        write_text_pdf(long_document(1), pdf)
    return pdf


def source_words(pages: int) -> int:
    return sum(len(line.split()) for line in long_document(pages).lines)


def text_words(paths: Iterable[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8", errors="replace").split()) for p in paths)


def pdf_words(pdf: Path) -> int:
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True)
    return len(proc.stdout.decode("utf-8", "replace").split())


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- way 1: tesseract


def run_raw_tesseract(images: Sequence[Path], workers: int, work: Path) -> Way:
    """``tesseract IMG OUT -l ind+eng txt``, one single-threaded process per worker."""
    outdir = work / "raw"
    outdir.mkdir()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(image: Path) -> None:
        cmd = ["tesseract", str(image), str(outdir / image.stem), "-l", LANGS, "txt"]
        subprocess.run(cmd, env=env, check=True, capture_output=True)

    cpu0, start = children_cpu_s(), time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, images))
    seconds = time.perf_counter() - start
    words = text_words(outdir.glob("*.txt"))
    note = f"{workers} processes at a time, OMP_THREAD_LIMIT=1, output txt"
    return Way("raw tesseract", len(images), seconds, children_cpu_s() - cpu0, words, note)


# ---------------------------------------------------------------- way 2: OCRmyPDF


def ocrmypdf_version() -> str:
    proc = subprocess.run(["ocrmypdf", "--version"], capture_output=True, text=True)
    return proc.stdout.strip() or "?"


def run_ocrmypdf(pdf: Path, pages: int, workers: int, work: Path) -> Way:
    """``ocrmypdf --jobs N -l ind+eng --output-type pdf``; default options otherwise.

    OMP_THREAD_LIMIT is left unset: OCRmyPDF sets it itself (to 1 when pages >= jobs).
    If this OCRmyPDF rejects ``--output-type pdf``, the run falls back to its default
    output type (PDF/A) and says so in the note.
    """
    out = work / "ocrmypdf.pdf"
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    base = ["ocrmypdf", "--jobs", str(workers), "-l", LANGS]
    note = f"ocrmypdf {ocrmypdf_version()}, --jobs {workers}, --output-type pdf"
    cpu0, start = children_cpu_s(), time.perf_counter()
    cmd = [*base, "--output-type", "pdf", str(pdf), str(out)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode == 2 and "output-type" in proc.stderr:  # usage error: flag unknown
        note = f"ocrmypdf {ocrmypdf_version()}, --jobs {workers}, --output-type unsupported"
        cpu0, start = children_cpu_s(), time.perf_counter()
        proc = subprocess.run([*base, str(pdf), str(out)], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"ocrmypdf failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return Way("ocrmypdf", pages, seconds, children_cpu_s() - cpu0, pdf_words(out), note)


# ---------------------------------------------------------------- way 3: arsip ingest


def fresh_home(work: Path, name: str, pdf: Path) -> Path:
    home = work / name
    (home / "inbox").mkdir(parents=True)
    shutil.copyfile(pdf, home / "inbox" / pdf.name)
    return home


def arsip_env(home: Path, prefect_home: Path, workers: int) -> dict[str, str]:
    """Only the settings this bench means: no inherited ARSIP_* or PREFECT_* (API URL...)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.pop("OMP_THREAD_LIMIT", None)  # the product sets its own
    env.update(
        ARSIP_HOME=str(home),
        ARSIP_SETTLE_SECONDS="0",
        ARSIP_OCR_WORKERS=str(workers),
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    return env


def empty_ocr_cache(home: Path) -> None:
    """Nothing may be reused from an earlier run: the OCR cache starts empty."""
    cache = home / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir()


def run_arsip(home: Path, prefect_home: Path, workers: int, watch: bool = False) -> ArsipRun:
    """``arsip ingest --json`` as a subprocess (cwd = home: no stray arsip.toml)."""
    env = arsip_env(home, prefect_home, workers)
    out_path, err_path = home / "bench-stdout.json", home / "bench-stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        cpu0, start = children_cpu_s(), time.perf_counter()
        proc = subprocess.Popen(
            [str(ARSIP), "ingest", "--json"], env=env, cwd=home, stdout=out, stderr=err
        )
        peaks = watch_tree(proc) if watch else None
        code = proc.wait()
        wall = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"arsip ingest failed ({code}): {err_path.read_text()[-2000:]}")
    summary = json.loads(out_path.read_text(encoding="utf-8"))
    flow_s, steps = prefect_timing(prefect_home / "prefect.db", summary["run"])
    words = text_words((home / "archive").rglob("text.txt"))
    return ArsipRun(wall, children_cpu_s() - cpu0, flow_s, steps, summary, words, peaks)


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def prefect_timing(db: Path, run_id: str) -> tuple[float | None, dict[str, float]]:
    """The flow run's own duration and each task's, from the run's Prefect database.

    Task-run records can be lost at exit with the temporary server: steps may be partial.
    """
    if not db.exists():
        return None, {}
    with contextlib.closing(sqlite3.connect(db)) as con:
        row = con.execute(
            "SELECT start_time, end_time FROM flow_run WHERE id = ?", (run_id,)
        ).fetchone()
        tasks = con.execute(
            "SELECT name, start_time, end_time FROM task_run"
            " WHERE flow_run_id = ? AND start_time IS NOT NULL AND end_time IS NOT NULL"
            " ORDER BY start_time",
            (run_id,),
        ).fetchall()
    flow_s = (_ts(row[1]) - _ts(row[0])).total_seconds() if row and row[0] and row[1] else None
    steps: dict[str, float] = {}
    for name, begin, end in tasks:
        step = str(name).split(" · ")[0]
        steps[step] = steps.get(step, 0.0) + (_ts(end) - _ts(begin)).total_seconds()
    return flow_s, steps


# ---------------------------------------------------------------- memory


def watch_tree(proc: subprocess.Popen[bytes]) -> RssPeaks:
    """Sample the RSS of the CLI process and all its descendants until it exits."""
    peaks = RssPeaks()
    try:
        root = psutil.Process(proc.pid)
    except psutil.NoSuchProcess:
        return peaks
    while proc.poll() is None:
        sample_tree(root, peaks)
        time.sleep(SAMPLE_EVERY_S)
    return peaks


def sample_tree(root: psutil.Process, peaks: RssPeaks) -> None:
    """One sample: RSS of every process in the tree, and PSS (shared pages split fairly)."""
    try:
        procs = [root, *root.children(recursive=True)]
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return
    rss_sum, pss_sum, alive = 0, 0, 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            mem = p.memory_full_info()
            name = "arsip (CLI)" if p.pid == root.pid else _proc_label(p)
            peaks.by_name_mb[name] = max(peaks.by_name_mb.get(name, 0.0), mem.rss / MB)
            rss_sum, pss_sum, alive = rss_sum + mem.rss, pss_sum + mem.pss, alive + 1
            if p.pid == root.pid and mem.rss / MB > peaks.cli_mb:
                peaks.cli_mb = mem.rss / MB
                peaks.cli_peak_at_s = time.perf_counter() - peaks.started
    if rss_sum / MB > peaks.tree_mb:
        peaks.tree_mb, peaks.tree_procs = rss_sum / MB, alive
    peaks.tree_pss_mb = max(peaks.tree_pss_mb, pss_sum / MB)
    peaks.samples += 1


def _proc_label(p: psutil.Process) -> str:
    cmdline = " ".join(p.cmdline())
    if "python" in p.name() and ("uvicorn" in cmdline or "prefect" in cmdline):
        return "prefect server"
    return p.name()


def max_rss_children_mb() -> float:
    """Largest RSS of any waited-for descendant so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# ---------------------------------------------------------------- the runs


def bench_arsip(pdf: Path, text_pdf: Path, workers: int, work: Path) -> tuple[ArsipRun, ArsipRun]:
    """The timed ingest, and the fixed cost of a command: a 1-page text PDF (no OCR).

    Each in its own fresh ARSIP_HOME and PREFECT_HOME, so both pay the same startup
    (temporary server, database creation) and the difference is the OCR work.
    """
    fixed = run_arsip(fresh_home(work, "fixed", text_pdf), work / "fixed-prefect", workers)
    expect_archived(fixed)
    home = fresh_home(work, "arsip", pdf)
    empty_ocr_cache(home)
    timed = run_arsip(home, work / "arsip-prefect", workers)
    expect_archived(timed)
    return timed, fixed


def bench_rss(pdf: Path, pages: int, workers: int, work: Path) -> dict[str, Any]:
    home = fresh_home(work, "rss", pdf)
    empty_ocr_cache(home)
    before = max_rss_children_mb()
    run = run_arsip(home, work / "rss-prefect", workers, watch=True)
    expect_archived(run)
    peaks = run.peaks or RssPeaks()
    return {
        "pages": pages,
        "cli_peak_rss_mb": round(peaks.cli_mb, 1),
        "cli_peak_at_s": round(peaks.cli_peak_at_s, 1),
        "tree_peak_rss_mb": round(peaks.tree_mb, 1),
        "tree_procs_at_peak": peaks.tree_procs,
        "tree_peak_pss_mb": round(peaks.tree_pss_mb, 1),
        "largest_process_rss_mb": {k: round(v, 1) for k, v in sorted(peaks.by_name_mb.items())},
        "samples": peaks.samples,
        "ru_maxrss_children_mb_before": round(before, 1),
        "ru_maxrss_children_mb_after": round(max_rss_children_mb(), 1),
        **arsip_figures(run, pages),
    }


def expect_archived(run: ArsipRun) -> None:
    counts = run.summary["counts"]
    if counts["archived"] != 1 or counts["quarantined"] or counts["duplicate"]:
        raise SystemExit(f"arsip ingest did not archive the file: {run.summary}")


def arsip_figures(run: ArsipRun, pages: int) -> dict[str, Any]:
    flow = run.flow_s
    return {
        "whole_s": round(run.wall_s, 2),
        "flow_s": round(flow, 2) if flow else None,
        "startup_s": round(run.wall_s - flow, 2) if flow else None,
        "pages_per_min_whole": round(60 * pages / run.wall_s, 1),
        "pages_per_min_flow": round(60 * pages / flow, 1) if flow else None,
        "cpu_s_whole": round(run.cpu_s, 1),
        "words": run.words,
        "steps_s": {k: round(v, 2) for k, v in run.steps.items()},
    }


def ratio(other_s: float | None, arsip_s: float | None) -> float | None:
    """Throughput of arsip relative to the other way (>1: arsip is faster)."""
    return round(other_s / arsip_s, 2) if other_s and arsip_s else None


def throughput(
    args: argparse.Namespace, pdf: Path, images: list[Path], work: Path
) -> dict[str, Any]:
    pages, workers = len(images), args.workers
    print(f"raw tesseract on {pages} pages ...", flush=True)
    raw = run_raw_tesseract(images, workers, work)
    ocrmypdf = None
    if not args.skip_ocrmypdf:
        print("ocrmypdf ...", flush=True)
        ocrmypdf = run_ocrmypdf(pdf, pages, workers, work)
    print("arsip ingest (+ a 1-page text PDF for the fixed cost) ...", flush=True)
    timed, fixed = bench_arsip(pdf, ensure_text_pdf(args.out), workers, work)
    arsip = arsip_figures(timed, pages)
    arsip["fixed_command_s"] = round(fixed.wall_s, 2)
    arsip["fixed_command_flow_s"] = round(fixed.flow_s, 2) if fixed.flow_s else None
    arsip["fixed_command_cpu_s"] = round(fixed.cpu_s, 1)
    arsip["fixed_command_steps_s"] = {k: round(v, 2) for k, v in fixed.steps.items()}
    arsip["cpu_s_per_page_est"] = round((timed.cpu_s - fixed.cpu_s) / pages, 2)
    arsip["whole_minus_fixed_s"] = round(timed.wall_s - fixed.wall_s, 2)
    other = {"raw": raw.seconds, "ocrmypdf": ocrmypdf.seconds if ocrmypdf else None}
    ratios = {
        f"arsip_{kind}/{name}": ratio(seconds, arsip_s)
        for name, seconds in other.items()
        for kind, arsip_s in (("flow", timed.flow_s), ("whole", timed.wall_s))
    }
    return {
        "raw_tesseract": raw.to_json(),
        "ocrmypdf": ocrmypdf.to_json() if ocrmypdf else None,
        "arsip": arsip,
        "throughput_ratios": ratios,
    }


# ---------------------------------------------------------------- report


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Left-aligned first column, right-aligned figures."""
    cells = [[_cell(v) for v in row] for row in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    print(f"\n{title}")
    for n, row in enumerate(cells):
        figures = [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        print("  ".join([row[0].ljust(widths[0]), *figures]).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _ppm(pages: int, seconds: float | None) -> float | None:
    return round(60 * pages / seconds, 1) if seconds else None


def print_throughput(res: dict[str, Any], pages: int) -> None:
    a = res["arsip"]
    rows: list[list[Any]] = [
        [name, w["seconds"], w["pages_per_min"], w["cpu_s"], w["cpu_s_per_page"],
         w["cores_used"], w["words"]]
        for name, w in (("raw tesseract", res["raw_tesseract"]), ("ocrmypdf", res["ocrmypdf"]))
        if w
    ]  # fmt: skip
    minus = a["whole_minus_fixed_s"]
    cpu_minus = round(a["cpu_s_whole"] - a["fixed_command_cpu_s"], 1)
    rows += [
        ["arsip: flow only (Prefect run)", a["flow_s"], a["pages_per_min_flow"], None, None,
         None, a["words"]],
        ["arsip: whole command", a["whole_s"], a["pages_per_min_whole"], a["cpu_s_whole"],
         round(a["cpu_s_whole"] / pages, 2), round(a["cpu_s_whole"] / a["whole_s"], 2), None],
        ["arsip: whole - 1-page command", minus, _ppm(pages, minus), cpu_minus,
         a["cpu_s_per_page_est"], None, None],
    ]  # fmt: skip
    headers = ["way", "seconds", "pages/min", "cpu s", "cpu s/page", "cores used", "words"]
    table(f"OCR of {pages} pages", headers, rows)
    print(f"  arsip startup (whole - flow): {a['startup_s']} s")
    print(
        f"  1-page text PDF command: {a['fixed_command_s']} s, {a['fixed_command_cpu_s']} s CPU"
        f" (its flow {a['fixed_command_flow_s']} s)"
    )
    r = res["throughput_ratios"]
    table(
        "arsip pages/min / other pages/min (target: >= 0.9 vs raw, > 1 vs ocrmypdf)",
        ["", "flow only", "whole command"],
        [
            [f"arsip / {o}", r[f"arsip_flow/{o}"], r[f"arsip_whole/{o}"]]
            for o in ("raw", "ocrmypdf")
        ],
    )
    steps = list(a["steps_s"].items())
    table("arsip ingest steps (Prefect task runs)", ["task", "seconds"], steps)


def print_rss(rss: dict[str, Any]) -> None:
    tree = f"process tree, peak of summed RSS ({rss['tree_procs_at_peak']} procs)"
    rows: list[list[Any]] = [
        [
            f"arsip CLI process alone, peak RSS (at {rss['cli_peak_at_s']} s)",
            rss["cli_peak_rss_mb"],
        ],
        [tree, rss["tree_peak_rss_mb"]],
        ["process tree, peak of summed PSS", rss["tree_peak_pss_mb"]],
        ["ru_maxrss(RUSAGE_CHILDREN) before the run", rss["ru_maxrss_children_mb_before"]],
        ["ru_maxrss(RUSAGE_CHILDREN) after the run", rss["ru_maxrss_children_mb_after"]],
    ]
    rows += [[f"largest single {k!r}", v] for k, v in rss["largest_process_rss_mb"].items()]
    table(f"memory of arsip ingest on {rss['pages']} pages (target < 500 MB)", ["", "MB"], rows)
    print(
        f"  that run: whole {rss['whole_s']} s = {rss['pages_per_min_whole']} pages/min, "
        f"flow {rss['flow_s']} s = {rss['pages_per_min_flow']} pages/min, "
        f"{rss['samples']} samples"
    )


def print_machine(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"\nCPUs: {m['cpu_count']} ({m['cpus_usable']} usable); {m['tesseract']}")
    print(
        f"  {result['workers']} busy processes got {m['effective_cores_at_start']} cores at the"
        f" start, {m['effective_cores_at_end']} at the end"
    )
    print(f"  words in the source text: {result['source_words']}")


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--pages", type=int, default=20, help="pages for the throughput runs")
    p.add_argument("--rss-pages", type=int, default=100, help="pages for the memory run")
    p.add_argument("--workers", type=int, default=2, help="parallel OCR processes, every way")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="inputs and results")
    p.add_argument("--skip-rss", action="store_true", help="no memory run")
    p.add_argument("--skip-ocrmypdf", action="store_true", help="no OCRmyPDF run")
    return p.parse_args(argv)


SPIN = "import time\nt = time.process_time()\nwhile time.process_time() - t < {s}:\n    pass"


def effective_cores(workers: int, spin_s: float = 1.0) -> float:
    """CPU really given to ``workers`` busy processes: the 2nd vCPU here comes and goes."""
    start = time.perf_counter()
    code = SPIN.format(s=spin_s)
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(workers)]
    for proc in procs:
        proc.wait()
    return round(workers * spin_s / (time.perf_counter() - start), 2)


def machine(workers: int) -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "tesseract": subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True
        ).stdout.splitlines()[0],
        "loadavg_1m_at_start": round(os.getloadavg()[0], 2),
        "effective_cores_at_start": effective_cores(workers),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.out = args.out.resolve()
    need = max(args.pages, 0 if args.skip_rss else args.rss_pages)
    images = ensure_pages(args.out, need)
    pdf = ensure_pdf(images[: args.pages], args.out)
    rss_pdf = None if args.skip_rss else ensure_pdf(images[: args.rss_pages], args.out)
    result: dict[str, Any] = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/ocr_throughput.py", *sys.argv[1:]]),
        "machine": machine(args.workers),
        "pages": args.pages,
        "workers": args.workers,
        "source_words": source_words(args.pages),
    }
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as tmp:
        if rss_pdf is not None:
            # First, so that ru_maxrss(RUSAGE_CHILDREN) is not the peak of an earlier run.
            print(f"arsip ingest on {args.rss_pages} pages, sampling RSS ...", flush=True)
            result["rss"] = bench_rss(rss_pdf, args.rss_pages, args.workers, Path(tmp))
        result.update(throughput(args, pdf, images[: args.pages], Path(tmp)))
    print_throughput(result, args.pages)
    if "rss" in result:
        print_rss(result["rss"])
    result["machine"]["effective_cores_at_end"] = effective_cores(args.workers)
    print_machine(result)
    (args.out / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
