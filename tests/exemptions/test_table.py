"""The transition table is the one place a step is defined: what the register enforces,
what the viewer is offered (only what they may do now), what waits and why, the stage
that follows the approvals, and the withdrawal of a draft."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.exemptions import (
    EVENT_NAMES,
    STEPS,
    Actor,
    ExemptionRegister,
    Period,
    Situation,
    TransitionRefused,
    stage,
)
from archive.exemptions.lifecycle import available, refusal
from tests.exemptions.conftest import (
    APPROVERS,
    ATASAN,
    DOC_A,
    PEMBINA,
    PPID,
    SYSTEM,
    TIM,
    approve,
    decreed,
    good_draft,
    submitted,
    take,
)

ROOT = Path(__file__).resolve().parents[2]


def _offered(register: ExemptionRegister, entry_id: int, actor: Actor) -> set[str]:
    return {s.name for s in register.view(entry_id, actor).steps}


def test_each_step_is_defined_once_with_its_label_event_and_button():
    assert len({s.event for s in STEPS.values()}) == len(STEPS)
    for name, step in STEPS.items():
        assert step.name == name and step.label and step.button and step.event_name
        assert (step.apply is None) == (not step.sources), name  # only propose creates
        assert EVENT_NAMES[step.event] == step.event_name


def test_the_register_and_the_web_app_take_steps_only_through_the_table():
    from archive.exemptions import register as module

    public = {n for n in dir(module.ExemptionRegister) if not n.startswith("_")}
    assert not public & (set(STEPS) - {"propose"}), "a step method beside the table"
    for path in (ROOT / "web" / "exemptions").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
        named = strings & (set(STEPS) - {"edit", "link", "unlink", "public_copy"})
        assert not named, f"{path.name} special-cases steps {sorted(named)}"


def test_an_approver_is_offered_only_what_they_may_do_now(register: ExemptionRegister):
    entry_id = submitted(register)
    assert _offered(register, entry_id, PPID) == {"link", "unlink"}  # the proposer
    assert _offered(register, entry_id, ATASAN) == {"approve", "reject"}
    approve(register, entry_id, ATASAN, "setuju")
    # After approving: neither Setujui nor Kembalikan, and the reason is shown instead.
    assert _offered(register, entry_id, ATASAN) == set()
    view = register.view(entry_id, ATASAN)
    assert next((s.name, why) for s, why in view.waiting) == (
        "approve",
        f"Atasan PPID sudah menyetujui entri #{entry_id}.",
    )
    with pytest.raises(TransitionRefused, match="sudah menyetujui"):
        take(register, entry_id, "reject", ATASAN, note="berubah pikiran")
    assert _offered(register, entry_id, TIM) == {"approve", "reject"}
    assert _offered(register, entry_id, Actor("petugas1", "petugas")) == set()


def test_decree_is_offered_only_once_every_approval_is_in(register: ExemptionRegister):
    entry_id = submitted(register)
    for actor in APPROVERS[:-1]:
        approve(register, entry_id, actor)
        view = register.view(entry_id, PPID)
        assert "set_decree" not in {s.name for s in view.steps}
        assert view.stage == "menunggu_persetujuan"
        waiting = dict((s.name, why) for s, why in view.waiting)
        assert "Pembina PPID" in waiting["set_decree"]
    approve(register, entry_id, PEMBINA)
    view = register.view(entry_id, PPID)
    assert view.stage == "disetujui" and view.entry.status == "menunggu_persetujuan"
    assert "set_decree" in {s.name for s in view.steps}


def test_expiry_is_offered_only_when_the_period_is_over(register: ExemptionRegister):
    entry_id = decreed(register)
    assert "expire" not in _offered(register, entry_id, PPID)
    entry = register.get(entry_id)
    assert entry.expires_on is not None
    after = Situation(entry, {}, entry.expires_on)
    assert refusal(STEPS["expire"], after, SYSTEM) is None
    assert "expire" in {s.name for s in available(after, PPID)}
    assert {"revoke", "annul", "publish"} <= _offered(register, entry_id, PPID)
    conditional = decreed(register, good_draft(period=Period("syarat", condition="sampai x")))
    assert "expire" in _offered(register, conditional, PPID)  # the PPID declares it met


def test_irreversible_steps_say_what_cannot_be_undone():
    irreversible = {n for n, s in STEPS.items() if s.irreversible}
    assert irreversible == {
        "approve", "set_decree", "publish", "expire", "revoke", "annul", "withdraw",
    }  # fmt: skip


def test_a_draft_can_be_withdrawn_with_an_event(register: ExemptionRegister, docs: Catalog):
    entry = register.propose(PPID, good_draft())
    take(register, entry.id, "link", PPID, documents=(DOC_A,))
    assert "withdraw" in _offered(register, entry.id, PPID)
    with pytest.raises(Exception, match="Alasan penarikan wajib diisi"):
        take(register, entry.id, "withdraw", PPID)
    out = take(register, entry.id, "withdraw", PPID, note="Diusulkan dua kali.")
    assert out.entry.status == "ditarik" and out.event.kind == "ditarik"
    assert out.event.note == "Diusulkan dua kali." and out.event.detail["released"] == [DOC_A]
    assert [e.kind for e in register.events(entry.id)][-1] == "ditarik"
    assert docs.get(DOC_A).access == "belum_ditinjau"  # still restricted: not decided
    assert register.standing([DOC_A]) == {}  # no live entry covers it any more
    assert register.mark_open(DOC_A, PPID) == [DOC_A]  # so the PPID may now open it
    assert _offered(register, entry.id, PPID) == set()  # a withdrawn entry is history
    submitted_id = submitted(register)
    assert "withdraw" not in _offered(register, submitted_id, PPID)


def test_a_decree_refuses_a_period_already_over(register: ExemptionRegister, docs: Catalog):
    entry_id = submitted(register, good_draft(period=Period("durasi", months=1)))
    for actor in APPROVERS:
        approve(register, entry_id, actor)
    with pytest.raises(TransitionRefused, match="sudah berakhir pada 1 Februari 2024"):
        take(register, entry_id, "set_decree", PPID, number="1/2024", on=date(2024, 1, 1))
    assert register.get(entry_id).decree_number is None
    assert docs.get(DOC_A).access == "belum_ditinjau"  # nothing was exempted
    take(register, entry_id, "set_decree", PPID, number="1/2024", on=date(2024, 2, 15))
    # Decreed in time, but the month is over before publication: refused too.
    with pytest.raises(TransitionRefused, match="sudah berakhir"):
        take(register, entry_id, "publish", PPID, today=date(2024, 3, 20))
    assert "publish" in _offered(register, entry_id, PPID)  # the clock says 1 March
    assert take(register, entry_id, "publish", PPID).entry.status == "dipublikasikan"


def test_stage_names_the_approval_state_on_the_list(register: ExemptionRegister):
    entry_id = submitted(register)
    stages = {s.entry.id: stage(s) for s in register.situations()}
    assert stages[entry_id] == "menunggu_persetujuan"
    for actor in APPROVERS:
        approve(register, entry_id, actor)
    stages = {s.entry.id: stage(s) for s in register.situations()}
    assert stages[entry_id] == "disetujui"


def test_callers_use_the_register_through_its_package_only():
    """``archive.exemptions`` is the façade; its modules are its own business."""
    for path in [*(ROOT / "flows").rglob("*.py"), *(ROOT / "web").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inner = {
            n.module
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("archive.exemptions.")
        }
        assert not inner, f"{path.relative_to(ROOT)} imports {sorted(inner)}"


def test_the_register_keeps_the_office_calendar():
    from flows.settings import today_in as office_today

    # UTC+14 and UTC-11 are 25 hours apart: never the same date.
    east, west = office_today("Pacific/Kiritimati"), office_today("Pacific/Pago_Pago")
    assert (east - west).days in (1, 2)
