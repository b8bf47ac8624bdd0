"""The Prefect side, against a real (temporary) Prefect server: the ``approve`` flow
pauses for input and is resumed with an answer, as an approver would from the run page;
the review and expiry flows act on due entries and leave artifacts."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.flow_runs import resume_flow_run
from prefect.testing.utilities import prefect_test_harness

from archive.catalog import Catalog
from archive.exemptions import Actor, ExemptionRegister
from flows.approve import approve_flow
from flows.review import expiry_flow, review_flow
from index import search
from tests.exemptions.conftest import good_draft
from tests.exemptions.web_setup import build_exemption_home, copy_home
from tests.web.conftest import PENDING_ID

pytestmark = pytest.mark.slow
PPID = Actor("ppid1", "ppid")
APPROVERS = (
    Actor("tim1", "tim_pertimbangan"),
    Actor("atasan1", "atasan"),
    Actor("pembina1", "pembina"),
)
WAIT_S = 90


@pytest.fixture(scope="module", autouse=True)
def prefect_server() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("exemption-flows") / "data"
    build_exemption_home(home)
    return home


@pytest.fixture
def home(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = copy_home(template, tmp_path / "data")
    monkeypatch.setenv("ARSIP_HOME", str(data))
    yield data


def _register(home: Path) -> tuple[Catalog, ExemptionRegister]:
    catalog = Catalog(f"sqlite:///{home / 'catalog.db'}")
    return catalog, ExemptionRegister(catalog.engine)


def _submitted(register: ExemptionRegister) -> int:
    entry = register.propose(PPID, good_draft(description="Notulen internal rapat anggaran"))
    register.link_documents(entry.id, PPID, [PENDING_ID])
    register.record_test(entry.id, PPID)
    register.submit(entry.id, PPID)
    return entry.id


def _in_thread(func: Callable[[], dict[str, Any]]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run a flow in a thread carrying this context (the harness's Prefect settings)."""
    out: dict[str, Any] = {}
    ctx = contextvars.copy_context()

    def target() -> None:
        try:
            out["result"] = ctx.run(func)
        except BaseException as exc:  # reported by the test, not lost in the thread
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


def _paused(not_state: UUID | None = None) -> tuple[UUID, UUID]:
    """The paused approve run (and its state id), waiting for a new pause if asked."""
    paused = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))
    )
    deadline = time.monotonic() + WAIT_S
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            for run in client.read_flow_runs(flow_run_filter=paused):
                if run.state is not None and run.state.id != not_state:
                    return run.id, run.state.id
            time.sleep(0.3)
    raise AssertionError("the approve flow never paused")


def test_approve_flow_is_resumed_with_input_and_records_the_approval(home: Path):
    catalog, register = _register(home)
    entry_id = _submitted(register)
    thread, out = _in_thread(
        lambda: approve_flow(entry_id=entry_id, approver_role="atasan", poll_seconds=1)
    )
    run_id, _ = _paused()
    answer = {"decision": "setuju", "username": "atasan1", "note": "Disetujui dari Prefect UI"}
    resume_flow_run(run_id, run_input=answer)
    thread.join(WAIT_S)
    assert "error" not in out, out.get("error")
    assert out["result"]["decision"] == "setuju" and out["result"]["by"] == "atasan1"
    last = register.events(entry_id)[-1]
    assert (last.kind, last.username, last.role) == ("disetujui", "atasan1", "atasan")
    assert last.note == "Disetujui dari Prefect UI"
    assert last.digest == register.get(entry_id).digest() == out["result"]["digest"]
    assert [d["id"] for d in last.documents] == [PENDING_ID]
    assert set(register.approvals(register.get(entry_id))) == {"atasan"}
    with get_client(sync_client=True) as client:
        assert client.read_flow_run(run_id).state.is_completed()  # type: ignore[union-attr]
    catalog.close()


def test_approve_flow_defaults_to_reject_and_asks_again_after_a_bad_answer(home: Path):
    catalog, register = _register(home)
    entry_id = _submitted(register)
    thread, out = _in_thread(
        lambda: approve_flow(entry_id=entry_id, approver_role="tim_pertimbangan", poll_seconds=1)
    )
    run_id, state = _paused()
    resume_flow_run(run_id, run_input={"username": "ppid1"})  # not a tim_pertimbangan account
    again, _ = _paused(not_state=state)
    assert again == run_id
    resume_flow_run(run_id, run_input={"username": "tim1", "note": "Perjelas konsekuensinya."})
    thread.join(WAIT_S)
    assert "error" not in out, out.get("error")
    assert out["result"]["decision"] == "tolak"  # the default answer
    entry = register.get(entry_id)
    assert entry.status == "draf"
    last = register.events(entry_id)[-1]
    assert (last.kind, last.username, last.note) == (
        "dikembalikan",
        "tim1",
        "Perjelas konsekuensinya.",
    )
    catalog.close()


def test_review_and_expiry_flows_act_on_due_entries(home: Path):
    catalog, register = _register(home)
    entry_id = _submitted(register)
    for approver in APPROVERS:
        register.approve(entry_id, approver)
    register.set_decree(entry_id, PPID, "3/PP.06-Kpt/2024", date(2024, 1, 10))
    register.publish(entry_id, PPID, today=date(2024, 1, 11))

    reviewed = review_flow(today="2024-07-11")
    assert [r["entri"] for r in reviewed["entries"] if r["tindakan"] == "tinjauan dimulai"] == [
        f"#{entry_id}"
    ]
    assert register.get(entry_id).status == "tinjauan"
    assert search(home / "index", "rahasiabelum", role="petugas").total == 0

    expired = expiry_flow(today="2029-01-10")  # five years after the decree
    assert [r["tindakan"] for r in expired["entries"]] == ["kedaluwarsa"]
    assert register.get(entry_id).status == "kedaluwarsa"
    assert catalog.get(PENDING_ID).access == "terbuka"  # type: ignore[union-attr]
    assert [h.id for h in search(home / "index", "rahasiabelum", role="petugas").hits] == [
        PENDING_ID
    ]
    last = register.events(entry_id)[-1]
    assert last.username == "prefect:exemption-expiry" and last.role == "sistem"
    with get_client(sync_client=True) as client:
        keys = ["exemption-review", "exemption-expiry"]
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
        assert {a.key for a in found} == set(keys)
    assert expiry_flow(today="2029-01-11")["entries"] == []  # nothing is expired twice
    catalog.close()
