"""The lifecycle as data (a transition table) and the guards each step must pass.

Everything here is pure: the register (``archive.exemptions``) calls it inside the
transaction that then writes the state change and its event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from archive.exemption_records import (
    ID_NUMBER,
    STATUS_NAMES,
    Actor,
    ApprovalsMissing,
    Draft,
    Entry,
    EntryEvent,
    InvalidEntry,
    InvalidPeriod,
    LegalBasis,
    MissingLegalBasis,
    NotAllowed,
    SelfApproval,
    TransitionRefused,
)
from archive.vocabulary import ACTOR_NAMES, SYSTEM_ROLE

MAX_TEXT = 4000
PPID = frozenset({"ppid"})
PPID_OR_SYS = frozenset({"ppid", SYSTEM_ROLE})
APPROVERS = None  # the required approvers the entry was submitted with
_OPEN = frozenset({"draf", "uji_konsekuensi", "menunggu_persetujuan"})
_WAITING = frozenset({"menunggu_persetujuan"})
_IN_FORCE = frozenset({"ditetapkan", "dipublikasikan", "tinjauan"})


@dataclass(frozen=True)
class Transition:
    label: str  # shown in refusals and in the history
    sources: frozenset[str]
    target: str | None  # None: the status stays
    roles: frozenset[str] | None  # None: the entry's required approvers
    event: str


_Row = tuple[str, Iterable[str], str | None, frozenset[str] | None]
# fmt: off
# step, from (statuses), to (None: unchanged), who (None: the required approvers)
_TABLE: tuple[_Row, ...] = (
    ("edit",         ["draf"],             None,                    PPID),
    ("link",         _OPEN | _IN_FORCE,    None,                    PPID),
    ("unlink",       _OPEN,                None,                    PPID),
    ("record_test",  ["draf"],             "uji_konsekuensi",       PPID),
    ("submit",       ["uji_konsekuensi"],  "menunggu_persetujuan",  PPID),
    ("approve",      _WAITING,             None,                    APPROVERS),
    ("reject",       _WAITING,             "draf",                  APPROVERS),
    ("set_decree",   _WAITING,             "ditetapkan",            PPID),
    ("public_copy",  _IN_FORCE,            None,                    PPID_OR_SYS),
    ("publish",      ["ditetapkan"],       "dipublikasikan",        PPID),
    ("start_review", ["dipublikasikan"],   "tinjauan",              PPID_OR_SYS),
    ("keep",         ["tinjauan"],         "dipublikasikan",        PPID),
    ("expire",       _IN_FORCE,            "kedaluwarsa",           PPID_OR_SYS),
    ("revoke",       _IN_FORCE,            "dicabut",               PPID),
    ("annul",        _IN_FORCE,            "dibatalkan",            PPID),
)
_NAMES = {  # step: (label in messages, event kind in the history)
    "edit":         ("ubah draf",                           "diubah"),
    "link":         ("tautkan dokumen",                     "dokumen_ditautkan"),
    "unlink":       ("lepaskan dokumen",                    "dokumen_dilepas"),
    "record_test":  ("catat uji konsekuensi",               "uji_konsekuensi"),
    "submit":       ("ajukan persetujuan",                  "diajukan"),
    "approve":      ("setujui",                             "disetujui"),
    "reject":       ("kembalikan untuk perbaikan",          "dikembalikan"),
    "set_decree":   ("tetapkan dengan keputusan",           "ditetapkan"),
    "public_copy":  ("buat salinan publik",                 "salinan_publik"),
    "publish":      ("publikasikan",                        "dipublikasikan"),
    "start_review": ("mulai tinjauan",                      "tinjauan_dimulai"),
    "keep":         ("selesaikan tinjauan (tetap berlaku)", "tinjauan_selesai"),
    "expire":       ("nyatakan kedaluwarsa",                "kedaluwarsa"),
    "revoke":       ("cabut",                               "dicabut"),
    "annul":        ("batalkan",                            "dibatalkan"),
}
# fmt: on
TRANSITIONS: Mapping[str, Transition] = {
    step: Transition(_NAMES[step][0], frozenset(src), to, who, _NAMES[step][1])
    for step, src, to, who in _TABLE
}


def allowed_steps(entry: Entry, role: str) -> list[str]:
    """Steps whose status and role guards this role passes now (the web shows these)."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if entry.status in t.sources and role in (t.roles or entry.required_approvers)
    ]


def check_transition(name: str, entry: Entry, actor: Actor) -> Transition:
    t = TRANSITIONS[name]
    if entry.status not in t.sources:
        allowed = ", ".join(STATUS_NAMES[s] for s in sorted(t.sources))
        raise TransitionRefused(
            f"Langkah '{t.label}' tidak dapat dilakukan: entri #{entry.id} berstatus "
            f"'{STATUS_NAMES[entry.status]}' (hanya dari: {allowed})."
        )
    if name == "approve" and actor.username == entry.proposed_by:
        # Checked before the role: whatever role the proposer holds, the answer is no.
        raise SelfApproval(
            f"Anda tidak boleh menyetujui usulan Anda sendiri (entri #{entry.id} "
            f"diusulkan oleh {entry.proposed_by})."
        )
    roles = t.roles if t.roles is not None else frozenset(entry.required_approvers)
    if actor.role not in roles:
        names = ", ".join(ACTOR_NAMES.get(r, r) for r in sorted(roles))
        raise NotAllowed(
            f"Peran {ACTOR_NAMES.get(actor.role, actor.role)} tidak berwenang untuk langkah "
            f"'{t.label}' (yang berwenang: {names})."
        )
    return t


# ------------------------------------------------------------------ the consequence test


def clean_text(value: str, what: str, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidEntry(f"{what} wajib diisi.")
    if len(text) > MAX_TEXT:
        raise InvalidEntry(f"{what} terlalu panjang (maks. {MAX_TEXT} karakter).")
    if ID_NUMBER.search(text):
        # The register's texts go on the public list: never the exempted content itself.
        raise InvalidEntry(
            f"{what} tidak boleh memuat nomor 16 digit (NIK/No. KK): uraikan jenis "
            "informasinya, jangan salin isinya."
        )
    return text


def check_basis(draft: Draft, lookup: Callable[[str], LegalBasis | None]) -> LegalBasis:
    basis = lookup(draft.legal_basis) if draft.legal_basis else None
    if basis is None or not basis.active:
        raise MissingLegalBasis(
            "Dasar hukum wajib diisi: pilih huruf Pasal 17 UU 14/2008 yang menjadi dasar "
            "pengecualian."
        )
    if not basis.letter:
        raise MissingLegalBasis(
            f"{basis.cite()} hanya dapat menjadi dasar pendukung; pilih juga huruf Pasal 17 "
            "UU 14/2008 (huruf j bila undang-undang lain melarang pengungkapannya)."
        )
    if draft.legal_point is not None and not 1 <= draft.legal_point <= len(basis.points):
        raise InvalidEntry(f"{basis.cite()} tidak memiliki angka {draft.legal_point}.")
    for code in draft.other_bases:
        other = lookup(code)
        if other is None or not other.active:
            raise MissingLegalBasis(f"Dasar hukum pendukung '{code}' tidak dikenal.")
    return basis


def check_period(draft: Draft, basis: LegalBasis) -> None:
    period = draft.period
    if period is None:
        raise InvalidPeriod(
            "Jangka waktu pengecualian wajib diisi: lama waktu (mis. 5 tahun) atau syarat "
            "berakhirnya (mis. sampai ada persetujuan tertulis yang bersangkutan)."
        )
    if period.kind == "permanen" and not basis.permanent_allowed:
        raise InvalidPeriod(
            f"Pengecualian berdasarkan {basis.article} tidak boleh permanen (Pasal 20 ayat (1) "
            "UU 14/2008): isi lama waktu (mis. 5 tahun) atau syarat berakhirnya."
        )
    if period.kind == "durasi" and not 0 < period.years * 12 + period.months <= 100 * 12:
        raise InvalidPeriod("Lama waktu pengecualian harus antara 1 bulan dan 100 tahun.")
    if period.kind == "syarat":
        clean_text(period.condition, "Syarat berakhirnya pengecualian")


def check_test(draft: Draft, lookup: Callable[[str], LegalBasis | None]) -> LegalBasis:
    """Everything the consequence test must hold (Pasal 19 UU 14/2008) before it counts."""
    clean_text(draft.description, "Uraian informasi yang dikecualikan")
    basis = check_basis(draft, lookup)
    clean_text(draft.consequence, "Konsekuensi bila dibuka")
    clean_text(draft.consideration, "Pertimbangan bila ditutup")
    if draft.scope not in ("seluruh", "sebagian"):
        raise InvalidEntry("Cakupan harus 'seluruh' atau 'sebagian'.")
    if draft.scope == "sebagian" and draft.redaction.is_empty():
        raise InvalidEntry(
            "Pengecualian sebagian memerlukan rincian penyamaran: NIK/No. KK, nomor tertentu, "
            "atau area halaman yang dihitamkan pada salinan publik."
        )
    check_period(draft, basis)
    return basis


# ------------------------------------------------------------------ approvals


def valid_approvals(entry: Entry, events: Sequence[EntryEvent]) -> dict[str, EntryEvent]:
    """Approvals that still count: this round, and the same documents as now."""
    digest = entry.digest()
    found: dict[str, EntryEvent] = {}
    for ev in events:
        if (
            ev.kind == "disetujui"
            and ev.detail.get("round") == entry.round
            and ev.digest == digest
            and ev.role in entry.required_approvers
        ):
            found.setdefault(ev.role, ev)
    return found


def missing_approvers(entry: Entry, events: Sequence[EntryEvent]) -> list[str]:
    have = valid_approvals(entry, events)
    return [role for role in entry.required_approvers if role not in have]


def check_all_approved(entry: Entry, events: Sequence[EntryEvent]) -> None:
    missing = missing_approvers(entry, events)
    if missing:
        names = ", ".join(ACTOR_NAMES.get(r, r) for r in missing)
        raise ApprovalsMissing(
            f"Entri #{entry.id} belum disetujui oleh: {names}. Persetujuan yang diberikan "
            "sebelum dokumen terkait berubah tidak dihitung."
        )
