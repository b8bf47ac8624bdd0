"""What Prefect costs beside OCR, counting the whole command a user types.

On the same N distinct one-page PNG scans (300 dpi, generated from ``flows.demo``):

- ``raw``: ``tesseract PAGE -l ind+eng txt``, ``--workers`` processes, OMP_THREAD_LIMIT=1;
- ``plain``: the ingest use case without Prefect (``bench/probe.py plain``), the product's
  own cost: intake, OCR with word boxes and text layer, classification, filing, index;
- ``service``: ``arsip ingest --json`` against a running ``arsip start`` (a fresh data root
  and service per run), the service's Prefect server CPU measured from outside;
- ``cold``: ``arsip ingest --json`` on a fresh data root with no service (it starts a
  temporary Prefect server for the command).

Each way runs on ``--small`` and ``--large`` files; the marginal cost of one page is the
difference divided by the difference in pages, so start-up cancels out. A run on one TXT
file gives each way's fixed cost directly.

    .venv/bin/python bench/bench_service.py [--small 3] [--large 30] [--workers 2]
    .venv/bin/python bench/bench_service.py --fixed-only [--repeat 3]   # one TXT file only

``--fixed-only`` measures just the fixed cost of one CLI ingest (cold, and against one
running service), ``--repeat`` times each, with the load average beside every figure.

    .venv/bin/python bench/bench_service.py --rounds 3 [--ways plain,service] [--side-by-side]

``--rounds N`` measures each way in pairs with its own raw tesseract run, under the same
host conditions, and reports the per-page ratio of every pair and the median/min/max over
the rounds (:mod:`service_rounds` says how).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil

from flows import demo

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PAGES_DIR = ROOT / "bench" / "out" / "service-pages"


@dataclass
class Run:
    way: str
    files: int
    wall_s: float
    self_cpu_s: float = 0.0  # the CLI / probe Python process
    children_cpu_s: float = 0.0  # tesseract, poppler, a temporary server
    server_cpu_s: float = 0.0  # the service's Prefect server, during the command
    archived: int = 0

    @property
    def cpu_s(self) -> float:
        return self.self_cpu_s + self.children_cpu_s + self.server_cpu_s


def ensure_pages(count: int) -> list[Path]:
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    pages = []
    for i in range(count):
        path = PAGES_DIR / f"page-{i:03d}.png"
        if not path.exists():
            # Distinct text on every page (none is a re-scan of another): a one-page report.
            demo.write_image(demo.long_document(1, seed=100 + i), path, seed=100 + i)
        pages.append(path)
    return pages


def run_raw(pages: Sequence[Path], workers: int, work: Path) -> Run:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out_dir = Path(tempfile.mkdtemp(dir=work, prefix="raw-"))

    def one(page: Path) -> float:
        cmd = ["tesseract", str(page), str(out_dir / page.stem), "-l", "ind+eng", "txt"]
        return waited_cpu(cmd, env)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        cpu = sum(pool.map(one, pages))
    return Run("raw", len(pages), time.perf_counter() - t0, children_cpu_s=cpu)


def waited_cpu(cmd: Sequence[str], env: dict[str, str]) -> float:
    """CPU seconds of one child, from its own rusage (``wait4``): unlike RUSAGE_CHILDREN
    it stays right while another way runs beside it in the same bench process."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err[-500:]!r}")
    return usage.ru_utime + usage.ru_stime


def clean_env(home: Path, workers: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(
        ARSIP_HOME=str(home),
        ARSIP_SETTLE_SECONDS="0",
        ARSIP_OCR_WORKERS=str(workers),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def fill_inbox(home: Path, files: Sequence[Path]) -> None:
    inbox = home / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, inbox / f.name)


def run_probe(way: str, args: Sequence[str], env: dict[str, str], work: Path) -> Run:
    out = work / f"probe-{time.monotonic_ns()}.json"
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PY, str(ROOT / "bench" / "probe.py"), str(out), *args],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{way} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    figures = json.loads(out.read_text())
    archived = json.loads(proc.stdout)["counts"]["archived"]
    return Run(way, 0, wall, figures["self_cpu_s"], figures["children_cpu_s"], 0.0, archived)


def bench_plain(files: Sequence[Path], workers: int, work: Path) -> Run:
    home = Path(tempfile.mkdtemp(dir=work)) / "data"
    fill_inbox(home, files)
    run = run_probe("plain", ["plain", str(home / "inbox")], clean_env(home, workers), work)
    run.files = len(files)
    return run


def bench_cold(files: Sequence[Path], workers: int, work: Path) -> Run:
    home = Path(tempfile.mkdtemp(dir=work)) / "data"
    fill_inbox(home, files)
    run = run_probe("cold", ["cli", "ingest", "--json"], clean_env(home, workers), work)
    run.files = len(files)
    return run


class Service:
    """``arsip start`` on a fresh data root; its scheduled ingest is pushed a day out."""

    def __init__(self, work: Path, workers: int) -> None:
        self.home = Path(tempfile.mkdtemp(dir=work)) / "data"
        ports = [free_port(), free_port()]
        self.env = clean_env(
            self.home,
            workers,
            ARSIP_INGEST_EVERY_SECONDS="86400",
            ARSIP_PREFECT_PORT=str(ports[0]),
            ARSIP_WEB_PORT=str(ports[1]),
        )
        self.log = (work / f"service-{ports[0]}.log").open("wb")
        cmd = [PY, "-m", "flows.cli", "start", "--demo"]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log)
        self.info = self._wait_started()
        self.server = psutil.Process(self.info["children"]["prefect-server"])
        self._wait_first_run()

    def _wait_started(self) -> dict[str, Any]:
        deadline = time.monotonic() + 300
        path = self.home / ".service.json"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"arsip start exited {self.proc.returncode}")
            if path.exists():
                return dict(json.loads(path.read_text()))
            time.sleep(0.5)
        raise SystemExit("arsip start did not come up in 300 s")

    def _wait_first_run(self) -> None:
        """The (re)started service runs one ingest 15 s after start: let it finish first."""
        url = f"{self.info['api_url']}/flow_runs/filter"
        body = {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if httpx.post(url, json=body, timeout=10).json():
                time.sleep(2)  # the runner's subprocess exits
                return
            time.sleep(1)
        raise SystemExit("the service's first scheduled ingest did not finish")

    def server_cpu(self) -> float:
        t = self.server.cpu_times()
        return float(t.user + t.system)

    def idle_rate(self, seconds: float = 10.0) -> float:
        before = self.server_cpu()
        time.sleep(seconds)
        return (self.server_cpu() - before) / seconds

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(60)
        self.log.close()


def bench_service(files: Sequence[Path], workers: int, work: Path) -> tuple[Run, float]:
    with service_ready(files, workers, work) as (measure, idle):
        return measure(), idle


@contextmanager
def service_ready(
    files: Sequence[Path], workers: int, work: Path
) -> Iterator[tuple[Callable[[], Run], float]]:
    """A fresh service with ``files`` in its inbox, and the ingest command to time: split
    so that ``--side-by-side`` starts raw tesseract with the command, not with start-up."""
    service = Service(work, workers)
    try:
        idle = service.idle_rate()
        fill_inbox(service.home, files)

        def measure() -> Run:
            before = service.server_cpu()
            run = run_probe("service", ["cli", "ingest", "--json"], service.env, work)
            # What the server spent for this command, net of its own idle loops.
            run.server_cpu_s = max(0.0, service.server_cpu() - before - idle * run.wall_s)
            run.files = len(files)
            return run

        yield measure, idle
    finally:
        service.stop()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def text_file(work: Path) -> Path:
    path = work / "catatan.txt"
    demo.write_txt(demo.notulen(), path)
    return path


# ------------------------------------------------------------------ figures


def marginal(small: Run, large: Run, attr: str) -> float:
    return (getattr(large, attr) - getattr(small, attr)) / (large.files - small.files)


def figures(runs: dict[str, dict[str, Run]], idle: float) -> dict[str, Any]:
    raw_cpu = marginal(runs["raw"]["small"], runs["raw"]["large"], "cpu_s")
    raw_wall = marginal(runs["raw"]["small"], runs["raw"]["large"], "wall_s")
    out: dict[str, Any] = {"raw_cpu_s_per_page": raw_cpu, "raw_wall_s_per_page": raw_wall}
    for way in ("plain", "service", "cold"):
        small, large = runs[way]["small"], runs[way]["large"]
        cpu, wall = marginal(small, large, "cpu_s"), marginal(small, large, "wall_s")
        out[way] = {
            "cpu_s_per_page": cpu,
            "wall_s_per_page": wall,
            "cpu_ratio_vs_raw": cpu / raw_cpu,
            "wall_ratio_vs_raw": wall / raw_wall,
            "fixed_wall_s": runs[way]["txt"].wall_s,
            "fixed_cpu_s": runs[way]["txt"].cpu_s,
        }
    plain_self = marginal(runs["plain"]["small"], runs["plain"]["large"], "self_cpu_s")
    svc = runs["service"]
    cli_self = marginal(svc["small"], svc["large"], "self_cpu_s")
    server = marginal(svc["small"], svc["large"], "server_cpu_s")
    ocr = marginal(svc["small"], svc["large"], "children_cpu_s")
    orchestration = max(0.0, cli_self - plain_self) + server
    out["orchestration"] = {
        "cli_prefect_cpu_s_per_doc": cli_self - plain_self,
        "server_cpu_s_per_doc": server,
        "ocr_cpu_s_per_doc": ocr,
        "share_of_ocr": orchestration / ocr if ocr else None,
        "server_idle_cpu_s_per_s": idle,
    }
    return out


def table(runs: dict[str, dict[str, Run]]) -> None:
    head = f"{'way':<8} {'files':>5} {'wall s':>8} {'self cpu':>9} {'children':>9}"
    print(f"{head} {'server':>7} {'total cpu':>9} {'archived':>8}")
    for way, by_size in runs.items():
        for run in by_size.values():
            print(
                f"{way:<8} {run.files:>5} {run.wall_s:>8.2f} {run.self_cpu_s:>9.2f} "
                f"{run.children_cpu_s:>9.2f} {run.server_cpu_s:>7.2f} {run.cpu_s:>9.2f} "
                f"{run.archived:>8}"
            )


def verdict(f: dict[str, Any]) -> None:
    svc, cold, orch = f["service"], f["cold"], f["orchestration"]
    print("\ntargets")
    print(
        f"  marginal per page vs raw tesseract (service): CPU {svc['cpu_ratio_vs_raw']:.3f}x, "
        f"wall {svc['wall_ratio_vs_raw']:.3f}x   (target <= 1.05x)"
    )
    print(
        f"  fixed cost of one CLI ingest: service {svc['fixed_wall_s']:.2f} s (target <= 3), "
        f"cold {cold['fixed_wall_s']:.2f} s (target <= 8)"
    )
    share = orch["share_of_ocr"] * 100 if orch["share_of_ocr"] is not None else float("nan")
    print(
        f"  orchestration CPU / OCR CPU: {share:.1f} % "
        f"(server {orch['server_cpu_s_per_doc'] * 1000:.0f} ms + CLI Prefect "
        f"{orch['cli_prefect_cpu_s_per_doc'] * 1000:.0f} ms per document; target <= 5 %)"
    )


def fixed_only(workers: int, repeat: int) -> int:
    """The fixed cost of one CLI ingest of one TXT file: cold, then against one service."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="arsip-bench-fixed-") as tmp:
        work = Path(tmp)
        for _ in range(repeat):
            rows.append({**asdict(bench_cold([text_file(work)], workers, work))})
            rows[-1]["load1"] = os.getloadavg()[0]
        service = Service(work, workers)
        try:
            idle = service.idle_rate(5.0)
            for i in range(repeat):
                path = work / f"catatan-{i}.txt"  # distinct text: archived, not a duplicate
                doc = demo.notulen()
                path.write_text("\n".join([*doc.lines, f"Catatan {i}: {time.time_ns()}"]))
                fill_inbox(service.home, [path])
                before = service.server_cpu()
                run = run_probe("service", ["cli", "ingest", "--json"], service.env, work)
                run.server_cpu_s = max(0.0, service.server_cpu() - before - idle * run.wall_s)
                run.files = 1
                rows.append({**asdict(run), "load1": os.getloadavg()[0]})
        finally:
            service.stop()
    for r in rows:
        print(
            f"{r['way']:<8} wall {r['wall_s']:6.2f} s  cli cpu {r['self_cpu_s']:5.2f}  "
            f"children {r['children_cpu_s']:5.2f}  server {r['server_cpu_s']:5.2f}  "
            f"archived {r['archived']}  load {r['load1']:.2f}"
        )
    print(json.dumps({"fixed": rows, "date": datetime.now(UTC).isoformat(timespec="seconds")}))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=3)
    parser.add_argument("--large", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fixed-only", action="store_true", help="one TXT file only")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each way (--fixed-only)")
    parser.add_argument(
        "--rounds", type=int, default=0, help="ratio in N rounds of raw + way pairs (see below)"
    )
    parser.add_argument("--ways", default="plain,service", help="ways measured by --rounds")
    parser.add_argument(
        "--side-by-side", action="store_true", help="--rounds: raw and the way at the same time"
    )
    args = parser.parse_args(argv)
    if args.fixed_only:
        return fixed_only(args.workers, args.repeat)
    if args.rounds:
        import service_rounds  # bench/ is on sys.path when this file runs as a script

        return service_rounds.main(args, list(argv or sys.argv[1:]))
    pages = ensure_pages(args.large)
    sizes = {"small": pages[: args.small], "large": pages}
    runs: dict[str, dict[str, Run]] = {}
    idle = 0.0
    with tempfile.TemporaryDirectory(prefix="arsip-bench-service-") as tmp:
        work = Path(tmp)
        txt = [text_file(work)]
        runs["raw"] = {k: run_raw(v, args.workers, work) for k, v in sizes.items()}
        runs["plain"] = {
            k: bench_plain(v, args.workers, work) for k, v in {**sizes, "txt": txt}.items()
        }
        runs["cold"] = {
            k: bench_cold(v, args.workers, work) for k, v in {**sizes, "txt": txt}.items()
        }
        runs["service"] = {}
        for key, files in {**sizes, "txt": txt}.items():
            runs["service"][key], idle = bench_service(files, args.workers, work)
    table(runs)
    result = figures(runs, idle)
    verdict(result)
    result.update(
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        command=" ".join([".venv/bin/python", "bench/bench_service.py", *(argv or sys.argv[1:])]),
        loadavg=os.getloadavg(),
        runs={w: {k: asdict(r) for k, r in by.items()} for w, by in runs.items()},
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
