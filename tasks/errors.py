"""Errors raised by the processing steps.

``Rejected`` means "this input cannot be processed as it is": the file is quarantined with
``code`` (machine-readable) and ``detail`` (for the person who has to act on it).
``Transient`` marks errors worth a retry. The CLI maps the hierarchy to exit codes.
"""

from __future__ import annotations


class TaskError(Exception):
    """Base of every error raised by ``tasks``."""

    exit_code = 1


class Rejected(TaskError):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class ToolMissing(TaskError):
    """An external program (tesseract, pdftoppm, ...) or language model is not installed."""

    exit_code = 4


class Transient(TaskError):
    """A failure that may pass on retry (timeouts, a busy resource)."""
