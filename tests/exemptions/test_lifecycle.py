"""The state machine: a whole lifecycle, and every refusal the issue lists (with the
message a person would read), plus the rules behind them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from archive.catalog import Catalog
from archive.exemptions import (
    Actor,
    ApprovalsMissing,
    DocumentsChanged,
    ExemptionRegister,
    InvalidEntry,
    InvalidPeriod,
    MissingLegalBasis,
    NotAllowed,
    Period,
    PublicCopy,
    RedactionSpec,
    SelfApproval,
    TransitionRefused,
    missing_approvers,
)
from tests.exemptions.conftest import (
    APPROVERS,
    ATASAN,
    DECREE_DAY,
    DOC_A,
    DOC_B,
    PEMBINA,
    PETUGAS,
    PPID,
    SYSTEM,
    TIM,
    approve,
    decreed,
    good_draft,
    submitted,
    take,
)

DECREE = {"number": "12/PP.06-Kpt/05/2024", "on": DECREE_DAY}


def test_whole_lifecycle_from_proposal_to_expiry_opens_the_documents(
    register: ExemptionRegister, docs: Catalog
):
    entry = register.propose(PPID, good_draft())
    assert entry.status == "draf"
    linked = take(register, entry.id, "link", PPID, documents=(DOC_A, DOC_B))
    # Proposed, not decided: restricted as before (belum_ditinjau), not yet exempted.
    assert linked.changed_documents == ()
    assert docs.get(DOC_A).access == "belum_ditinjau"
    assert register.standing([DOC_A, DOC_B]) == {DOC_A: "diusulkan", DOC_B: "diusulkan"}
    assert take(register, entry.id, "record_test", PPID).entry.status == "uji_konsekuensi"
    assert take(register, entry.id, "submit", PPID).entry.status == "menunggu_persetujuan"
    for actor in APPROVERS:
        assert approve(register, entry.id, actor, "setuju").entry.status == "menunggu_persetujuan"
    decree = take(register, entry.id, "set_decree", PPID, **DECREE)
    assert decree.entry.status == "ditetapkan"
    assert set(decree.changed_documents) == {DOC_A, DOC_B}
    assert docs.get(DOC_A).access == "dikecualikan"
    assert register.standing([DOC_A]) == {DOC_A: "dikecualikan"}
    assert decree.entry.expires_on == date(2029, 2, 1)  # 5 years from the decree
    published = take(register, entry.id, "publish", PPID, today=date(2024, 2, 5))
    assert published.entry.status == "dipublikasikan"
    assert published.entry.next_review == date(2024, 8, 5)  # twice a year
    assert take(register, entry.id, "start_review", SYSTEM).entry.status == "tinjauan"
    kept = take(register, entry.id, "keep", PPID, note="Masih relevan.", today=date(2024, 8, 6))
    assert kept.entry.status == "dipublikasikan"
    assert register.due_to_expire(date(2029, 1, 31)) == []
    assert [e.id for e in register.due_to_expire(date(2029, 2, 1))] == [entry.id]
    ended = take(register, entry.id, "expire", SYSTEM, today=date(2029, 2, 1))
    assert ended.entry.status == "kedaluwarsa" and ended.event.kind == "kedaluwarsa"
    assert set(ended.changed_documents) == {DOC_A, DOC_B}
    assert docs.get(DOC_A).access == "terbuka" and docs.get(DOC_B).access == "terbuka"

    kinds = [e.kind for e in register.events(entry.id)]
    assert kinds == [
        "diusulkan",
        "dokumen_ditautkan",
        "uji_konsekuensi",
        "diajukan",
        "disetujui",
        "disetujui",
        "disetujui",
        "ditetapkan",
        "dipublikasikan",
        "tinjauan_dimulai",
        "tinjauan_selesai",
        "kedaluwarsa",
    ]
    approvals = [e for e in register.events(entry.id) if e.kind == "disetujui"]
    assert {(e.username, e.role) for e in approvals} == {(a.username, a.role) for a in APPROVERS}
    assert all(e.digest == decree.entry.digest() for e in approvals)
    assert {d["sha256"] for d in approvals[0].documents} == {DOC_A * 4, DOC_B * 4}
    access_events = docs.events(document_id=DOC_A, kind="perubahan_akses")
    assert [(e.detail["before"], e.detail["after"]) for e in access_events] == [
        ("belum_ditinjau", "dikecualikan"),
        ("dikecualikan", "terbuka"),
    ]
    assert access_events[-1].detail["by"] == SYSTEM.username


def test_missing_legal_basis_is_refused_with_a_clear_message(register: ExemptionRegister):
    entry = register.propose(PPID, good_draft(legal_basis=""))
    with pytest.raises(MissingLegalBasis, match="Dasar hukum wajib diisi"):
        take(register, entry.id, "record_test", PPID)
    only_supporting = register.propose(PPID, good_draft(legal_basis="uu27-2022"))
    with pytest.raises(MissingLegalBasis, match="hanya dapat menjadi dasar pendukung"):
        take(register, only_supporting.id, "record_test", PPID)
    assert register.get(entry.id).status == "draf"


def test_permanent_period_under_pasal_17_c_is_refused(register: ExemptionRegister):
    draft = good_draft(legal_basis="uu14-2008-p17c", legal_point=None, period=Period("permanen"))
    entry = register.propose(PPID, draft)
    with pytest.raises(InvalidPeriod, match=r"Pasal 17 huruf c tidak boleh permanen \(Pasal 20"):
        take(register, entry.id, "record_test", PPID)
    # The same with no period at all; under letter h a permanent period is lawful.
    none = register.propose(PPID, good_draft(legal_basis="uu14-2008-p17c", period=None))
    with pytest.raises(InvalidPeriod, match="Jangka waktu pengecualian wajib diisi"):
        take(register, none.id, "record_test", PPID)
    letter_h = register.propose(PPID, good_draft(period=Period("permanen")))
    assert take(register, letter_h.id, "record_test", PPID).entry.status == "uji_konsekuensi"


def test_self_approval_is_refused(register: ExemptionRegister):
    entry_id = submitted(register)
    with pytest.raises(SelfApproval, match="tidak boleh menyetujui usulan Anda sendiri"):
        approve(register, entry_id, PPID)
    # Even when the proposer's role is made an approver.
    register.set_required_approvers(["ppid", "atasan"], Actor("admin1", "admin"))
    other = submitted(register)
    with pytest.raises(SelfApproval):
        approve(register, other, PPID)
    approve(register, other, Actor("ppid2", "ppid"))
    assert [e.kind for e in register.events(other)].count("disetujui") == 1


def test_rejected_approval_sends_back_and_voids_earlier_approvals(register: ExemptionRegister):
    entry_id = submitted(register)
    approve(register, entry_id, ATASAN, "setuju")
    with pytest.raises(InvalidEntry, match="alasan pengembalian"):
        take(register, entry_id, "reject", TIM, note="  ")
    back = take(register, entry_id, "reject", TIM, note="Uraikan konsekuensi lebih rinci.")
    assert back.entry.status == "draf"
    with pytest.raises(TransitionRefused, match="berstatus 'Draf'"):
        approve(register, entry_id, PEMBINA)
    fixed = good_draft(consequence="Rincian konsekuensi yang diperbaiki.")
    take(register, entry_id, "edit", PPID, draft=fixed)
    take(register, entry_id, "record_test", PPID)
    resubmitted = take(register, entry_id, "submit", PPID).entry
    assert resubmitted.round == 2
    # Atasan's approval was for round 1: all three are needed again.
    assert missing_approvers(resubmitted, register.approvals(resubmitted)) == list(
        resubmitted.required_approvers
    )
    with pytest.raises(ApprovalsMissing, match="belum disetujui oleh: Tim Pertimbangan, Atasan"):
        take(register, entry_id, "set_decree", PPID, number="1/2024", on=DECREE_DAY)


def test_no_step_can_be_skipped_or_taken_by_the_wrong_role(register: ExemptionRegister):
    entry = register.propose(PPID, good_draft())
    take(register, entry.id, "link", PPID, documents=(DOC_A,))
    with pytest.raises(TransitionRefused, match="'ajukan persetujuan' tidak dapat dilakukan"):
        take(register, entry.id, "submit", PPID)
    with pytest.raises(TransitionRefused):
        take(register, entry.id, "publish", PPID)
    take(register, entry.id, "record_test", PPID)
    take(register, entry.id, "submit", PPID)
    with pytest.raises(NotAllowed, match="Petugas PPID tidak berwenang"):
        approve(register, entry.id, PETUGAS)
    with pytest.raises(NotAllowed, match="Atasan PPID tidak berwenang"):
        take(register, entry.id, "set_decree", ATASAN, number="1/2024", on=DECREE_DAY)
    with pytest.raises(ApprovalsMissing):
        take(register, entry.id, "set_decree", PPID, number="1/2024", on=DECREE_DAY)
    approve(register, entry.id, ATASAN)
    with pytest.raises(TransitionRefused, match="sudah menyetujui"):
        approve(register, entry.id, Actor("atasan2", "atasan"))
    with pytest.raises(NotAllowed, match="usulkan pengecualian"):
        register.propose(ATASAN, good_draft())


def test_approval_is_bound_to_what_the_approver_saw(register: ExemptionRegister):
    entry_id = submitted(register)
    shown = register.get(entry_id).approval_digest()
    for actor in APPROVERS:
        take(register, entry_id, "approve", actor, digest=shown)
    take(register, entry_id, "link", PPID, documents=(DOC_B,))  # changed after the approvals
    entry = register.get(entry_id)
    assert register.approvals(entry) == {}
    with pytest.raises(ApprovalsMissing):
        take(register, entry_id, "set_decree", PPID, number="1/2024", on=DECREE_DAY)
    with pytest.raises(DocumentsChanged, match="berubah sejak Anda membukanya"):
        take(register, entry_id, "approve", TIM, digest=shown)
    for actor in APPROVERS:
        approve(register, entry_id, actor)
    done = take(register, entry_id, "set_decree", PPID, number="1/2024", on=DECREE_DAY)
    assert done.entry.status == "ditetapkan"


def test_an_approval_without_the_digest_is_refused(register: ExemptionRegister):
    entry_id = submitted(register)
    for given in ("", "0" * 64):
        with pytest.raises((InvalidEntry, DocumentsChanged)):
            take(register, entry_id, "approve", TIM, digest=given)
    assert register.approvals(register.get(entry_id)) == {}
    # The documents digest alone is not what the approver saw either (no test text in it).
    with pytest.raises(DocumentsChanged):
        take(register, entry_id, "approve", TIM, digest=register.get(entry_id).digest())


def test_events_are_append_only_and_a_refused_step_writes_nothing(
    register: ExemptionRegister, docs: Catalog
):
    entry_id = submitted(register)
    before = register.events(entry_id)
    with pytest.raises(SelfApproval):
        approve(register, entry_id, PPID)
    assert register.events(entry_id) == before
    with docs.engine.connect() as conn:
        for sql in ("UPDATE exemption_events SET note = 'x'", "DELETE FROM exemption_events"):
            with pytest.raises(DatabaseError, match="append-only"):
                conn.execute(text(sql))
            conn.rollback()
    assert register.events(entry_id) == before


def test_expiry_before_the_end_and_conditional_expiry_need_a_person(
    register: ExemptionRegister, docs: Catalog
):
    entry_id = decreed(register)
    with pytest.raises(TransitionRefused, match="belum berakhir"):
        take(register, entry_id, "expire", SYSTEM, today=date(2025, 1, 1))
    until = Period("syarat", condition="sampai ada persetujuan tertulis pemohon")
    conditional = decreed(register, good_draft(period=until))
    with pytest.raises(TransitionRefused, match="bersyarat"):
        take(register, conditional, "expire", SYSTEM)
    with pytest.raises(TransitionRefused, match="dengan catatan"):
        take(register, conditional, "expire", PPID)
    ended = take(register, conditional, "expire", PPID, note="Pemohon menyetujui secara tertulis.")
    # DOC_A is still covered by the first entry: it stays closed.
    assert ended.changed_documents == ()
    assert ended.entry.status == "kedaluwarsa"
    assert docs.get(DOC_A).access == "dikecualikan"
    revoked = take(register, entry_id, "revoke", PPID, number="20/PP.06-Kpt/05/2025",
                   on=date(2024, 2, 20))  # fmt: skip
    assert revoked.changed_documents == (DOC_A,)
    assert docs.get(DOC_A).access == "terbuka"


def test_an_ended_entry_leaves_a_document_still_proposed_elsewhere_restricted(
    register: ExemptionRegister, docs: Catalog
):
    entry_id = decreed(register)
    proposal = register.propose(PPID, good_draft(description="Usulan kedua atas formulir"))
    take(register, proposal.id, "link", PPID, documents=(DOC_A,))
    out = take(register, entry_id, "annul", PPID, number="Putusan KI 2/2024", on=date(2024, 2, 9))
    assert [(c.document_id, c.after) for c in out.access] == [(DOC_A, "belum_ditinjau")]
    assert register.standing([DOC_A]) == {DOC_A: "diusulkan"}


def test_annulment_opens_documents(register: ExemptionRegister, docs: Catalog):
    entry_id = decreed(register)
    ruling = {"number": "Putusan KI Nomor 001/I/KI-BKL-PS/2025", "on": date(2024, 2, 3)}
    out = take(register, entry_id, "annul", PPID, **ruling)
    assert out.entry.status == "dibatalkan" and docs.get(DOC_A).access == "terbuka"
    with pytest.raises(TransitionRefused):
        take(register, entry_id, "revoke", PPID, number="2/2025", on=date(2024, 3, 1))


def test_partial_exemption_needs_a_redaction_spec_and_a_public_copy(register: ExemptionRegister):
    bare = register.propose(PPID, good_draft(scope="sebagian"))
    with pytest.raises(InvalidEntry, match="rincian penyamaran"):
        take(register, bare.id, "record_test", PPID)
    spec = RedactionSpec(personal_numbers=True)
    entry_id = decreed(register, good_draft(scope="sebagian", redaction=spec))
    with pytest.raises(TransitionRefused, match=f"salinan publik tersamar untuk dokumen: {DOC_A}"):
        take(register, entry_id, "publish", PPID)
    copy = PublicCopy(DOC_A, DOC_A * 4, "f" * 64, "archive-public/x")
    take(register, entry_id, "public_copy", PPID, copy=copy)
    assert take(register, entry_id, "publish", PPID).entry.status == "dipublikasikan"


def test_texts_must_not_carry_the_exempted_numbers(register: ExemptionRegister):
    with pytest.raises(InvalidEntry, match="nomor 16 digit"):
        register.propose(PPID, good_draft(description="Formulir NIK 1709054507890003"))
    with pytest.raises(InvalidEntry, match="nomor 16 digit"):
        register.propose(PPID, good_draft(remarks="KK 1709 0512 0311 0007"))


def test_marking_a_document_open(register: ExemptionRegister, docs: Catalog):
    entry = register.propose(PPID, good_draft())
    take(register, entry.id, "link", PPID, documents=(DOC_A,))
    with pytest.raises(TransitionRefused, match=f"diusulkan dikecualikan oleh entri #{entry.id}"):
        register.mark_open(DOC_A, PPID)
    with pytest.raises(NotAllowed):
        register.mark_open(DOC_B, PETUGAS)
    assert register.mark_open(DOC_B, PPID, "Tidak memuat data pribadi.") == [DOC_B]
    assert docs.get(DOC_B).access == "terbuka"
    take(register, entry.id, "unlink", PPID, document=DOC_A)
    assert docs.get(DOC_A).access == "belum_ditinjau"
    assert register.standing([DOC_A]) == {}


def test_legal_bases_are_seeded_data_and_editable(register: ExemptionRegister):
    letters = {b.letter: b for b in register.bases.list() if b.letter}
    assert sorted(letters) == list("abcdefghij")
    assert not any(letters[x].permanent_allowed for x in "abcdef")
    assert letters["h"].cite(3) == "UU 14/2008 Pasal 17 huruf h angka 3"
    edited = letters["h"].__class__(**{**letters["h"].__dict__, "summary": "Rahasia pribadi"})
    with pytest.raises(NotAllowed, match="dasar hukum"):  # the role check is the register's
        register.bases.save(edited, ATASAN)
    register.bases.save(edited, PPID)
    assert register.bases.seed() == 0  # a re-seed never overwrites an edit
    assert register.bases.get("uu14-2008-p17h").summary == "Rahasia pribadi"
    bad = letters["c"].__class__(**{**letters["c"].__dict__, "permanent_allowed": True})
    with pytest.raises(InvalidEntry, match="tidak boleh bersifat permanen"):
        register.bases.save(bad, Actor("admin1", "admin"))


def test_required_approvers_are_configurable(register: ExemptionRegister):
    with pytest.raises(NotAllowed):
        register.set_required_approvers(["atasan"], PPID)
    register.set_required_approvers(["atasan"], Actor("admin1", "admin"))
    entry_id = submitted(register)
    approve(register, entry_id, ATASAN)
    with pytest.raises(NotAllowed):
        approve(register, entry_id, PEMBINA)
    done = take(register, entry_id, "set_decree", PPID, number="1/2024", on=DECREE_DAY)
    assert done.entry.status == "ditetapkan"


def test_one_entry_through_every_refusal_to_expiry(register: ExemptionRegister, docs: Catalog):
    """The issue's story on a single entry: each refusal leaves it where it was."""
    entry = register.propose(PPID, good_draft(legal_basis="", legal_point=None))
    take(register, entry.id, "link", PPID, documents=(DOC_A,))
    with pytest.raises(MissingLegalBasis, match="Dasar hukum wajib diisi"):
        take(register, entry.id, "record_test", PPID)
    defence = good_draft(
        legal_basis="uu14-2008-p17c", legal_point=6, other_bases=(), period=Period("permanen")
    )
    take(register, entry.id, "edit", PPID, draft=defence)
    with pytest.raises(InvalidPeriod, match="Pasal 17 huruf c tidak boleh permanen"):
        take(register, entry.id, "record_test", PPID)
    four_years = good_draft(
        legal_basis="uu14-2008-p17c", legal_point=6, other_bases=(), period=Period("durasi", 4)
    )
    take(register, entry.id, "edit", PPID, draft=four_years)
    take(register, entry.id, "record_test", PPID)
    take(register, entry.id, "submit", PPID)
    with pytest.raises(SelfApproval, match="usulan Anda sendiri"):
        approve(register, entry.id, PPID)
    approve(register, entry.id, PEMBINA)
    note = "Sebutkan sistem persandian yang dimaksud."
    assert take(register, entry.id, "reject", TIM, note=note).entry.status == "draf"
    take(register, entry.id, "record_test", PPID, note="Diperbaiki sesuai catatan Tim")
    take(register, entry.id, "submit", PPID)
    for actor in APPROVERS:
        approve(register, entry.id, actor)
    take(register, entry.id, "set_decree", PPID, number="30/PP.06-Kpt/2024", on=date(2024, 2, 28))
    take(register, entry.id, "publish", PPID, today=date(2024, 3, 1))
    assert docs.get(DOC_A).access == "dikecualikan"
    out = take(register, entry.id, "expire", SYSTEM, today=date(2028, 2, 28))
    assert out.changed_documents == (DOC_A,)
    assert docs.get(DOC_A).access == "terbuka"
    kinds = [e.kind for e in register.events(entry.id)]
    assert kinds.count("dikembalikan") == 1 and kinds.count("disetujui") == 4
    assert kinds[-1] == "kedaluwarsa"
