"""Benchmark the search index: build time and rate, size, memory, query latency.

Generates N documents of pseudo-Indonesian text from a seeded vocabulary (real domain words,
affixed pseudo-words with a Zipf-like frequency, numbers, dates, document numbers, NIKs)
and writes each text to a file, as the archive keeps ``text.txt``; builds the index with
``index.rebuild`` reading those files (as ``arsip reindex`` does), then times searches as
``petugas`` (so the access filter is always on), with snippets loaded from the files.

    .venv/bin/python bench/bench_index.py --docs 2000 [--procs N] [--queries 200]

``--procs`` is passed to ``rebuild`` (default: its own default, the usable CPUs). Peak
memory is sampled over this process and all its descendants (the rebuild workers). The
load average is printed with each phase: on a shared machine it explains a slow figure.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import accumulate
from pathlib import Path

import index_product
import psutil

from archive.vocabulary import visible_access
from index import IndexDoc, SearchFilters, rebuild, search
from index.writer import default_procs


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


REAL_WORDS = _words(
    """
komisi pemilihan umum kabupaten provinsi kota sekretariat keputusan peraturan tentang
menimbang mengingat memutuskan menetapkan penetapan daftar pemilih tetap sementara
pemutakhiran data berkelanjutan rekapitulasi hasil penghitungan suara tempat pemungutan
panitia pemilihan kecamatan kelurahan desa anggota ketua sekretaris bendahara logistik
pengadaan barang jasa anggaran belanja honorarium kegiatan pelaksanaan tahapan jadwal
kampanye peserta partai politik calon bupati wakil gubernur walikota dewan perwakilan
rakyat daerah pengawas saksi keberatan sengketa pelanggaran administrasi laporan
pertanggungjawaban informasi publik dikecualikan pengecualian permohonan pemohon
keterbukaan pejabat pengelola dokumentasi uji konsekuensi rahasia pribadi kesehatan
pendidikan pekerjaan alamat nomor induk kependudukan kartu keluarga rapat pleno terbuka
undangan surat edaran nota dinas memorandum berita acara notulen agenda pimpinan tanggal
hari bulan tahun pukul tempat dihadiri peserta sosialisasi bimbingan teknis verifikasi
faktual administrasi dukungan pencalonan perseorangan syarat pencalonan pendaftaran
penerimaan pengumuman penyampaian tidak bukan belum tanpa telah akan dapat harus wajib
sesuai berdasarkan sebagaimana dimaksud dalam pada dengan untuk dari oleh kepada yang
dan atau serta bahwa adalah merupakan tersebut ini itu maka apabila dalam rangka
terhadap
"""
)
MONTHS = _words(
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
)
ROMAN = _words("I II III IV V VI VII VIII IX X XI XII")
DOC_TYPES = (
    "keputusan",
    "surat",
    "surat_edaran",
    "nota_dinas",
    "berita_acara",
    "notulen",
    "laporan",
    "sop",
    "formulir",
    "peraturan",
)
UNITS = (
    "KPU Kabupaten Bengkulu Tengah",
    "KPU Provinsi Bengkulu",
    "KPU Kota Bengkulu",
    "Sekretariat Jenderal KPU",
    "KPU Kabupaten Seluma",
)
YEARS = tuple(range(2015, 2026))
SYLLABLES = _words(
    "ba be bi bu da di du ga gu ha ja ka ke ki ku la li lu ma mi "
    "mu na ni nu pa pe pi pu ra ri ru sa si su ta ti tu wa ya"
)
PREFIXES = ("", "", "", "me", "mem", "di", "pe", "pen", "ber", "ter", "ke")
SUFFIXES = ("", "", "", "an", "kan", "nya", "i")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = list(dict.fromkeys(REAL_WORDS))
    seen = set(words)
    while len(words) < size:
        root = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        word = rng.choice(PREFIXES) + root + rng.choice(SUFFIXES)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _code(rng: random.Random, year: int) -> str:
    return rng.choice(
        (
            f"{rng.randint(1, 999)}/PL.02.{rng.randint(1, 6)}/{rng.randint(1000, 9999)}"
            f"/KPU-Kab/{rng.choice(ROMAN)}/{year}",
            f"{rng.randint(1, 999)}/Kpts/KPU/TAHUN {year}",
            f"{rng.randint(1, 2000)} TAHUN {year}",
            f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}",
            "".join(str(rng.randint(0, 9)) for _ in range(16)),
            str(rng.randint(1, 500)),
        )
    )


class Corpus:
    """Deterministic documents: document ``i`` is the same text on every call."""

    def __init__(self, seed: int, docs: int, words: int, vocab_size: int = 30_000) -> None:
        self.seed = seed
        self.docs = docs
        self.words = words
        self.vocab = _vocabulary(random.Random(seed), vocab_size)
        # Zipf-like: the k-th word is about 1/k as frequent as the first.
        self.cum_weights = list(accumulate(1.0 / (rank + 1) for rank in range(len(self.vocab))))

    def _rng(self, i: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + i)

    def _meta(self, rng: random.Random) -> tuple[str, str, str, int, date]:
        access = rng.choices(("terbuka", "belum_ditinjau", "dikecualikan"), (7, 2, 1))[0]
        year = rng.choice(YEARS)
        return (
            rng.choice(DOC_TYPES),
            rng.choice(UNITS),
            access,
            year,
            date(year, rng.randint(1, 12), rng.randint(1, 28)),
        )

    def _body(self, rng: random.Random, year: int) -> str:
        words = rng.choices(self.vocab, cum_weights=self.cum_weights, k=self.words)
        out: list[str] = []
        for n, word in enumerate(words):
            if n % 97 == 50:
                out.append(_code(rng, year))
            out.append(word.capitalize() if n % 14 == 0 else word)
            if n % 14 == 13:
                out[-1] += "."
        return " ".join(out)

    def doc(self, i: int, text: bool = True) -> IndexDoc:
        rng = self._rng(i)
        doc_type, unit, access, year, when = self._meta(rng)
        title_words = rng.choices(self.vocab[:2000], k=rng.randint(4, 9))
        return IndexDoc(
            id=f"doc-{i:06d}",
            number=f"{i}/Kpts/KPU/TAHUN {year}",
            title=" ".join(title_words).title(),
            text=self._body(rng, year) if text else "",
            doc_type=doc_type,
            unit=unit,
            access=access,
            date=when,
            year=year,
            source_name=f"scan-{i:06d}.pdf",
        )

    def all(self) -> Iterator[IndexDoc]:
        return (self.doc(i) for i in range(self.docs))


@dataclass
class Timing:
    kind: str
    millis: list[float]
    hits: list[int]
    load: str
    loader_millis: list[float] = field(default_factory=list)


class TextFiles:
    """The corpus's texts as files in a data root's archive (``text.txt`` in each document's
    folder, which the index stores with the hit); also the ``text_loader``, keeping the time
    it spent reading."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.spent = 0.0

    @staticmethod
    def folder(doc: IndexDoc) -> str:
        return f"archive/{doc.year}/{doc.doc_type}/{doc.id}"

    def write(self, corpus: Corpus) -> None:
        for doc in corpus.all():
            path = self.home / self.folder(doc) / "text.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(doc.text, encoding="utf-8")

    def docs(self, corpus: Corpus) -> Iterator[IndexDoc]:
        """The documents as a reindex sees them: metadata, text read from its file."""
        for i in range(corpus.docs):
            doc = corpus.doc(i, text=False)
            folder = self.folder(doc)
            text = (self.home / folder / "text.txt").read_text(encoding="utf-8")
            yield replace(doc, text=text, folder=folder)

    def __call__(self, doc_id: str, folder: str | None = None) -> str | None:
        began = time.perf_counter()
        try:
            return (self.home / (folder or "") / "text.txt").read_text(encoding="utf-8")
        finally:
            self.spent += time.perf_counter() - began


class PeakMemory:
    """Samples the resident memory and CPU time of this process and its descendants."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.peak_tree = 0
        self.peak_self = 0
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.every):
            try:
                procs = [me, *me.children(recursive=True)]
                rss = [p.memory_info().rss for p in procs]
                for proc in procs:
                    times = proc.cpu_times()
                    self.cpu[proc.pid] = times.user + times.system
            except psutil.Error:
                continue
            self.peak_self = max(self.peak_self, rss[0])
            self.peak_tree = max(self.peak_tree, sum(rss))

    def __enter__(self) -> PeakMemory:
        me = psutil.Process().cpu_times()
        self._own_before = me.user + me.system
        self._thread.start()
        return self

    def cpu_seconds(self) -> float:
        """CPU time of the phase: this process's, and the descendants' as last sampled
        (the rebuild workers', which end with the phase)."""
        me = psutil.Process()
        times = me.cpu_times()
        others = sum(cpu for pid, cpu in self.cpu.items() if pid != me.pid)
        return times.user + times.system - self._own_before + others

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _mutate(rng: random.Random, word: str) -> str:
    pos = rng.randrange(1, len(word))
    return word[:pos] + rng.choice("aeiouklmnprst") + word[pos + 1 :]


def _queries(corpus: Corpus, rng: random.Random, n: int) -> dict[str, list[str]]:
    mid = corpus.vocab[20:3000]
    phrases = []
    for _ in range(n):
        words = corpus.doc(rng.randrange(corpus.docs)).text.lower().replace(".", "").split()
        start = rng.randrange(len(words) - 3)
        phrases.append('"' + " ".join(words[start : start + rng.randint(2, 3)]) + '"')
    long_words = [w for w in mid if len(w) >= 6]
    return {
        "single word": [rng.choice(mid) for _ in range(n)],
        "two words": [f"{rng.choice(mid)} {rng.choice(mid)}" for _ in range(n)],
        "phrase": phrases,
        "fuzzy ~1": [_mutate(rng, rng.choice(long_words)) + "~1" for _ in range(n)],
    }


def _time(kind: str, calls: list[Callable[[], int]], loader: TextFiles | None = None) -> Timing:
    timing = Timing(kind, [], [], _load())
    for call in calls:
        if loader:
            loader.spent = 0.0
        began = time.perf_counter()
        timing.hits.append(call())
        timing.millis.append((time.perf_counter() - began) * 1000)
        if loader:
            timing.loader_millis.append(loader.spent * 1000)
    timing.load += f" -> {_load()}"
    return timing


def _run_queries(path: Path, corpus: Corpus, files: TextFiles, n: int, seed: int) -> list[Timing]:
    rng = random.Random(seed)
    timings = []
    for kind, queries in _queries(corpus, rng, n).items():
        calls = [
            lambda q=q: search(path, q, visible=visible_access("petugas")).total for q in queries
        ]
        timings.append(_time(kind, calls))
    words = [rng.choice(corpus.vocab[20:3000]) for _ in range(n)]
    calls = [
        lambda w=w: search(path, w, visible=visible_access("petugas"), text_loader=files).total
        for w in words
    ]
    timings.append(_time("single word, highlights top 10", calls, files))
    cases = [
        (
            rng.choice(corpus.vocab[20:400]),
            SearchFilters(doc_type=rng.choice(DOC_TYPES), year=rng.choice(YEARS)),
        )
        for _ in range(n)
    ]
    for kind, text_loader in (
        ("filtered type+year, no text", None),
        ("filtered type+year, highlights top 10", files),
    ):
        calls = [
            lambda w=word, f=filters, tl=text_loader: (
                search(path, w, visible=visible_access("petugas"), filters=f, text_loader=tl).total
            )
            for word, filters in cases
        ]
        timings.append(_time(kind, calls, text_loader))
    return timings + _landing(path, rng, n)


def _landing(path: Path, rng: random.Random, n: int) -> list[Timing]:
    """The search page opened without words: newest first, with facets."""
    firsts = [_first_listing(path) for _ in range(FIRST_LISTINGS)]
    pages = [rng.randint(1, 10) for _ in range(n)]
    types = [rng.choice(DOC_TYPES) for _ in range(n)]
    plain = [
        lambda p=p: search(path, "", visible=visible_access("petugas"), page=p, page_size=20).total
        for p in pages
    ]
    typed = [
        lambda t=t: (
            search(
                path,
                "",
                visible=visible_access("petugas"),
                filters=SearchFilters(doc_type=t),
                page_size=20,
            ).total
        )
        for t in types
    ]
    return [
        Timing(
            "landing page, first of an index generation",
            [millis for millis, _ in firsts],
            [total for _, total in firsts],
            _load(),
        ),
        _time("landing page (empty query), pages 1-10", plain),
        _time("landing page filtered by type", typed),
    ]


# A single first listing moved from 16 to 130 ms between two runs of the same code: one
# sample says little, ten give a p95.
FIRST_LISTINGS = 10


def _first_listing(path: Path) -> tuple[float, int]:
    """An empty-query search with the per-generation caches empty, as in a new process."""
    from index import generation

    generation._GENERATIONS.clear()
    began = time.perf_counter()
    total = search(path, "", visible=visible_access("petugas"), page_size=20).total
    return (time.perf_counter() - began) * 1000, total


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _load() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def _report_build(args: argparse.Namespace, build: dict[str, float], size: int) -> None:
    print(f"documents: {args.docs} x ~{args.words} words, seed {args.seed}")
    print(f"CPUs usable: {default_procs()}; rebuild procs={args.procs or default_procs()}")
    print(f"corpus written to files: {build['corpus_s']:.1f} s (not part of the build)")
    print(
        f"build (rebuild from the files): {build['build_s']:.1f} s = "
        f"{args.docs / build['build_s']:.1f} docs/s, {build['cpu_s']:.0f} CPU s "
        f"({build['cpu_s'] / build['build_s']:.2f} cores busy)   [load {build['load']}]"
    )
    print(f"index size on disk: {size / 1e6:.1f} MB")
    print(
        f"peak RSS during the build: {build['tree_mb']:.0f} MB this process + workers, "
        f"{build['self_mb']:.0f} MB this process"
    )
    print(flush=True)


def _report_queries(timings: list[Timing]) -> None:
    print(
        f"{'query kind (as petugas)':<42} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'hits':>7}"
        f" {'loader p50':>10}  load average during"
    )
    for t in timings:
        p95 = statistics.quantiles(t.millis, n=20)[-1] if len(t.millis) > 1 else t.millis[0]
        loader = f"{statistics.median(t.loader_millis):.1f}" if t.loader_millis else "-"
        print(
            f"{t.kind:<42} {len(t.millis):>4} {statistics.median(t.millis):>7.1f} "
            f"{p95:>7.1f} {statistics.mean(t.hits):>7.1f} {loader:>10}  {t.load}"
        )


def _build(args: argparse.Namespace, path: Path, corpus: Corpus, files: TextFiles) -> None:
    began = time.perf_counter()
    files.write(corpus)
    corpus_s = time.perf_counter() - began
    load = _load()
    with PeakMemory() as memory:
        began = time.perf_counter()
        rebuild(path, files.docs(corpus), procs=args.procs)
        build_s = time.perf_counter() - began
    build = {
        "corpus_s": corpus_s,
        "build_s": build_s,
        "load": f"{load} -> {_load()}",  # type: ignore[dict-item]
        "cpu_s": memory.cpu_seconds(),
        "tree_mb": memory.peak_tree / 1e6,
        "self_mb": memory.peak_self / 1e6,
    }
    _report_build(args, build, _dir_size(path))


def _product(home: Path, corpus: Corpus, n: int, seed: int) -> None:
    """The same kinds of search as staff send them: at the shell and through the web app."""
    rng = random.Random(seed)
    queries = _queries(corpus, rng, n)
    # A misspelt word finds nothing as typed: "did you mean" and the fuzzy retry run.
    queries["typo (fuzzy retry)"] = [q.removesuffix("~1") for q in queries["fuzzy ~1"]]
    filtered = [
        {"q": rng.choice(corpus.vocab[20:400]), "type": rng.choice(DOC_TYPES), "year": str(y)}
        for y in rng.choices(YEARS, k=n)
    ]
    index_product.prepare_home(home)
    index_product.report(
        f"arsip search at the shell ({index_product.SHELL_RUNS} runs a kind, wall and CPU)",
        index_product.shell_timings(
            home, {k: queries[k] for k in ("single word", "phrase", "typo (fuzzy retry)")}
        ),
    )
    index_product.report(
        "web app, one signed-in petugas (client wall; server CPU per request)",
        index_product.web_timings(home, queries, filtered, n),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="keep the data root here")
    parser.add_argument("--procs", type=int, default=None, help="rebuild worker processes")
    parser.add_argument(
        "--reuse", action="store_true", help="time the queries on the index kept in --dir"
    )
    parser.add_argument(
        "--no-product", action="store_true", help="skip `arsip search` and the web app"
    )
    args = parser.parse_args(argv)
    if args.reuse and args.dir is None:
        parser.error("--reuse needs --dir")
    home = args.dir or Path(tempfile.mkdtemp(prefix="bench-index-"))
    path = home / "index"
    corpus = Corpus(args.seed, args.docs, args.words)
    files = TextFiles(home)
    try:
        if args.reuse and any(path.glob("*.toc")) and (home / "archive").is_dir():
            print(f"index reused from {path} (no build timed)")
        else:
            _build(args, path, corpus, files)
        search(
            path, "pemilihan", visible=visible_access("petugas")
        )  # warm the page cache before timing
        _report_queries(_run_queries(path, corpus, files, args.queries, args.seed + 1))
        if not args.no_product:
            _product(home, corpus, min(args.queries, 100), args.seed + 2)
    finally:
        if args.dir is None:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
