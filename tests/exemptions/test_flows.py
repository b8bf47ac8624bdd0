"""The Prefect side of the exemption register, against a real (temporary) Prefect server:
the review and expiry flows act on due entries and leave artifacts.

Approvals have no Prefect path: the Prefect UI has no sign-in, so a pause form could be
answered in anyone's name. The signed-in web app is the one place to approve."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
)

from archive.catalog import Catalog
from archive.exemptions import Actor, ExemptionRegister, StepArgs
from archive.vocabulary import visible_access
from flows.exemptions import expiry_flow, review_flow
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


@pytest.fixture(autouse=True)
def prefect_server(prefect_api: str) -> str:
    return prefect_api


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
    register.take(entry.id, "link", PPID, StepArgs(documents=(PENDING_ID,)))
    register.take(entry.id, "record_test", PPID)
    register.take(entry.id, "submit", PPID)
    return entry.id


def test_review_and_expiry_flows_act_on_due_entries(home: Path):
    catalog, register = _register(home)
    entry_id = _submitted(register)
    for approver in APPROVERS:
        digest = register.get(entry_id).approval_digest()
        register.take(entry_id, "approve", approver, StepArgs(digest=digest))
    decree = StepArgs(number="3/PP.06-Kpt/2024", on=date(2024, 1, 10))
    register.take(entry_id, "set_decree", PPID, decree)
    register.take(entry_id, "publish", PPID, StepArgs(today=date(2024, 1, 11)))

    reviewed = review_flow(today="2024-07-11")
    assert [r["entri"] for r in reviewed["entries"] if r["tindakan"] == "tinjauan dimulai"] == [
        f"#{entry_id}"
    ]
    assert register.get(entry_id).status == "tinjauan"
    assert search(home / "index", "rahasiabelum", visible=visible_access("petugas")).total == 0

    expired = expiry_flow(today="2029-01-10")  # five years after the decree
    assert [r["tindakan"] for r in expired["entries"]] == ["kedaluwarsa"]
    assert register.get(entry_id).status == "kedaluwarsa"
    assert catalog.get(PENDING_ID).access == "terbuka"  # type: ignore[union-attr]
    assert [
        h.id for h in search(home / "index", "rahasiabelum", visible=visible_access("petugas")).hits
    ] == [PENDING_ID]
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
