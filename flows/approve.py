"""The ``approve`` flow: one approver decides on one exemption entry from the Prefect UI.

The run shows the entry (a markdown artifact with the documents' SHA-256) and pauses
for input; the UI renders a form from :class:`ApprovalInput`. The answer goes through the
very same register step as the web app's button, so both paths write the same event.
The form's default is "tolak" (send back): an approval must be a deliberate choice.
"""

from __future__ import annotations

from typing import Any, Literal

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.context import FlowRunContext
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from pydantic import Field

from archive.accounts import Accounts
from archive.catalog import Catalog
from archive.exemptions import (
    Actor,
    Entry,
    ExemptionRegister,
    InvalidEntry,
    NotAllowed,
    Outcome,
    TransitionRefused,
    check_transition,
)
from flows.settings import load_settings

MAX_ANSWERS = 3  # a mistyped username may be corrected; then the run fails loudly
DECISIONS = {"setuju": "menyetujui", "tolak": "mengembalikan untuk perbaikan"}


class ApprovalInput(RunInput):
    decision: Literal["tolak", "setuju"] = Field(
        default="tolak", description="setuju = menyetujui; tolak = kembalikan untuk perbaikan"
    )
    username: str = Field(description="Nama akun Anda di aplikasi Arsip PPID")
    note: str = Field(default="", description="Catatan; wajib diisi bila menolak")


def approver(accounts: Accounts, username: str, role: str) -> Actor:
    """The answer names a person: an active account holding the role this run asks for."""
    user = accounts.get(username.strip())
    if user is None or user.disabled:
        raise NotAllowed(f"Akun '{username}' tidak ada atau dinonaktifkan.")
    if user.role != role:
        raise NotAllowed(f"Akun '{username}' berperan {user.role}, bukan {role}.")
    return Actor(user.username, user.role)


def decide(
    register: ExemptionRegister, entry_id: int, actor: Actor, answer: ApprovalInput, digest: str
) -> Outcome:
    note = answer.note.strip()
    if answer.decision == "setuju":
        # Bound to the documents the run showed; refused if they changed while paused.
        return register.approve(entry_id, actor, note, expected_digest=digest)
    return register.reject(entry_id, actor, note)


def summary(register: ExemptionRegister, entry: Entry, role: str) -> str:
    basis = register.bases.get(entry.draft.legal_basis)
    cite = basis.cite(entry.draft.legal_point) if basis else entry.draft.legal_basis
    lines = [
        f"# Entri pengecualian #{entry.id}: persetujuan {role}",
        "",
        f"- **Informasi**: {entry.draft.description}",
        f"- **Dasar hukum**: {cite}",
        f"- **Konsekuensi bila dibuka**: {entry.draft.consequence}",
        f"- **Pertimbangan bila ditutup**: {entry.draft.consideration}",
        f"- **Cakupan**: {entry.draft.scope}",
        f"- **Jangka waktu**: {entry.draft.period.label() if entry.draft.period else '-'}",
        f"- **Diusulkan oleh**: {entry.proposed_by}",
        f"- **Ringkasan SHA-256 dokumen**: `{entry.digest()}`",
        "",
        "| Dokumen | SHA-256 |",
        "|---|---|",
        *(f"| {d.document_id} | `{d.sha256}` |" for d in entry.documents),
        "",
        "Jawab lewat tombol *Resume*: `setuju` atau `tolak` (bawaan), nama akun, catatan.",
    ]
    return "\n".join(lines)


def _run_id() -> str:
    ctx = FlowRunContext.get()
    return str(ctx.flow_run.id) if ctx and ctx.flow_run else "-"


def _answers(
    register: ExemptionRegister,
    accounts: Accounts,
    entry_id: int,
    role: str,
    digest: str,
    pause: dict[str, int],
) -> tuple[ApprovalInput, Actor, Outcome]:
    """Pause until an acceptable answer comes; a wrong account or a refusal without a note
    is logged and asked again (up to ``MAX_ANSWERS``), anything else fails the run."""
    log = get_run_logger()
    for attempt in range(1, MAX_ANSWERS + 1):
        answer = pause_flow_run(wait_for_input=ApprovalInput, key=f"approval-{attempt}", **pause)
        try:
            actor = approver(accounts, answer.username, role)
            return answer, actor, decide(register, entry_id, actor, answer, digest)
        except (NotAllowed, InvalidEntry) as exc:
            if attempt == MAX_ANSWERS:
                raise
            log.error("Jawaban tidak dapat diterima: %s Silakan jawab lagi.", exc)
    raise TransitionRefused("Tidak ada jawaban yang dapat diterima.")  # not reached


@flow(name="approve-exemption", log_prints=False)
def approve_flow(
    entry_id: int, approver_role: str, timeout_hours: float = 72.0, poll_seconds: int = 10
) -> dict[str, Any]:
    """Pause until ``approver_role`` answers, then approve or send back entry ``entry_id``.
    On timeout the run ends Failed and the entry stays as it was."""
    catalog = Catalog(load_settings().catalog_url)
    try:
        register = ExemptionRegister(catalog.engine)
        entry = register.get(entry_id)
        # Fail now, not after days of waiting, if this role cannot decide on this entry.
        check_transition("approve", entry, Actor("?", approver_role))
        digest = entry.digest()
        create_markdown_artifact(
            summary(register, entry, approver_role),
            key=f"exemption-{entry_id}-approval",
            description=f"Entri #{entry_id} menunggu persetujuan {approver_role}",
        )
        pause = {"timeout": int(timeout_hours * 3600), "poll_interval": poll_seconds}
        answer, actor, outcome = _answers(
            register, Accounts(catalog.engine), entry_id, approver_role, digest, pause
        )
    finally:
        catalog.close()
    get_run_logger().info("%s %s entri #%s", actor.username, DECISIONS[answer.decision], entry_id)
    return {
        "entry": entry_id,
        "decision": answer.decision,
        "by": actor.username,
        "role": actor.role,
        "status": outcome.entry.status,
        "digest": digest,
        "run": _run_id(),
    }
