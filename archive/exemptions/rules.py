"""What an entry's content must hold (the consequence test, Pasal 19 UU 14/2008) and which
approvals still count. Pure functions: the steps call them inside their transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from archive.exemptions.errors import (
    InvalidEntry,
    InvalidPeriod,
    MissingLegalBasis,
    TransitionRefused,
)
from archive.exemptions.records import ID_NUMBER, Draft, Entry, EntryEvent, LegalBasis, Period
from archive.vocabulary import tanggal

MAX_TEXT = 4000
Lookup = Callable[[str], LegalBasis | None]


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


def check_texts(draft: Draft) -> None:
    """What a draft must hold at any time (it may be incomplete until the test)."""
    clean_text(draft.description, "Uraian informasi yang dikecualikan")
    optional = (
        (draft.consequence, "Konsekuensi bila dibuka"),
        (draft.consideration, "Pertimbangan bila ditutup"),
        (draft.remarks, "Keterangan"),
    )
    for value, what in optional:
        clean_text(value, what, required=False)
    if draft.scope not in ("seluruh", "sebagian"):
        raise InvalidEntry("Cakupan harus 'seluruh' atau 'sebagian'.")
    for r in draft.redaction.regions:
        inside = 0 <= r.left < 1 and 0 <= r.top < 1
        if r.page < 1 or not inside or not (0 < r.width <= 1 - r.left + 1e-9):
            raise InvalidEntry("Area penyamaran harus berada di dalam halaman.")
        if not 0 < r.height <= 1 - r.top + 1e-9:
            raise InvalidEntry("Area penyamaran harus berada di dalam halaman.")


def check_basis(draft: Draft, lookup: Lookup) -> LegalBasis:
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


def check_period(draft: Draft, basis: LegalBasis) -> Period:
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
    return period


def check_test(draft: Draft, lookup: Lookup) -> LegalBasis:
    """Everything the consequence test must hold (Pasal 19 UU 14/2008) before it counts."""
    check_texts(draft)
    basis = check_basis(draft, lookup)
    clean_text(draft.consequence, "Konsekuensi bila dibuka")
    clean_text(draft.consideration, "Pertimbangan bila ditutup")
    if draft.scope == "sebagian" and draft.redaction.is_empty():
        raise InvalidEntry(
            "Pengecualian sebagian memerlukan rincian penyamaran: NIK/No. KK, nomor tertentu, "
            "atau area halaman yang dihitamkan pada salinan publik."
        )
    check_period(draft, basis)
    return basis


def check_not_over(ends: date | None, today: date, what: str) -> None:
    """A period that has already ended cannot be decreed or published: the information is
    open again (the PPID declares it ended instead)."""
    if ends is not None and ends <= today:
        raise TransitionRefused(
            f"Jangka waktu pengecualian sudah berakhir pada {tanggal(ends)}: {what} tidak "
            "dapat dilakukan. Informasinya terbuka kembali (Pasal 20 UU 14/2008)."
        )


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


def missing_approvers(entry: Entry, approvals: Mapping[str, EntryEvent]) -> list[str]:
    return [role for role in entry.required_approvers if role not in approvals]
