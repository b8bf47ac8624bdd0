"""Query time of the search page's newer kinds: the fuzzy retry of a typo, a date range,
the unit filter by contains, and the sort orders, against a plain word search.

Builds an index of ``--docs`` documents as ``bench/bench_index.py`` does (same corpus,
texts in files, ``index.rebuild``), then times each kind as ``petugas`` (access filter
on) with snippets loaded from the files, as the web page asks (20 a page).

    .venv/bin/python bench/bench_search_kinds.py --docs 3000 [--queries 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from archive.vocabulary import visible_access
from bench.bench_index import UNITS, YEARS, Corpus, TextFiles, _mutate
from index import SearchFilters, rebuild, search


def _kinds(corpus: Corpus, rng: random.Random, n: int) -> dict[str, list[dict[str, object]]]:
    mid = corpus.vocab[20:3000]
    vocab = set(corpus.vocab)
    typos = []
    while len(typos) < n:  # a typo that is no word of the corpus: nothing as typed
        typo = _mutate(rng, rng.choice([w for w in mid if len(w) >= 6]))
        if typo not in vocab:
            typos.append(typo)

    def span() -> SearchFilters:
        year = rng.choice(YEARS)
        return SearchFilters(date_from=date(year, 1, 1), date_to=date(year, rng.randint(3, 12), 28))

    def unit() -> SearchFilters:
        return SearchFilters(unit=rng.choice(UNITS).split()[-1].lower())

    return {
        "word (baseline)": [{"query": rng.choice(mid)} for _ in range(n)],
        "typo -> fuzzy retry": [{"query": t} for t in typos],
        "word + date range": [{"query": rng.choice(mid), "filters": span()} for _ in range(n)],
        "listing + date range": [{"query": "", "filters": span()} for _ in range(n)],
        "word + unit contains": [{"query": rng.choice(mid), "filters": unit()} for _ in range(n)],
        **{
            f"word sorted {sort}": [{"query": rng.choice(mid), "sort": sort} for _ in range(n)]
            for sort in ("newest", "oldest", "number")
        },
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3_000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-kinds-") as tmp:
        path, files = Path(tmp) / "index", TextFiles(Path(tmp) / "texts")
        corpus = Corpus(args.seed, args.docs, args.words)
        files.write(corpus)
        began = time.perf_counter()
        rebuild(path, files.docs(corpus), procs=1)
        print(
            f"{args.docs} docs x {args.words} words, built in {time.perf_counter() - began:.1f} s"
        )
        rng = random.Random(args.seed)
        print(f"{'kind':24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'hits p50':>9} {'fuzzy':>6}")
        for kind, cases in _kinds(corpus, rng, args.queries).items():
            millis, hits, fuzzy = [], [], 0
            for case in cases:
                call: Callable[[], object] = lambda c=case: search(  # noqa: E731
                    path,
                    visible=visible_access("petugas"),
                    page_size=20,
                    text_loader=files,
                    **c,  # type: ignore[arg-type]
                )
                began = time.perf_counter()
                results = call()
                millis.append((time.perf_counter() - began) * 1000)
                hits.append(results.total)  # type: ignore[attr-defined]
                fuzzy += bool(results.fuzzy)  # type: ignore[attr-defined]
            print(
                f"{kind:24} {_percentile(millis, 0.5):8.1f} {_percentile(millis, 0.95):8.1f} "
                f"{max(millis):8.1f} {statistics.median(hits):9.0f} {fuzzy:>3}/{len(cases)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
