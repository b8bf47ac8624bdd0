"""One shape for every ``arsip`` command, and the exit code of every failure.

A command returns its answer as data; :func:`flows.cli.main` prints it as JSON
(``--json``) or as text for a person. Failures are exceptions that carry their exit code
as a class attribute (``exit_code``), as OCRmyPDF does: the code is decided where the
error is defined, not in a table here. Modules that define commands import nothing heavy
at the top: ``arsip search`` must not pay for Prefect, FastAPI or PIL.
"""

from __future__ import annotations

import argparse
import gc
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flows.settings import Settings

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

Run = Callable[[argparse.Namespace, "Settings"], Any]
Arguments = Callable[[argparse.ArgumentParser], object]


class CommandFailed(Exception):
    """A command ran but its answer is "no" (verify found problems, doctor found gaps)."""

    exit_code = EXIT_FAIL


def no_arguments(_parser: argparse.ArgumentParser) -> None:
    return None


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@dataclass(frozen=True)
class Command:
    """``name`` may have two words (``exemption list``, ``user add``): a command group."""

    name: str
    help: str
    run: Run
    text: Callable[[Any], str] = as_json
    arguments: Arguments = no_arguments
    # The answer that means "no": a one-line reason, then exit 1 (after printing it all).
    refusal: Callable[[Any], str | None] = lambda _data: None


def exit_code_for(exc: BaseException) -> int:
    code = getattr(exc, "exit_code", EXIT_FAIL)
    return code if isinstance(code, int) else EXIT_FAIL


@contextmanager
def bulk_imports() -> Iterator[None]:
    """Importing Prefect builds ~400 pydantic models, bursts of objects that the cyclic
    collector walks again and again: ~0.2 s of its ~1.6 s CPU here. No collection while
    importing, and what the imports made is frozen out of every later one."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
