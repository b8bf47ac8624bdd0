"""The lifecycle as one table: every step's states, roles, label, button, event and what
it changes are defined here once. The register enforces it, the web app draws its
buttons from it (only what the viewer may do now), the history names events from it.

    draf -> uji_konsekuensi -> menunggu_persetujuan (-> every approval in) -> ditetapkan
         -> dipublikasikan <-> tinjauan -> kedaluwarsa | dicabut | dibatalkan
    draf | uji_konsekuensi -> ditarik (withdrawn)

A step is possible when the entry is in one of its source states, the actor holds one of
its roles and its readiness guard passes (all approvals in, the period over, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from archive.exemptions import steps
from archive.exemptions.errors import (
    ApprovalsMissing,
    ExemptionError,
    InvalidEntry,
    NotAllowed,
    SelfApproval,
    TransitionRefused,
)
from archive.exemptions.records import IN_FORCE, PROPOSED, STATUS_NAMES, Actor, Entry, EntryEvent
from archive.exemptions.rules import missing_approvers
from archive.vocabulary import ACTOR_NAMES, SYSTEM_ROLE, tanggal

PPID = frozenset({"ppid"})
PPID_OR_SYS = frozenset({"ppid", SYSTEM_ROLE})
APPROVERS = None  # the required approvers the entry was submitted with
# A derived stage, not a stored status: every required approval of this round is in.
APPROVED = "disetujui"
STAGE_NAMES: Mapping[str, str] = {**STATUS_NAMES, APPROVED: "Disetujui, menunggu penetapan"}


@dataclass(frozen=True)
class Situation:
    """An entry as the guards see it: its approvals that still count, and today."""

    entry: Entry
    approvals: Mapping[str, EntryEvent]
    today: date


Ready = Callable[[Situation, Actor], ExemptionError | None]


@dataclass(frozen=True)
class Step:
    name: str
    label: str  # in refusals: "Langkah 'setujui' tidak dapat dilakukan ..."
    button: str  # what the person clicks
    event: str  # the event kind in the history
    event_name: str  # how the history names that event
    sources: frozenset[str]  # states it is taken from (empty: it creates the entry)
    target: str | None  # None: the status stays
    roles: frozenset[str] | None  # None: the entry's required approvers
    inputs: frozenset[str] = frozenset()  # note, note!, decree, ruling, digest, document(s)
    irreversible: str = ""  # what cannot be undone; "" = reversible, no confirmation
    ready: Ready | None = None
    apply: Callable[[steps.StepTx], steps.Effect] | None = None


def _approver_unused(sit: Situation, actor: Actor) -> ExemptionError | None:
    if actor.username == sit.entry.proposed_by:
        # Whatever role the proposer holds, the answer is no.
        return SelfApproval(
            f"Anda tidak boleh menyetujui usulan Anda sendiri (entri #{sit.entry.id} "
            f"diusulkan oleh {sit.entry.proposed_by})."
        )
    if actor.role in sit.approvals:
        who = ACTOR_NAMES.get(actor.role, actor.role)
        return TransitionRefused(f"{who} sudah menyetujui entri #{sit.entry.id}.")
    return None


def _all_approved(sit: Situation, _actor: Actor) -> ExemptionError | None:
    missing = missing_approvers(sit.entry, sit.approvals)
    if not missing:
        return None
    names = ", ".join(ACTOR_NAMES.get(r, r) for r in missing)
    return ApprovalsMissing(
        f"Entri #{sit.entry.id} belum disetujui oleh: {names}. Persetujuan yang diberikan "
        "sebelum dokumen terkait berubah tidak dihitung."
    )


def _has_documents(sit: Situation, _actor: Actor) -> ExemptionError | None:
    if sit.entry.documents:
        return None
    return InvalidEntry(f"Tautkan dahulu dokumen yang dikecualikan pada entri #{sit.entry.id}.")


def _partial(sit: Situation, _actor: Actor) -> ExemptionError | None:
    if sit.entry.draft.scope == "sebagian":
        return None
    return InvalidEntry("Salinan publik tersamar hanya untuk pengecualian sebagian.")


def _publishable(sit: Situation, actor: Actor) -> ExemptionError | None:
    if (missing := _has_documents(sit, actor)) is not None:
        return missing
    lacking = [d.document_id for d in sit.entry.documents if not d.has_current_copy]
    if sit.entry.draft.scope == "sebagian" and lacking:
        return TransitionRefused(
            f"Buat dahulu salinan publik tersamar untuk dokumen: {', '.join(lacking)}."
        )
    return None


def _period_over(sit: Situation, actor: Actor) -> ExemptionError | None:
    """A duration ends on its date (a scheduled flow may say so); a condition is declared
    met by the PPID, with a note saying how."""
    period, ends = sit.entry.draft.period, sit.entry.expires_on
    if period is not None and period.kind == "durasi":
        if ends is not None and ends <= sit.today:
            return None
        return TransitionRefused(
            f"Jangka waktu entri #{sit.entry.id} belum berakhir (berakhir {tanggal(ends)}); "
            "untuk mengakhirinya lebih awal gunakan pencabutan dengan keputusan baru."
        )
    if actor.role != "ppid":
        return TransitionRefused(
            "Pengecualian bersyarat hanya dapat dinyatakan berakhir oleh PPID, dengan "
            "catatan bahwa syaratnya telah terpenuhi."
        )
    return None


_OPENS = "Dokumennya menjadi terbuka untuk umum; entri ini tidak dapat diaktifkan lagi."
_DECREE = frozenset({"decree", "note"})
# fmt: off
_STEPS = (
    Step("propose", "usulkan pengecualian", "Usulkan pengecualian", "diusulkan", "Diusulkan",
         frozenset(), "draf", PPID),
    Step("edit", "ubah draf", "Ubah draf", "diubah", "Draf diubah",
         frozenset({"draf"}), None, PPID, apply=steps.edit),
    Step("link", "tautkan dokumen", "Tautkan dokumen", "dokumen_ditautkan", "Dokumen ditautkan",
         PROPOSED | IN_FORCE, None, PPID, frozenset({"documents"}), apply=steps.link),
    Step("unlink", "lepaskan dokumen", "Lepaskan", "dokumen_dilepas", "Dokumen dilepas",
         PROPOSED, None, PPID, frozenset({"document"}), apply=steps.unlink),
    Step("record_test", "catat uji konsekuensi", "Catat uji konsekuensi", "uji_konsekuensi",
         "Uji konsekuensi dicatat", frozenset({"draf"}), "uji_konsekuensi", PPID,
         frozenset({"note"}), apply=steps.record_test),
    Step("submit", "ajukan persetujuan", "Ajukan untuk persetujuan", "diajukan",
         "Diajukan untuk persetujuan", frozenset({"uji_konsekuensi"}), "menunggu_persetujuan",
         PPID, frozenset({"note"}), ready=_has_documents, apply=steps.submit),
    Step("approve", "setujui", "Setujui", "disetujui", "Disetujui",
         frozenset({"menunggu_persetujuan"}), None, APPROVERS, frozenset({"digest", "note"}),
         "Persetujuan Anda tercatat atas uji konsekuensi dan dokumen yang ditampilkan, dan "
         "tidak dapat ditarik.", _approver_unused, steps.approve),
    Step("reject", "kembalikan untuk perbaikan", "Kembalikan untuk perbaikan", "dikembalikan",
         "Dikembalikan untuk perbaikan", frozenset({"menunggu_persetujuan"}), "draf", APPROVERS,
         frozenset({"note!"}), ready=_approver_unused, apply=steps.reject),
    Step("set_decree", "tetapkan dengan keputusan", "Tetapkan dengan keputusan", "ditetapkan",
         "Ditetapkan dengan keputusan", frozenset({"menunggu_persetujuan"}), "ditetapkan", PPID,
         _DECREE, "Dokumennya menjadi dikecualikan berdasarkan keputusan ini; penetapan "
         "hanya dapat diakhiri dengan pencabutan atau putusan.", _all_approved,
         steps.set_decree),
    Step("public_copy", "buat salinan publik", "Buat salinan tersamar", "salinan_publik",
         "Salinan publik tersamar dibuat", IN_FORCE, None, PPID_OR_SYS,
         frozenset({"document"}), ready=_partial, apply=steps.public_copy),
    Step("publish", "publikasikan", "Publikasikan di DIK", "dipublikasikan",
         "Dipublikasikan di DIK", frozenset({"ditetapkan"}), "dipublikasikan", PPID,
         irreversible="Entri ini tampil di Daftar Informasi yang Dikecualikan untuk umum.",
         ready=_publishable, apply=steps.publish),
    Step("start_review", "mulai tinjauan", "Mulai tinjauan", "tinjauan_dimulai",
         "Tinjauan dimulai", frozenset({"dipublikasikan"}), "tinjauan", PPID_OR_SYS,
         frozenset({"note"}), apply=steps.start_review),
    Step("keep", "selesaikan tinjauan (tetap berlaku)", "Selesaikan tinjauan (tetap berlaku)",
         "tinjauan_selesai", "Tinjauan selesai, tetap berlaku", frozenset({"tinjauan"}),
         "dipublikasikan", PPID, frozenset({"note!"}), apply=steps.keep),
    Step("expire", "nyatakan kedaluwarsa", "Nyatakan kedaluwarsa", "kedaluwarsa",
         "Kedaluwarsa, dokumen dibuka", IN_FORCE, "kedaluwarsa", PPID_OR_SYS,
         frozenset({"note"}), _OPENS, _period_over, steps.expire),
    Step("revoke", "cabut", "Cabut dengan keputusan baru", "dicabut", "Dicabut, dokumen dibuka",
         IN_FORCE, "dicabut", PPID, _DECREE, _OPENS, apply=steps.revoke),
    Step("annul", "batalkan", "Batalkan (putusan KI/pengadilan)", "dibatalkan",
         "Dibatalkan, dokumen dibuka", IN_FORCE, "dibatalkan", PPID,
         frozenset({"ruling", "note"}), _OPENS, apply=steps.annul),
    Step("withdraw", "tarik usulan", "Tarik usulan", "ditarik", "Usulan ditarik",
         frozenset({"draf", "uji_konsekuensi"}), "ditarik", PPID, frozenset({"note!"}),
         "Usulan ini berhenti dan tetap tercatat sebagai riwayat; dokumennya tetap tertutup "
         "sampai PPID memutuskannya.", apply=steps.withdraw),
)
# fmt: on
STEPS: Mapping[str, Step] = {s.name: s for s in _STEPS}
EVENT_NAMES: Mapping[str, str] = {s.event: s.event_name for s in _STEPS}


def _state_refusal(step: Step, entry: Entry) -> ExemptionError | None:
    if entry.status in step.sources:
        return None
    allowed = ", ".join(STATUS_NAMES[s] for s in sorted(step.sources))
    return TransitionRefused(
        f"Langkah '{step.label}' tidak dapat dilakukan: entri #{entry.id} berstatus "
        f"'{STATUS_NAMES[entry.status]}' (hanya dari: {allowed})."
    )


def may_act(step: Step, actor: Actor, approvers: tuple[str, ...] = ()) -> bool:
    return actor.role in (step.roles if step.roles is not None else approvers)


def role_refusal(step: Step, actor: Actor, approvers: tuple[str, ...] = ()) -> NotAllowed | None:
    if may_act(step, actor, approvers):
        return None
    roles = step.roles if step.roles is not None else frozenset(approvers)
    names = ", ".join(ACTOR_NAMES.get(r, r) for r in sorted(roles)) or "-"
    return NotAllowed(
        f"Peran {ACTOR_NAMES.get(actor.role, actor.role)} tidak berwenang untuk langkah "
        f"'{step.label}' (yang berwenang: {names})."
    )


def refusal(step: Step, sit: Situation, actor: Actor) -> ExemptionError | None:
    """Why ``actor`` may not take ``step`` now, or None. Order: state, self-approval
    (before the role: the proposer is refused whatever role they hold), role, readiness."""
    if (state := _state_refusal(step, sit.entry)) is not None:
        return state
    if step.ready is _approver_unused and actor.username == sit.entry.proposed_by:
        return _approver_unused(sit, actor)
    if (role := role_refusal(step, actor, sit.entry.required_approvers)) is not None:
        return role
    return step.ready(sit, actor) if step.ready is not None else None


def check(name: str, sit: Situation, actor: Actor) -> Step:
    step = STEPS[name]
    if (refused := refusal(step, sit, actor)) is not None:
        raise refused
    return step


def available(sit: Situation, actor: Actor) -> list[Step]:
    """The steps ``actor`` may take on the entry now: the buttons to show."""
    return [s for s in _STEPS if s.sources and refusal(s, sit, actor) is None]


def waiting(sit: Situation, actor: Actor) -> list[tuple[Step, str]]:
    """Steps of the viewer's role from this state that are not possible yet, and why."""
    found = []
    for s in _STEPS:
        if _state_refusal(s, sit.entry) or role_refusal(s, actor, sit.entry.required_approvers):
            continue
        if (why := refusal(s, sit, actor)) is not None:
            found.append((s, str(why)))
    return found


def stage(sit: Situation) -> str:
    """The entry's status, or ``disetujui`` once every required approval is in."""
    entry = sit.entry
    if entry.status == "menunggu_persetujuan" and not missing_approvers(entry, sit.approvals):
        return APPROVED
    return entry.status
