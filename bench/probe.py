"""Run one command in this process, then write its own CPU and its children's CPU.

    python bench/probe.py OUT.json cli ingest --json     # `arsip ingest`, as typed
    python bench/probe.py OUT.json plain INBOX           # the same work without Prefect

``getrusage(RUSAGE_SELF)`` is this Python process: the product's own work plus, for
``cli``, the Prefect client. ``RUSAGE_CHILDREN`` is every waited-for descendant:
tesseract, poppler, and the temporary Prefect server when a run starts one.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def plain_ingest(inbox: str) -> int:
    """The ingest use case as the flow runs it, minus Prefect: the product's own cost."""
    from flows.app.ingest import run_once
    from flows.settings import load_settings

    summary = run_once(load_settings(), "bench-plain", Path(inbox))
    print(json.dumps({"counts": summary["counts"]}))
    return 0


def main() -> int:
    out, mode, *args = sys.argv[1:]
    started = time.perf_counter()
    if mode == "cli":
        from flows.cli import main as arsip

        code = arsip(args)
    else:
        code = plain_ingest(args[0])
    figures = {
        "code": code,
        "self_cpu_s": _cpu(resource.RUSAGE_SELF),
        "children_cpu_s": _cpu(resource.RUSAGE_CHILDREN),
        "in_process_s": time.perf_counter() - started,
    }
    Path(out).write_text(json.dumps(figures))
    return code


if __name__ == "__main__":
    sys.exit(main())
