"""``bench_index``'s index as staff reach it: ``arsip search`` typed at the shell, and the
web app's search page and its JSON twin through a real ``arsip serve``.

The data root around the index has a migrated catalog holding the bench accounts and no
document rows: a search reads the index, the texts (through the folder the index stores
with each hit) and, on the web, the session and the audit log. The HTML page also reads
the catalog's unit names (cached a minute), which here are none.

Web requests come from one signed-in ``petugas`` on one connection, one after another
(so one web worker answers them all): latency as a person sees it, without queueing
behind other clients, which ``bench_web_load`` measures. Each row also gives the CPU
the server (or the command) spent per request, a figure the machine's other load does
not move.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
from served import ARSIP, USERS, Server, bench_environment, cpu_seconds, signed_in

from archive.accounts import Accounts
from archive.catalog import Catalog
from archive.db import upgrade
from archive.layout import ArchiveLayout

SHELL_RUNS = 10  # `arsip search` runs per kind: each is a new process, ~0.4 s


@dataclass
class Measured:
    kind: str
    millis: list[float] = field(default_factory=list)
    cpu_millis: list[float] = field(default_factory=list)
    hits: list[int] = field(default_factory=list)
    load: str = ""


def prepare_home(home: Path) -> None:
    """A migrated catalog with the bench accounts beside the index (kept on --reuse)."""
    ArchiveLayout(home).ensure()
    url = f"sqlite:///{home / 'catalog.db'}"
    upgrade(url)
    catalog = Catalog(url)
    accounts = Accounts(catalog.engine)
    for role, (username, password) in USERS.items():
        if accounts.get(username) is None:
            accounts.create(username, role, password)
    catalog.close()


def _load() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def shell_timings(home: Path, queries: dict[str, list[str]]) -> list[Measured]:
    """``arsip search <q> --json`` as petugas: the whole command, start-up included."""
    env = bench_environment(home) | {"ARSIP_ROLE": "petugas"}
    timings = []
    for kind, given in queries.items():
        measured = Measured(f"arsip search: {kind}", load=_load())
        for query in given[:SHELL_RUNS]:
            cpu, began = _children_cpu(), time.perf_counter()
            done = subprocess.run(
                [str(ARSIP), "search", query, "--json"], env=env, capture_output=True, check=True
            )
            measured.millis.append((time.perf_counter() - began) * 1000)
            measured.cpu_millis.append((_children_cpu() - cpu) * 1000)
            measured.hits.append(int(json.loads(done.stdout)["total"]))
        measured.load += f" -> {_load()}"
        timings.append(measured)
    return timings


def _get(client: httpx.Client, path: str, params: dict[str, str], measured: Measured) -> None:
    began = time.perf_counter()
    response = client.get(f"{path}?{urlencode(params)}" if params else path)
    measured.millis.append((time.perf_counter() - began) * 1000)
    response.raise_for_status()
    if path.endswith(".json"):
        measured.hits.append(int(response.json()["total"]))


def _timed(
    client: httpx.Client, pid: int, kind: str, path: str, cases: list[dict[str, str]]
) -> Measured:
    measured = Measured(kind, load=_load())
    cpu = cpu_seconds(pid)
    for params in cases:
        _get(client, path, params, measured)
    per_request = (cpu_seconds(pid) - cpu) * 1000 / max(1, len(cases))
    measured.cpu_millis = [per_request]
    measured.load += f" -> {_load()}"
    return measured


def web_cases(
    queries: dict[str, list[str]], filtered: list[dict[str, str]], n: int
) -> dict[str, tuple[str, list[dict[str, str]]]]:
    """Each row's page and parameters: every JSON search highlights its page of 20 hits
    and counts the four facets, as the page does."""
    pages = [{"page": str(1 + k % 10)} for k in range(n)]
    by_type = [{"type": case["type"]} for case in filtered[:n]]
    cases = {
        f"/search.json {kind}": ("/search.json", [{"q": q} for q in given[:n]])
        for kind, given in queries.items()
    }
    return {
        "/search.json landing, pages 1-10": ("/search.json", pages),
        "/search.json landing filtered by type": ("/search.json", by_type),
        **cases,
        "/search.json type+year filtered": ("/search.json", filtered[:n]),
        "/search (HTML) landing": ("/search", pages),
        "/search (HTML) single word": ("/search", [{"q": q} for q in queries["single word"][:n]]),
    }


def web_timings(
    home: Path, queries: dict[str, list[str]], filtered: list[dict[str, str]], n: int
) -> list[Measured]:
    """The search as a signed-in petugas sends it, first the landing page a fresh server
    answers (its caches empty), then ``n`` requests of each kind."""
    server = Server(home, workers=1)
    try:
        client = signed_in(server.base, "petugas")
        first = Measured("/search.json landing, first after start", load=_load())
        _get(client, "/search.json", {}, first)
        timings = [first]
        for kind, (path, cases) in web_cases(queries, filtered, n).items():
            timings.append(_timed(client, server.proc.pid, kind, path, cases))
        client.close()
    finally:
        server.stop()
    return timings


def report(title: str, timings: list[Measured]) -> None:
    print(f"\n{title}")
    print(f"{'kind':<42} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'hits':>7} {'CPU ms':>7}  load")
    for t in timings:
        p95 = statistics.quantiles(t.millis, n=20)[-1] if len(t.millis) > 1 else t.millis[0]
        cpu = f"{statistics.median(t.cpu_millis):.1f}" if t.cpu_millis else "-"
        hits = f"{statistics.mean(t.hits):.1f}" if t.hits else "-"
        print(
            f"{t.kind:<42} {len(t.millis):>4} {statistics.median(t.millis):>7.1f} "
            f"{p95:>7.1f} {hits:>7} {cpu:>7}  {t.load}"
        )
