"""Resource limits: pixel counts checked before anything is decoded, and a memory and CPU
ceiling on every outside program (tesseract, pdftoppm, pdfimages, pdftotext, pdfinfo).

A hostile file must cost a bounded amount of the machine, whatever the tool does with
it: a 1 kB PDF whose page renders to gigapixels, an image that decodes to gigabytes, a
page that sends Tesseract into minutes of work. The pixel checks refuse what can be
seen from headers; the rlimits catch what cannot (the child dies, the document is
quarantined with a reason, the machine keeps its memory).
"""

from __future__ import annotations

import functools
import resource
import shutil
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tasks.errors import Rejected, Transient

MB = 1024 * 1024
# Pixels of one page picture (the ARSIP_MAX_IMAGE_MEGAPIXELS default): ~1.5 GB in tesseract.
DEFAULT_MAX_PIXELS = 120_000_000


@dataclass(frozen=True)
class ChildLimits:
    # A 300 dpi A4 page needs ~100-300 MB in tesseract or pdftoppm; a page at the
    # default 120-megapixel limit about 1.5 GB. Above that the child is refused memory.
    memory_bytes: int = 2048 * MB
    # Tesseract reads a page in 1-3 s of CPU; minutes mean a hostile or broken input.
    cpu_seconds: int = 300


DEFAULT_LIMITS = ChildLimits()
# How the tools say that memory ran out (leptonica, poppler, the dynamic loader, C++).
_MEMORY_WORDS = ("alloc", "out of memory", "failed to map")


def _apply(limits: ChildLimits) -> None:
    # Runs in the child between fork and exec: only setrlimit, nothing that locks.
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@functools.cache
def _prlimit() -> str | None:
    return shutil.which("prlimit")  # util-linux, on every Debian


def _with_limits(cmd: Sequence[str], limits: ChildLimits) -> list[str] | None:
    """``cmd`` behind util-linux ``prlimit``, which sets the same limits and then execs it
    (same process: exit codes and signals unchanged). A ``preexec_fn`` makes Python fork
    its whole address space instead of vfork: ~15 ms of CPU per child at 230 MB resident,
    against ~3 ms for the extra exec."""
    exe = _prlimit()
    if exe is None:
        return None
    cpu = f"{limits.cpu_seconds}:{limits.cpu_seconds + 5}"
    return [exe, f"--as={limits.memory_bytes}", f"--cpu={cpu}", "--core=0", "--", *cmd]


def run_limited(
    cmd: Sequence[str],
    *,
    timeout_s: float,
    what: str,
    limits: ChildLimits = DEFAULT_LIMITS,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd`` under ``limits``; a child killed by a limit raises :class:`Rejected`.

    Other non-zero exits are returned for the caller to interpret (each tool words its
    failures differently). A wall-clock timeout on a busy machine may pass: Transient.
    """
    wrapped = _with_limits(cmd, limits)
    try:
        # Without prlimit, preexec_fn only calls setrlimit (no locks, no imports) before exec.
        done = subprocess.run(
            wrapped or list(cmd),
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env=dict(env) if env is not None else None,
            preexec_fn=None if wrapped else lambda: _apply(limits),
        )
    except subprocess.TimeoutExpired as exc:
        raise Transient(f"{what} took longer than {timeout_s:.0f} s") from exc
    _raise_for_limit(done, what, limits)
    return done


def _raise_for_limit(
    done: subprocess.CompletedProcess[bytes], what: str, limits: ChildLimits
) -> None:
    code = done.returncode
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        # SIGKILL: the hard CPU limit (or the kernel's OOM killer) ended it.
        raise Rejected(
            "timeout", f"{what} used more than its {limits.cpu_seconds} s CPU limit and was stopped"
        )
    # pdftoppm says "Out of memory" and exits 0 with a truncated picture: read stderr too.
    err = stderr_text(done).lower()
    if code == -signal.SIGABRT or any(w in err for w in _MEMORY_WORDS):
        raise Rejected(
            "image_too_large",
            f"{what} needed more than its {limits.memory_bytes // MB} MB memory limit "
            f"(exit {code}): {stderr_text(done)[-200:]}",
        )


def stderr_text(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stderr.decode("utf-8", "replace").strip()


def check_pixels(width: int, height: int, max_pixels: int, what: str) -> None:
    """Refuse an image (or a page to be rendered) above ``max_pixels``, before decoding."""
    if width <= 0 or height <= 0:
        raise Rejected("corrupt", f"{what} has an impossible size {width}x{height}")
    if width * height > max_pixels:
        raise Rejected(
            "image_too_large",
            f"{what}: {width}x{height} pixels exceeds the limit of {max_pixels} "
            "(decompression bomb or an unusually large scan)",
        )
