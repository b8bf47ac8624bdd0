"""Prefect task wrappers: one task run per *stage* of a run, around plain functions.

A task run per checkpoint of every document cost the Prefect server more CPU than the
OCR it orchestrated (271 task runs for 30 one-page scans, shared FACTS.md). The stages
of a run (intake, documents, index, release) are task runs, so the UI still shows where
a run spent its time and where it failed; each document's checkpoints are catalog events
and one log line. Retries happen per document inside the stage, and only for what is
transient (:func:`flows.app.ingest.retry_transient`): bad input never improves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from prefect import Flow, task
from prefect.cache_policies import NO_CACHE

T = TypeVar("T")
_JSON_SCALARS = (str, int, float, bool, type(None))


@task(name="stage", task_run_name="{name}", cache_policy=NO_CACHE)
def _stage_task(name: str, work: Callable[[], Any]) -> Any:
    return work()


def prefect_stage(name: str, work: Callable[[], T]) -> T:
    """A :data:`flows.app.ingest.Stage` that runs the stage as one Prefect task run."""
    # Called inside a sync flow: the task returns its value, never a coroutine.
    return cast(T, _stage_task(name, work))


def stamped(kind: str) -> Callable[[], str]:
    """A flow-run namer: ``ingest · 2026-12-02 16:40 UTC``, the same shape for every flow,
    so the run list reads as a log of what ran when."""
    return lambda: f"{kind} · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


def plain_parameters(flow: Flow[Any, Any]) -> None:
    """Send ``flow``'s text, number and None parameters to the API as they are.

    Prefect serialises every parameter with FastAPI's ``jsonable_encoder``, importing all
    of FastAPI for it (~0.4 s of every ``arsip ingest``) to turn ``None`` into ``None``.
    Any other value still goes through Prefect's own serialisation.
    """
    prefects = flow.serialize_parameters

    def serialize(parameters: dict[str, Any]) -> dict[str, Any]:
        if all(isinstance(value, _JSON_SCALARS) for value in parameters.values()):
            return dict(parameters)
        return prefects(parameters)

    flow.serialize_parameters = serialize  # type: ignore[method-assign]
