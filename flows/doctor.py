"""``arsip doctor``: is this machine able to run the pipeline?"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.catalog import Catalog
from archive.errors import CatalogUnavailable
from flows.deploy import PLANS
from flows.prefect_env import base_environment
from flows.service_file import running_service
from flows.settings import Settings
from flows.verify import BACKLOG_WARN_DAYS, index_check, quarantine_backlog
from tasks.detect import sniff_mime
from tasks.errors import ToolMissing
from tasks.ocr import installed_languages, tesseract_version

if TYPE_CHECKING:
    from flows.prefect_api import DeploymentState

MIN_FREE_BYTES = 1 << 30


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def run_doctor(settings: Settings, service: bool = True) -> list[Check]:
    checks = [
        _tesseract(),
        _languages(settings),
        _poppler(),
        _libmagic(),
        _disk(settings),
        _consistency(settings),
        _backlog(settings),
    ]
    return checks + (service_checks(settings) if service else [])


def _tesseract() -> Check:
    try:
        return Check("tesseract", True, tesseract_version())
    except ToolMissing as exc:
        return Check("tesseract", False, str(exc))


def _languages(settings: Settings) -> Check:
    try:
        have = installed_languages()
    except ToolMissing as exc:
        return Check("tesseract languages", False, str(exc))
    wanted = [*settings.ocr_languages.split("+"), "osd"]
    missing = [lang for lang in wanted if lang not in have]
    detail = f"have {', '.join(have)}" + (f"; missing {', '.join(missing)}" if missing else "")
    return Check("tesseract languages", not missing, detail)


def _poppler() -> Check:
    missing = [t for t in ("pdftoppm", "pdfinfo", "pdftotext") if shutil.which(t) is None]
    detail = "pdftoppm, pdfinfo, pdftotext" if not missing else f"missing {', '.join(missing)}"
    return Check("poppler-utils", not missing, detail)


def _libmagic() -> Check:
    try:
        mime = sniff_mime(Path(__file__))
    except Exception as exc:  # libmagic load errors surface as ImportError/OSError
        return Check("libmagic", False, f"python-magic cannot use libmagic: {exc}")
    return Check("libmagic", mime.startswith("text/"), f"identifies this file as {mime}")


def _disk(settings: Settings) -> Check:
    home = settings.home.resolve()
    probe = home if home.exists() else home.parent
    free = shutil.disk_usage(probe).free
    return Check("disk space", free >= MIN_FREE_BYTES, f"{free / 2**30:.1f} GiB free at {probe}")


def _consistency(settings: Settings) -> Check:
    """Catalog vs index only (ids, no hashing): fast enough for every doctor run.
    The full re-hash of the archive is `arsip verify` / the nightly verify flow."""
    if not settings.home.exists():
        return Check("index vs catalog", True, "no data root yet")
    try:
        catalog = Catalog(settings.catalog_url)
    except CatalogUnavailable as exc:
        return Check("index vs catalog", False, str(exc))
    try:
        problems = index_check(settings.layout, catalog)
        count = catalog.count_documents()
    finally:
        catalog.close()
    if not problems:
        return Check("index vs catalog", True, f"{count} document(s), all findable")
    kinds: dict[str, int] = {}
    for p in problems:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    detail = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
    return Check("index vs catalog", False, f"{detail}; run `arsip reindex`")


def _backlog(settings: Settings) -> Check:
    """Quarantined files wait for a person; only a stale backlog is a finding."""
    backlog = quarantine_backlog(settings.layout)
    if not backlog:
        return Check("quarantine backlog", True, "empty")
    oldest = backlog[0].age_days
    detail = f"{len(backlog)} file(s), oldest {oldest:.1f} days"
    return Check("quarantine backlog", oldest <= BACKLOG_WARN_DAYS, detail)


# ------------------------------------------------------------------ the service


def service_checks(settings: Settings) -> list[Check]:
    """Is the office's service up and doing its scheduled work?"""
    info = running_service(settings.home)
    if info is None:
        detail = f"not running on {settings.home.resolve()}: start it with `arsip start`"
        return [Check("service", False, detail)]
    alive = {name: _alive(pid) for name, pid in info.children.items()}
    dead = [name for name, ok in alive.items() if not ok]
    checks = [
        Check(
            "service",
            not dead,
            f"pid {info.pid}, web {info.web_url}, UI {info.ui_url}"
            + (f"; not running: {', '.join(dead)}" if dead else ""),
        )
    ]
    base_environment(settings)
    os.environ.setdefault("PREFECT_API_URL", info.api_url)
    from flows.prefect_api import deployment_states, server_answers

    if not server_answers(info.api_url):
        return [*checks, Check("prefect server", False, f"no answer at {info.api_url}")]
    states = {d.name: d for d in deployment_states()}
    return [*checks, Check("prefect server", True, info.api_url), *_schedule_checks(states)]


def _schedule_checks(states: Mapping[str, DeploymentState]) -> list[Check]:
    missing = [p.name for p in PLANS if p.name not in states]
    checks = [
        Check(
            "deployments",
            not missing,
            ", ".join(sorted(states)) + (f"; missing {', '.join(missing)}" if missing else ""),
        )
    ]
    for plan in PLANS:
        state = states.get(plan.name)
        if state is None or not (plan.interval or plan.cron):
            continue
        ok = state.ready and state.upcoming > 0
        nxt = f"next {state.next_run:%Y-%m-%d %H:%M} UTC" if state.next_run else "none upcoming"
        ready = "runner polling" if state.ready else "no runner polls it"
        checks.append(
            Check(f"schedule: {plan.name}", ok, f"{state.upcoming} upcoming, {nxt}, {ready}")
        )
    return [*checks, _last_verify(states.get("verify"))]


def _last_verify(state: DeploymentState | None) -> Check:
    if state is None or state.last_state is None:
        return Check("last verify", True, "no verify run yet (nightly at 01:30)")
    when = f"{state.last_at:%Y-%m-%d %H:%M} UTC" if state.last_at else "?"
    ok = state.last_state == "Completed"
    detail = f"{state.last_state} at {when}" + (f": {state.last_message}" if not ok else "")
    return Check("last verify", ok, detail)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
