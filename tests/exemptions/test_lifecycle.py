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
    decreed,
    good_draft,
    submitted,
)


def test_whole_lifecycle_from_proposal_to_expiry_opens_the_documents(
    register: ExemptionRegister, docs: Catalog
):
    entry = register.propose(PPID, good_draft())
    assert entry.status == "draf"
    linked = register.link_documents(entry.id, PPID, [DOC_A, DOC_B])
    assert set(linked.changed_documents) == {DOC_A, DOC_B}
    assert docs.get(DOC_A).access == "dikecualikan"
    assert register.record_test(entry.id, PPID).entry.status == "uji_konsekuensi"
    assert register.submit(entry.id, PPID).entry.status == "menunggu_persetujuan"
    for actor in APPROVERS:
        assert register.approve(entry.id, actor, "setuju").entry.status == "menunggu_persetujuan"
    decree = register.set_decree(entry.id, PPID, "12/PP.06-Kpt/05/2024", DECREE_DAY)
    assert decree.entry.status == "ditetapkan"
    assert decree.entry.expires_on == date(2029, 2, 1)  # 5 years from the decree
    published = register.publish(entry.id, PPID, today=date(2024, 2, 5))
    assert published.entry.status == "dipublikasikan"
    assert published.entry.next_review == date(2024, 8, 5)  # twice a year
    assert register.start_review(entry.id, SYSTEM).entry.status == "tinjauan"
    kept = register.keep(entry.id, PPID, "Masih relevan.", today=date(2024, 8, 6))
    assert kept.entry.status == "dipublikasikan"
    assert register.due_to_expire(date(2029, 1, 31)) == []
    assert [e.id for e in register.due_to_expire(date(2029, 2, 1))] == [entry.id]
    ended = register.expire(entry.id, SYSTEM, today=date(2029, 2, 1))
    assert ended.entry.status == "kedaluwarsa"
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
    assert all(e.digest == entry.__class__.digest(decree.entry) for e in approvals)
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
        register.record_test(entry.id, PPID)
    only_supporting = register.propose(PPID, good_draft(legal_basis="uu27-2022"))
    with pytest.raises(MissingLegalBasis, match="hanya dapat menjadi dasar pendukung"):
        register.record_test(only_supporting.id, PPID)
    assert register.get(entry.id).status == "draf"


def test_permanent_period_under_pasal_17_c_is_refused(register: ExemptionRegister):
    draft = good_draft(legal_basis="uu14-2008-p17c", legal_point=None, period=Period("permanen"))
    entry = register.propose(PPID, draft)
    with pytest.raises(InvalidPeriod, match=r"Pasal 17 huruf c tidak boleh permanen \(Pasal 20"):
        register.record_test(entry.id, PPID)
    # The same with no period at all; under letter h a permanent period is lawful.
    none = register.propose(PPID, good_draft(legal_basis="uu14-2008-p17c", period=None))
    with pytest.raises(InvalidPeriod, match="Jangka waktu pengecualian wajib diisi"):
        register.record_test(none.id, PPID)
    letter_h = register.propose(PPID, good_draft(period=Period("permanen")))
    assert register.record_test(letter_h.id, PPID).entry.status == "uji_konsekuensi"


def test_self_approval_is_refused(register: ExemptionRegister):
    entry_id = submitted(register)
    with pytest.raises(SelfApproval, match="tidak boleh menyetujui usulan Anda sendiri"):
        register.approve(entry_id, PPID)
    # Even when the proposer's role is made an approver.
    register.set_required_approvers(["ppid", "atasan"], Actor("admin1", "admin"))
    other = submitted(register)
    with pytest.raises(SelfApproval):
        register.approve(other, PPID)
    register.approve(other, Actor("ppid2", "ppid"))
    assert [e.kind for e in register.events(other)].count("disetujui") == 1


def test_rejected_approval_sends_back_and_voids_earlier_approvals(register: ExemptionRegister):
    entry_id = submitted(register)
    register.approve(entry_id, ATASAN, "setuju")
    with pytest.raises(InvalidEntry, match="alasan pengembalian"):
        register.reject(entry_id, TIM, "  ")
    back = register.reject(entry_id, TIM, "Uraikan konsekuensi lebih rinci.")
    assert back.entry.status == "draf"
    with pytest.raises(TransitionRefused, match="berstatus 'Draf'"):
        register.approve(entry_id, PEMBINA)
    register.edit(entry_id, PPID, good_draft(consequence="Rincian konsekuensi yang diperbaiki."))
    register.record_test(entry_id, PPID)
    resubmitted = register.submit(entry_id, PPID).entry
    assert resubmitted.round == 2
    # Atasan's approval was for round 1: all three are needed again.
    assert missing_approvers(resubmitted, register.events(entry_id)) == list(
        resubmitted.required_approvers
    )
    with pytest.raises(ApprovalsMissing, match="belum disetujui oleh: Tim Pertimbangan, Atasan"):
        register.set_decree(entry_id, PPID, "1/2024", DECREE_DAY)


def test_no_step_can_be_skipped_or_taken_by_the_wrong_role(register: ExemptionRegister):
    entry = register.propose(PPID, good_draft())
    register.link_documents(entry.id, PPID, [DOC_A])
    with pytest.raises(TransitionRefused, match="'ajukan persetujuan' tidak dapat dilakukan"):
        register.submit(entry.id, PPID)
    with pytest.raises(TransitionRefused):
        register.publish(entry.id, PPID)
    register.record_test(entry.id, PPID)
    register.submit(entry.id, PPID)
    with pytest.raises(NotAllowed, match="Petugas PPID tidak berwenang"):
        register.approve(entry.id, PETUGAS)
    with pytest.raises(NotAllowed, match="Atasan PPID tidak berwenang"):
        register.set_decree(entry.id, ATASAN, "1/2024", DECREE_DAY)
    with pytest.raises(ApprovalsMissing):
        register.set_decree(entry.id, PPID, "1/2024", DECREE_DAY)
    register.approve(entry.id, ATASAN)
    with pytest.raises(TransitionRefused, match="sudah menyetujui"):
        register.approve(entry.id, Actor("atasan2", "atasan"))
    with pytest.raises(NotAllowed, match="mengusulkan"):
        register.propose(ATASAN, good_draft())


def test_approval_is_bound_to_the_documents_it_covered(register: ExemptionRegister):
    entry_id = submitted(register)
    shown = register.get(entry_id).digest()
    for actor in APPROVERS:
        register.approve(entry_id, actor, expected_digest=shown if actor is TIM else None)
    register.link_documents(entry_id, PPID, [DOC_B])  # the set changed after the approvals
    entry = register.get(entry_id)
    assert register.approvals(entry) == {}
    with pytest.raises(ApprovalsMissing):
        register.set_decree(entry_id, PPID, "1/2024", DECREE_DAY)
    with pytest.raises(DocumentsChanged, match="berubah sejak Anda membukanya"):
        register.approve(entry_id, TIM, expected_digest=shown)
    for actor in APPROVERS:
        register.approve(entry_id, actor, expected_digest=entry.digest())
    assert register.set_decree(entry_id, PPID, "1/2024", DECREE_DAY).entry.status == "ditetapkan"


def test_events_are_append_only_and_a_refused_step_writes_nothing(
    register: ExemptionRegister, docs: Catalog
):
    entry_id = submitted(register)
    before = register.events(entry_id)
    with pytest.raises(SelfApproval):
        register.approve(entry_id, PPID)
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
        register.expire(entry_id, SYSTEM, today=date(2025, 1, 1))
    until = Period("syarat", condition="sampai ada persetujuan tertulis pemohon")
    conditional = decreed(register, good_draft(period=until))
    with pytest.raises(TransitionRefused, match="bersyarat"):
        register.expire(conditional, SYSTEM)
    ended = register.expire(conditional, PPID, "Pemohon menyetujui secara tertulis.")
    # DOC_A is still covered by the first entry: it stays closed.
    assert ended.changed_documents == ()
    assert ended.entry.status == "kedaluwarsa"
    assert docs.get(DOC_A).access == "dikecualikan"
    revoked = register.revoke(entry_id, PPID, "20/PP.06-Kpt/05/2025", date(2025, 3, 1))
    assert revoked.changed_documents == (DOC_A,)
    assert docs.get(DOC_A).access == "terbuka"


def test_annulment_opens_documents(register: ExemptionRegister, docs: Catalog):
    entry_id = decreed(register)
    out = register.annul(entry_id, PPID, "Putusan KI Nomor 001/I/KI-BKL-PS/2025", date(2025, 2, 3))
    assert out.entry.status == "dibatalkan" and docs.get(DOC_A).access == "terbuka"
    with pytest.raises(TransitionRefused):
        register.revoke(entry_id, PPID, "2/2025", date(2025, 3, 1))


def test_partial_exemption_needs_a_redaction_spec_and_a_public_copy(register: ExemptionRegister):
    bare = register.propose(PPID, good_draft(scope="sebagian"))
    with pytest.raises(InvalidEntry, match="rincian penyamaran"):
        register.record_test(bare.id, PPID)
    spec = RedactionSpec(personal_numbers=True)
    entry_id = decreed(register, good_draft(scope="sebagian", redaction=spec))
    with pytest.raises(TransitionRefused, match=f"salinan publik tersamar untuk dokumen: {DOC_A}"):
        register.publish(entry_id, PPID)
    register.record_public_copy(entry_id, PPID, DOC_A, DOC_A * 4, "f" * 64, "archive-public/x")
    assert register.publish(entry_id, PPID).entry.status == "dipublikasikan"


def test_texts_must_not_carry_the_exempted_numbers(register: ExemptionRegister):
    with pytest.raises(InvalidEntry, match="nomor 16 digit"):
        register.propose(PPID, good_draft(description="Formulir NIK 1709054507890003"))
    with pytest.raises(InvalidEntry, match="nomor 16 digit"):
        register.propose(PPID, good_draft(remarks="KK 1709 0512 0311 0007"))


def test_marking_a_document_open(register: ExemptionRegister, docs: Catalog):
    entry = register.propose(PPID, good_draft())
    register.link_documents(entry.id, PPID, [DOC_A])
    with pytest.raises(TransitionRefused, match=f"dikecualikan oleh entri #{entry.id}"):
        register.mark_open(DOC_A, PPID)
    with pytest.raises(NotAllowed):
        register.mark_open(DOC_B, PETUGAS)
    assert register.mark_open(DOC_B, PPID, "Tidak memuat data pribadi.") == [DOC_B]
    assert docs.get(DOC_B).access == "terbuka"
    register.unlink_document(entry.id, PPID, DOC_A)
    assert docs.get(DOC_A).access == "belum_ditinjau"


def test_legal_bases_are_seeded_data_and_editable(register: ExemptionRegister):
    letters = {b.letter: b for b in register.bases.list() if b.letter}
    assert sorted(letters) == list("abcdefghij")
    assert not any(letters[x].permanent_allowed for x in "abcdef")
    assert letters["h"].cite(3) == "UU 14/2008 Pasal 17 huruf h angka 3"
    edited = letters["h"].__class__(**{**letters["h"].__dict__, "summary": "Rahasia pribadi"})
    register.bases.save(edited, "ppid1")
    assert register.bases.seed() == 0  # a re-seed never overwrites an edit
    assert register.bases.get("uu14-2008-p17h").summary == "Rahasia pribadi"
    bad = letters["c"].__class__(**{**letters["c"].__dict__, "permanent_allowed": True})
    with pytest.raises(InvalidEntry, match="tidak boleh bersifat permanen"):
        register.bases.save(bad, "ppid1")


def test_required_approvers_are_configurable(register: ExemptionRegister):
    with pytest.raises(NotAllowed):
        register.set_required_approvers(["atasan"], PPID)
    register.set_required_approvers(["atasan"], Actor("admin1", "admin"))
    entry_id = submitted(register)
    register.approve(entry_id, ATASAN)
    with pytest.raises(NotAllowed):
        register.approve(entry_id, PEMBINA)
    assert register.set_decree(entry_id, PPID, "1/2024", DECREE_DAY).entry.status == "ditetapkan"


def test_one_entry_through_every_refusal_to_expiry(register: ExemptionRegister, docs: Catalog):
    """The issue's story on a single entry: each refusal leaves it where it was."""
    entry = register.propose(PPID, good_draft(legal_basis="", legal_point=None))
    register.link_documents(entry.id, PPID, [DOC_A])
    with pytest.raises(MissingLegalBasis, match="Dasar hukum wajib diisi"):
        register.record_test(entry.id, PPID)
    defence = good_draft(
        legal_basis="uu14-2008-p17c", legal_point=6, other_bases=(), period=Period("permanen")
    )
    register.edit(entry.id, PPID, defence)
    with pytest.raises(InvalidPeriod, match="Pasal 17 huruf c tidak boleh permanen"):
        register.record_test(entry.id, PPID)
    register.edit(
        entry.id,
        PPID,
        good_draft(
            legal_basis="uu14-2008-p17c", legal_point=6, other_bases=(), period=Period("durasi", 4)
        ),
    )
    register.record_test(entry.id, PPID)
    register.submit(entry.id, PPID)
    with pytest.raises(SelfApproval, match="usulan Anda sendiri"):
        register.approve(entry.id, PPID)
    register.approve(entry.id, PEMBINA)
    assert (
        register.reject(entry.id, TIM, "Sebutkan sistem persandian yang dimaksud.").entry.status
        == "draf"
    )
    register.record_test(entry.id, PPID, "Diperbaiki sesuai catatan Tim Pertimbangan")
    register.submit(entry.id, PPID)
    for actor in APPROVERS:
        register.approve(entry.id, actor)
    register.set_decree(entry.id, PPID, "30/PP.06-Kpt/2024", date(2024, 6, 1))
    register.publish(entry.id, PPID, today=date(2024, 6, 2))
    assert docs.get(DOC_A).access == "dikecualikan"
    assert register.expire(entry.id, SYSTEM, today=date(2028, 6, 1)).changed_documents == (DOC_A,)
    assert docs.get(DOC_A).access == "terbuka"
    kinds = [e.kind for e in register.events(entry.id)]
    assert kinds.count("dikembalikan") == 1 and kinds.count("disetujui") == 4
    assert kinds[-1] == "kedaluwarsa"
