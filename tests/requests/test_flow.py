"""The daily deadline check in a real Prefect run (a temporary server, as the other flow
tests): warnings for requests due in two working days or fewer, overdue requests marked
once, artifacts that carry request numbers but no requester's name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
    FlowFilter,
    FlowFilterName,
    LogFilter,
    LogFilterFlowRunId,
)

from archive.catalog import Catalog
from archive.requests import RequestRegister
from flows.app.requests import open_register
from flows.requests import deadline_flow
from flows.settings import Settings
from tests.requests.support import PETUGAS, intake
from tests.support.db import migrated_catalog

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def prefect_server(prefect_api: str) -> str:
    return prefect_api


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Catalog]]:
    data = tmp_path / "data"
    catalog = migrated_catalog(data / "catalog.db")
    monkeypatch.setenv("ARSIP_HOME", str(data))
    yield data, catalog
    catalog.close()


def test_deadline_flow_warns_and_marks_overdue(home: tuple[Path, Catalog]):
    data, catalog = home
    register: RequestRegister = open_register(Settings(home=data), catalog)
    day = date(2024, 3, 18)  # Monday
    # Due Wed 20 Mar (2 working days left), due Tue 20 Feb (17 late), due 2 Apr (far).
    soon, _ = register.intake(PETUGAS, intake("Budi Santoso", date(2024, 3, 4)), today=day)
    late, _ = register.intake(PETUGAS, intake("Rina Marlina", date(2024, 2, 1)), today=day)
    far, _ = register.intake(PETUGAS, intake("Dedi Kurnia", date(2024, 3, 18)), today=day)

    result = deadline_flow(today="2024-03-18")
    assert [(r["permohonan"], r["sisa hari kerja"], r["status"]) for r in result["due"]] == [
        (late.number, -17, "terlambat"),
        (soon.number, 2, "segera"),
    ]
    assert result["marked"] == [late.number]
    assert register.events(late.id)[-1].kind == "terlambat"
    assert register.events(late.id)[-1].username == "prefect:request-deadlines"
    assert [e.kind for e in register.events(far.id)] == ["diterima"]

    again = deadline_flow(today="2024-03-19")
    assert again["marked"] == []  # marked once
    assert [e.kind for e in register.events(late.id)].count("terlambat") == 1

    with get_client(sync_client=True) as client:
        keys = ["request-deadlines", "request-deadlines-report"]
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
        assert {a.key for a in artifacts} == set(keys)
        shown = " ".join(str(a.data) for a in artifacts)
        assert late.number in shown and soon.number in shown
        assert not any(name in shown for name in ("Budi", "Rina", "Dedi", "3171011203850004"))
        # The test run's one Prefect server also holds every other test's runs.
        mine = FlowFilter(name=FlowFilterName(any_=["request-deadlines"]))
        runs = client.read_flow_runs(flow_filter=mine, limit=10)
        first = next(r for r in runs if r.parameters.get("today") == "2024-03-18")
        assert first.name.startswith("deadlines · ") and first.state and first.state.is_completed()
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[first.id]))
        )
        warnings = [log.message for log in logs if log.level == 30]
        assert any(late.number in m and "terlambat 17 hari kerja" in m for m in warnings)
        assert any(soon.number in m and "dalam 2 hari kerja" in m for m in warnings)
