"""Load on the web app's search: N concurrent signed-in clients doing ``/search.json``.

Builds (once, cached in ``--out``) a data root of ``--docs`` generated documents: filed in
the archive (``text.txt`` for snippets), in the catalog and in the Whoosh index, at the
access levels of ``bench_index.Corpus`` (70 % open, 20 % not reviewed, 10 % exempt), plus
one ``petugas`` and one ``ppid`` account. Then runs the real app as the office does
(``arsip serve``: uvicorn, ``ARSIP_WEB_WORKERS`` processes, the production settings) and, for each
``--clients`` level, that many asyncio clients, each with its own session (half
petugas, half ppid), each sending its next query as soon as the last one answered, for
``--seconds``. Queries: one or two frequent words, a rarer word, a phrase, a document
code, some with a type/year filter, some on page 2.

    .venv/bin/python bench/bench_web_load.py --docs 3000 --clients 20 50 --seconds 30

Prints p50/p95/p99 latency and requests per second per level and per role, the errors,
and the load average before and after (the machine may be shared: a slow figure next
to a high load says why). The target of issue #11: p95 < 300 ms at 20 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's packages
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_index's corpus

from bench_index import Corpus
from served import USERS, Server, cpu_seconds, sign_in_form

from archive.accounts import Accounts
from archive.catalog import Catalog
from archive.db import upgrade
from archive.records import DocumentRecord
from archive.store import ArchiveLayout, file_document, sha256_bytes
from flows.app.indexing import index_batch

ROOT = Path(__file__).resolve().parents[1]


def build_home(home: Path, docs: int, seed: int) -> None:
    """The data root, unless a finished one is there (``.complete``)."""
    if (home / ".complete").exists():
        return
    layout = ArchiveLayout(home)
    layout.ensure()
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    corpus = Corpus(seed, docs, words=300)
    records = []
    started = time.monotonic()
    for i in range(docs):
        doc = corpus.doc(i)
        text = doc.text.encode()
        doc_id = f"{i + 1:016x}"
        target = layout.document_dir(doc.year, doc.doc_type, doc_id)
        files: dict[str, Path | bytes] = {"original.txt": text, "text.txt": text}
        file_document(layout, target, files, {"original.txt": sha256_bytes(text)})
        record = DocumentRecord(
            id=doc_id, sha256=sha256_bytes(text), source_name=f"{doc_id}.txt",
            mime="text/plain", doc_type=doc.doc_type, doc_type_confidence=0.9, number=doc.number,
            date=doc.date, year=doc.year, unit=doc.unit, title=doc.title, pages=1,
            text_source="text_layer", ocr_confidence=None, flags=(),
            access=doc.access,  # type: ignore[arg-type]
            archive_path=str(target.relative_to(layout.home)),
            received_at=datetime(doc.year, 6, 1, tzinfo=UTC),
        )  # fmt: skip
        catalog.add_document(record, [])
        records.append(record)
    index_batch(layout, records)
    accounts = Accounts(catalog.engine)
    for role, (username, password) in USERS.items():
        accounts.create(username, role, password)
    catalog.close()
    (home / ".complete").write_text(f"{docs} documents, seed {seed}\n")
    print(f"built {docs} documents in {time.monotonic() - started:.0f} s: {home}")


def queries(corpus: Corpus, rng: random.Random, n: int) -> list[str]:
    """Query strings (url-encoded by httpx) of the kinds staff type."""
    common, rare = corpus.vocab[30:400], corpus.vocab[2000:8000]
    types = ("keputusan", "surat", "notulen", "laporan", "berita_acara")
    out = []
    for k in range(n):
        kind = k % 8
        if kind in (0, 1):
            q = {"q": rng.choice(common)}
        elif kind == 2:
            q = {"q": f"{rng.choice(common)} {rng.choice(common)}"}
        elif kind == 3:
            q = {"q": rng.choice(rare)}
        elif kind == 4:
            q = {"q": f'"{rng.choice(("daftar pemilih", "rapat pleno", "berita acara"))}"'}
        elif kind == 5:
            q = {"q": f"Kpts/KPU/TAHUN {rng.randint(2015, 2025)}"}
        elif kind == 6:
            q = {
                "q": rng.choice(common),
                "type": rng.choice(types),
                "year": str(rng.randint(2015, 2025)),
            }
        else:
            q = {"q": rng.choice(common), "page": "2"}
        out.append(str(httpx.QueryParams(q)))
    return out


@dataclass
class Level:
    clients: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"petugas": [], "ppid": []})
    errors: dict[str, int] = field(default_factory=dict)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    server_cpu: float = 0.0  # seconds of CPU the server used in the timed phase


async def sign_in(client: httpx.AsyncClient, role: str) -> None:
    page = await client.get("/login")
    answer = await client.post("/login", data=sign_in_form(page.text, role))
    if answer.status_code != 303:
        raise SystemExit(f"sign-in as {role} failed: {answer.status_code}")


@dataclass
class Start:
    """All clients sign in first (argon2 at the real cost, one after another), then the
    timed phase starts for all of them at once."""

    clients: int
    signed: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    go: asyncio.Event = field(default_factory=asyncio.Event)
    stop_at: float = 0.0
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(2))


async def one_client(base: str, role: str, mine: list[str], level: Level, start: Start) -> None:
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async with start.gate:
            await sign_in(client, role)
        start.signed += 1
        signed_at = time.monotonic()
        if start.signed == start.clients:
            start.ready.set()
        await start.go.wait()
        # Idle connections are closed by the server after its keep-alive timeout: an error
        # on the first request says how long this client waited for the others.
        idle = time.monotonic() - signed_at
        n = 0
        while time.monotonic() < start.stop_at:
            started = time.perf_counter()
            try:
                response = await client.get(f"/search.json?{mine[n % len(mine)]}")
                code = str(response.status_code)
            except httpx.HTTPError as exc:
                code = type(exc).__name__
                if n == 0:
                    code += f" (first request, after {idle:.1f} s idle)"
            elapsed = time.perf_counter() - started
            if code == "200":
                level.latencies[role].append(elapsed)
            else:
                level.errors[code] = level.errors.get(code, 0) + 1
            n += 1


async def run_level(
    base: str, pid: int, clients: int, seconds: float, pool: list[str], seed: int
) -> Level:
    rng = random.Random(seed + clients)
    roles = ["petugas" if k % 2 == 0 else "ppid" for k in range(clients)]
    start = Start(clients)
    level = Level(clients)
    tasks = [
        asyncio.create_task(one_client(base, role, rng.sample(pool, len(pool)), level, start))
        for role in roles
    ]
    await start.ready.wait()
    level.load_before = os.getloadavg()
    cpu_before = cpu_seconds(pid)
    began = time.monotonic()
    start.stop_at = began + seconds
    start.go.set()
    await asyncio.gather(*tasks)
    level.seconds = time.monotonic() - began
    level.load_after = os.getloadavg()
    level.server_cpu = cpu_seconds(pid) - cpu_before
    return level


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def report(level: Level) -> None:
    every = level.latencies["petugas"] + level.latencies["ppid"]
    print(
        f"\n{level.clients} clients, {level.seconds:.1f} s, load "
        f"{level.load_before[0]:.2f} -> {level.load_after[0]:.2f} "
        f"(1-min average, {os.cpu_count()} CPUs)"
    )
    print(
        f"{'who':<8} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'mean':>7}"
    )
    for who, values in (("all", every), *level.latencies.items()):
        rate = len(values) / level.seconds if level.seconds else 0
        mean = statistics.fmean(values) * 1000 if values else float("nan")
        print(
            f"{who:<8} {len(values):>8} {rate:>7.1f} {pct(values, 0.50):>7.0f} "
            f"{pct(values, 0.95):>7.0f} {pct(values, 0.99):>7.0f} {mean:>7.0f}"
        )
    if every:
        # Independent of what else runs on the machine: what one search costs the server.
        per = level.server_cpu / len(every) * 1000
        print(f"server CPU {level.server_cpu:.1f} s: {per:.1f} ms per search")
    if level.errors:
        print(f"errors: {level.errors}")


async def warm_up(base: str, queries: list[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await sign_in(client, "ppid")
        for query in queries:
            await client.get(f"/search.json?{query}")


async def main_async(args: argparse.Namespace, server: Server, pool: list[str]) -> list[Level]:
    base = server.base
    # Warm up: the index opened, caches filled, as after a few minutes of office use.
    # Each worker process has its own caches (the snippets' word stems are the big one:
    # a page of hits with words not seen yet costs twice a warm one), so the pool goes
    # through several connections, which the workers share out between them.
    await asyncio.gather(*(warm_up(base, pool[: args.warm_up]) for _ in range(4)))
    levels = []
    for clients in args.clients:
        level = await run_level(base, server.proc.pid, clients, args.seconds, pool, args.seed)
        levels.append(level)
        report(levels[-1])
    return levels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--clients", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--build-only", action="store_true", help="make the data root, stop")
    parser.add_argument("--workers", type=int, help="web worker processes (default: the app's)")
    parser.add_argument(
        "--warm-up", type=int, default=400, help="queries of the pool each warm-up client sends"
    )
    args = parser.parse_args(argv)
    home = (args.out / f"web-load-{args.docs}-{args.seed}").resolve()
    build_home(home, args.docs, args.seed)
    upgrade(f"sqlite:///{home / 'catalog.db'}")  # a cached root made by an older release
    if args.build_only:
        return 0
    pool = queries(Corpus(args.seed, args.docs, words=300), random.Random(args.seed), 400)
    print(f"data root {home}; load average {os.getloadavg()}")
    server = Server(home, args.workers)
    try:
        levels = asyncio.run(main_async(args, server, pool))
    finally:
        server.stop()
    first = next((lv for lv in levels if lv.clients == 20), None)
    if first is not None:
        p95 = pct(first.latencies["petugas"] + first.latencies["ppid"], 0.95)
        print(
            f"\ntarget p95 < 300 ms at 20 clients: {p95:.0f} ms: "
            f"{'met' if p95 < 300 else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
