"""``bench_service.py --rounds N``: raw tesseract and each way under the same host conditions.

The tesseract CPU of one page drifts 15-20 % within minutes on this shared host, so a raw
run minutes before a way's run cannot settle a 5 % ratio. Here every way is measured in
*pairs* with its own raw run:

- sequential (default): raw and the way one after the other on the small set, then on the
  large set, the order flipped every round (raw, way, way, raw ...), so a steady drift
  counts against each side equally;
- ``--side-by-side``: raw and the way start at the same moment on the same pages, each with
  ``--workers`` OCR processes (use ``--workers 1`` on 2 CPUs), so both see the same host.
  For ``service`` the service is started and idle before the pair starts: only the
  ingest command runs beside raw.

Each pair gives a marginal per-page CPU (large run - small run) / (pages difference) for
raw and for the way, and their ratio; a round is one pair per way. The summary is the
median, min and max ratio over the rounds, with the load average beside every pair.
CPU is counted per process (raw: ``wait4`` of each tesseract; a way: the probe's own
rusage, plus the service's server), so two ways running at once do not mix.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bench_service as bs

Prepared = AbstractContextManager[Callable[[], bs.Run]]


@contextmanager
def _plain(files: Sequence[Path], workers: int, work: Path) -> Iterator[Callable[[], bs.Run]]:
    yield lambda: bs.bench_plain(files, workers, work)


@contextmanager
def _cold(files: Sequence[Path], workers: int, work: Path) -> Iterator[Callable[[], bs.Run]]:
    yield lambda: bs.bench_cold(files, workers, work)


@contextmanager
def _service(files: Sequence[Path], workers: int, work: Path) -> Iterator[Callable[[], bs.Run]]:
    with bs.service_ready(files, workers, work) as (measure, _idle):
        yield measure


WAYS: dict[str, Callable[[Sequence[Path], int, Path], Prepared]] = {
    "plain": _plain,
    "cold": _cold,
    "service": _service,
}


@dataclass
class Pair:
    round: int
    way: str
    order: str  # "raw first", "way first" or "side by side"
    raw_cpu_s_per_page: float
    way_cpu_s_per_page: float
    raw_wall_s_per_page: float
    way_wall_s_per_page: float
    load_before: float
    load_after: float
    runs: dict[str, dict[str, Any]]

    @property
    def ratio(self) -> float:
        return self.way_cpu_s_per_page / self.raw_cpu_s_per_page


def _one_size(
    way: str, files: Sequence[Path], workers: int, work: Path, order: str
) -> tuple[bs.Run, bs.Run]:
    with WAYS[way](files, workers, work) as measure:
        if order == "side by side":
            with ThreadPoolExecutor(2) as pool:
                raw_future = pool.submit(bs.run_raw, files, workers, work)
                other_future = pool.submit(measure)
                return raw_future.result(), other_future.result()
        if order == "raw first":
            raw = bs.run_raw(files, workers, work)
            return raw, measure()
        other = measure()
        return bs.run_raw(files, workers, work), other


def measure_pair(
    number: int, way: str, sizes: dict[str, Sequence[Path]], workers: int, work: Path, order: str
) -> Pair:
    load_before = os.getloadavg()[0]
    runs: dict[str, dict[str, bs.Run]] = {"raw": {}, way: {}}
    for key, files in sizes.items():
        runs["raw"][key], runs[way][key] = _one_size(way, files, workers, work, order)
    for run in runs[way].values():
        if run.archived != run.files:
            raise SystemExit(f"{way}: archived {run.archived} of {run.files} files")
    raw, other = runs["raw"], runs[way]
    return Pair(
        round=number,
        way=way,
        order=order,
        raw_cpu_s_per_page=bs.marginal(raw["small"], raw["large"], "cpu_s"),
        way_cpu_s_per_page=bs.marginal(other["small"], other["large"], "cpu_s"),
        raw_wall_s_per_page=bs.marginal(raw["small"], raw["large"], "wall_s"),
        way_wall_s_per_page=bs.marginal(other["small"], other["large"], "wall_s"),
        load_before=load_before,
        load_after=os.getloadavg()[0],
        runs={w: {k: asdict(r) for k, r in by.items()} for w, by in runs.items()},
    )


def run_rounds(
    rounds: int,
    ways: Sequence[str],
    sizes: dict[str, Sequence[Path]],
    workers: int,
    work: Path,
    side_by_side: bool,
) -> list[Pair]:
    pairs: list[Pair] = []
    for number in range(1, rounds + 1):
        # Flipping the order each round (and the ways' order) cancels a steady drift.
        order = "side by side" if side_by_side else ("raw first", "way first")[number % 2 == 0]
        for way in ways if number % 2 else list(reversed(ways)):
            pair = measure_pair(number, way, sizes, workers, work, order)
            pairs.append(pair)
            print_pair(pair, flush=True)
    return pairs


def print_pair(p: Pair, flush: bool = False) -> None:
    print(
        f"round {p.round:>2}  {p.way:<8} {p.order:<12}  raw {p.raw_cpu_s_per_page:6.3f} s/page  "
        f"{p.way} {p.way_cpu_s_per_page:6.3f} s/page  ratio {p.ratio:6.3f}x  "
        f"load {p.load_before:.2f} -> {p.load_after:.2f}",
        flush=flush,
    )


def summary(pairs: Sequence[Pair]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for way in dict.fromkeys(p.way for p in pairs):
        ratios = [p.ratio for p in pairs if p.way == way]
        out[way] = {
            "rounds": len(ratios),
            "median_ratio": statistics.median(ratios),
            "min_ratio": min(ratios),
            "max_ratio": max(ratios),
            "median_raw_cpu_s_per_page": statistics.median(
                p.raw_cpu_s_per_page for p in pairs if p.way == way
            ),
        }
    return out


def main(args: Any, argv: Sequence[str]) -> int:
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    unknown = set(ways) - set(WAYS)
    if unknown:
        raise SystemExit(f"unknown way(s) {sorted(unknown)}; choose from {sorted(WAYS)}")
    pages = bs.ensure_pages(args.large)
    sizes: dict[str, Sequence[Path]] = {"small": pages[: args.small], "large": pages}
    with tempfile.TemporaryDirectory(prefix="arsip-bench-rounds-") as tmp:
        pairs = run_rounds(args.rounds, ways, sizes, args.workers, Path(tmp), args.side_by_side)
    result = summary(pairs)
    print(f"\nmarginal CPU per page / raw tesseract's, {args.rounds} round(s) (target <= 1.05x)")
    for way, s in result.items():
        print(
            f"  {way:<8} median {s['median_ratio']:.3f}x  min {s['min_ratio']:.3f}x  "
            f"max {s['max_ratio']:.3f}x  (raw median {s['median_raw_cpu_s_per_page']:.3f} s/page)"
        )
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/bench_service.py", *argv]),
        "mode": "side by side" if args.side_by_side else "sequential pairs, order flipped",
        "workers": args.workers,
        "pages": {"small": args.small, "large": args.large},
        "summary": result,
        "pairs": [{**asdict(p), "ratio": p.ratio} for p in pairs],
        "loadavg_end": os.getloadavg(),
    }
    print(json.dumps(record))
    return 0
