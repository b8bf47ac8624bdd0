"""The request register: numbering, personal data, deadlines, answers decided by the DIK
(refusal of an exempted document citing its entry), objections and their cycle."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from archive.catalog import Catalog
from archive.exemptions import ExemptionRegister
from archive.requests import (
    PUBLIC_ACTOR,
    AnswerChanged,
    InvalidRequest,
    NotAllowed,
    RequestRegister,
    StepRefused,
    sees_personal_data,
)
from tests.requests.support import (
    ADMIN,
    ATASAN,
    NIK,
    OPEN_DOC,
    PART_DOC,
    PENDING_DOC,
    PETUGAS,
    PPID,
    WHOLE_DOC,
    intake,
)

TODAY = date(2024, 3, 4)  # Monday


def test_numbers_follow_the_office_format_per_year(register: RequestRegister):
    first, code = register.intake(PETUGAS, intake(received=date(2024, 3, 4)), today=TODAY)
    second, _ = register.intake(PETUGAS, intake(received=date(2024, 3, 4)), today=TODAY)
    assert (first.number, second.number) == ("001/PPID/III/2024", "002/PPID/III/2024")
    december, _ = register.intake(
        PETUGAS, intake(received=date(2024, 12, 2)), today=date(2024, 12, 2)
    )
    assert december.number == "003/PPID/XII/2024"
    next_year, _ = register.intake(
        PETUGAS, intake(received=date(2025, 1, 2)), today=date(2025, 1, 2)
    )
    assert next_year.number == "001/PPID/I/2025"
    # The tracking code is random, not the number, and only its digest is kept.
    assert len(code.replace("-", "")) == 12 and register.by_tracking_code(code).id == first.id  # type: ignore[union-attr]
    assert register.by_tracking_code(code.lower().replace("-", " ")).id == first.id  # type: ignore[union-attr]
    assert register.by_tracking_code("AAAA-BBBB-CCCC") is None


def test_due_date_and_recorded_event(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(received=date(2024, 4, 5)), today=date(2024, 4, 16))
    assert req.due_on == date(2024, 4, 29)  # Idul Fitri week skipped (test_calendar)
    event = register.events(req.id)[0]
    assert event.kind == "diterima" and event.username == "petugas1"
    assert NIK not in str(event.to_json())  # the history never carries the identity number


def test_identity_number_is_personal_data(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(), today=TODAY)
    assert [r for r in ("petugas", "ppid", "atasan", "admin") if sees_personal_data(r)] == [
        "ppid",
        "atasan",
        "admin",
    ]
    shown = req.masked().to_json()["requester"]
    assert NIK not in str(req.masked().to_json()) and shown["identity_number"].startswith("••••")
    assert register.get(req.id).requester.identity_number == NIK


def test_intake_checks(register: RequestRegister):
    with pytest.raises(InvalidRequest, match="Nama pemohon"):
        register.intake(PETUGAS, intake(name="  "), today=TODAY)
    with pytest.raises(InvalidRequest, match="Tanggal diterima"):
        register.intake(PETUGAS, intake(received=date(2024, 3, 5)), today=TODAY)
    with pytest.raises(NotAllowed):
        register.intake(ATASAN, intake(), today=TODAY)
    with pytest.raises(NotAllowed):  # the public form files web requests and nothing else
        register.intake(PUBLIC_ACTOR, intake(channel="langsung"), today=TODAY)
    assert register.intake(PUBLIC_ACTOR, intake(channel="web"), today=TODAY)[0].channel == "web"


def test_exempted_document_is_refused_citing_its_dik_entry(register: RequestRegister):
    req, _ = register.intake(
        PETUGAS, intake(subject="Formulir data pemilih Desa Taba"), today=TODAY
    )
    with pytest.raises(InvalidRequest):  # the desk sees only open documents
        register.attach(req.id, PETUGAS, [WHOLE_DOC])
    register.attach(req.id, PPID, [WHOLE_DOC])
    plan = register.plan(req.id)
    [refused] = plan.refused
    [citation] = refused.citations
    assert plan.outcome == "ditolak" and plan.problems == []
    assert (
        citation.legal_text
        == "UU 14/2008 Pasal 17 huruf h angka 1; UU 27/2022 tentang Pelindungan Data Pribadi"
    )
    assert citation.consequence.startswith("Bila dibuka: nik dan nomor kk pemilih")
    assert citation.decree.startswith(
        f"{citation.entry_id}/PP.06-Kpt/2024, tanggal 1 Februari 2024"
    )
    with pytest.raises(NotAllowed):
        register.answer(req.id, PETUGAS, plan.digest())
    done = register.answer(
        req.id, PPID, plan.digest(), "Ditolak sesuai DIK", today=date(2024, 3, 8)
    )
    assert (done.status, done.outcome, done.answered_on) == ("dijawab", "ditolak", date(2024, 3, 8))
    answer = register.events(req.id)[-1]
    assert answer.items[0]["form"] == "ditolak" and answer.items[0]["sha256"] is None
    assert answer.items[0]["entries"] == [citation.entry_id]
    with pytest.raises(StepRefused, match="sudah dijawab"):
        register.answer(req.id, PPID, plan.digest())


def test_partly_exempted_is_given_as_its_public_copy(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(), today=TODAY)
    register.attach(req.id, PPID, [OPEN_DOC, PART_DOC])
    plan = register.plan(req.id)
    forms = {d.document_id: (d.form, d.sha256) for d in plan.dispositions}
    assert forms == {OPEN_DOC: ("asli", OPEN_DOC * 4), PART_DOC: ("salinan_tersamar", "e" * 64)}
    assert plan.outcome == "dipenuhi_sebagian"


def test_unreviewed_documents_block_the_answer(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(), today=TODAY)
    register.attach(req.id, PPID, [OPEN_DOC, PENDING_DOC])
    plan = register.plan(req.id)
    assert plan.outcome is None and "belum ditinjau" in plan.problems[0]
    with pytest.raises(StepRefused, match="Belum dapat dijawab"):
        register.answer(req.id, PPID, plan.digest())


def test_the_answer_is_bound_to_the_plan_shown(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(), today=TODAY)
    register.attach(req.id, PPID, [OPEN_DOC])
    shown = register.plan(req.id).digest()
    register.attach(req.id, PPID, [WHOLE_DOC])  # someone attaches another meanwhile
    with pytest.raises(AnswerChanged):
        register.answer(req.id, PPID, shown)


def test_not_held_needs_no_document_and_a_note(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(), today=TODAY)
    empty = register.plan(req.id)
    with pytest.raises(InvalidRequest):
        register.answer(req.id, PPID, empty.digest(), "")  # no documents: not_held required
    with pytest.raises(InvalidRequest):
        register.answer(req.id, PPID, empty.digest(), "", not_held=True)
    done = register.answer(
        req.id, PPID, empty.digest(), "Dikuasai KPU Provinsi", not_held=True, today=TODAY
    )
    assert done.outcome == "tidak_dikuasai"


def test_extension_once_before_the_deadline_across_the_year_end(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(received=date(2024, 12, 13)), today=date(2024, 12, 13))
    assert req.due_on == date(2024, 12, 31)
    with pytest.raises(NotAllowed):
        register.extend(req.id, PETUGAS, "perlu waktu", today=date(2024, 12, 20))
    with pytest.raises(InvalidRequest):
        register.extend(req.id, PPID, " ", today=date(2024, 12, 20))
    extended = register.extend(
        req.id, PPID, "Dokumen di gudang arsip kecamatan", today=date(2024, 12, 20)
    )
    assert extended.deadline == date(2025, 1, 10)
    with pytest.raises(StepRefused, match="satu kali"):
        register.extend(req.id, PPID, "lagi", today=date(2024, 12, 23))
    late, _ = register.intake(
        PETUGAS, intake(received=date(2024, 12, 13)), today=date(2024, 12, 13)
    )
    with pytest.raises(StepRefused, match="sebelum jangka waktu berakhir"):
        register.extend(late.id, PPID, "terlambat", today=date(2025, 1, 2))


def test_overdue_marking_and_due_list(register: RequestRegister):
    # Mon 4 Mar 2024: 5..8, (11 Nyepi, 12 cuti bersama), 13..15, 18..20 -> due Wed 20 Mar.
    soon, _ = register.intake(PETUGAS, intake(received=date(2024, 3, 4)), today=TODAY)
    # Thu 1 Feb: 2, 5..7, (8, 9), 12, 13, (14 Pemilu), 15, 16, 19, 20 -> due Tue 20 Feb.
    past, _ = register.intake(PETUGAS, intake(received=date(2024, 2, 1)), today=TODAY)
    assert (soon.due_on, past.due_on) == (date(2024, 3, 20), date(2024, 2, 20))
    assert [d.request.id for d in register.due(date(2024, 3, 14))] == [past.id]  # 4 days left
    # Mon 18 Mar: 19 and 20 left; 21 Feb..18 Mar is 17 working days late.
    due = register.due(date(2024, 3, 18))
    assert [(d.request.id, d.working_days_left) for d in due] == [(past.id, -17), (soon.id, 2)]
    system = type(PPID)("prefect:request-deadlines", "sistem")
    assert [r.id for r in register.mark_overdue(system, date(2024, 3, 18))] == [past.id]
    assert register.mark_overdue(system, date(2024, 3, 19)) == []  # once
    assert register.events(past.id)[-1].kind == "terlambat"


def test_keberatan_cycle(register: RequestRegister):
    req, code = register.intake(PETUGAS, intake(), today=TODAY)
    register.attach(req.id, PPID, [WHOLE_DOC])
    register.answer(req.id, PPID, register.plan(req.id).digest(), today=date(2024, 3, 8))
    assert register.public_status(code) == "dijawab"
    with pytest.raises(StepRefused, match="paling lambat"):  # 30 working days after 8 Mar
        register.file_objection(
            req.id, PETUGAS, "a", "Menolak penolakan", date(2024, 5, 6), today=date(2024, 5, 6)
        )
    filed = register.file_objection(
        req.id,
        PETUGAS,
        "a",
        "Data saya sendiri, bukan orang lain",
        date(2024, 3, 18),
        today=date(2024, 3, 18),
    )
    objection = filed.objections[0]
    # 30 working days after Mon 18 Mar 2024: 19-22, 25-28 (29 Wafat), 1-5 Apr (8-12 and 15
    # Idul Fitri), 16-19, 22-26, 29, 30 (1 May), 2, 3, 6-8 (9, 10 Kenaikan), 13 May.
    assert objection.due_on == date(2024, 5, 13) and objection.status == "diajukan"
    assert register.public_status(code) == "keberatan"
    for actor in (PPID, PETUGAS, ADMIN):  # the Atasan PPID decides, nobody else
        with pytest.raises(NotAllowed):
            register.decide_objection(objection.id, actor, "dikabulkan", "x")
    with pytest.raises(StepRefused, match="belum diputus"):
        register.file_objection(
            req.id, PETUGAS, "e", "lagi", date(2024, 3, 19), today=date(2024, 3, 19)
        )
    decided = register.decide_objection(
        objection.id, ATASAN, "ditolak", "Pengecualian sah menurut DIK", date(2024, 4, 22)
    )
    assert (
        decided.objections[0].status == "ditolak" and decided.objections[0].decided_by == "atasan1"
    )
    assert register.public_status(code) == "keberatan_diputus"
    with pytest.raises(StepRefused, match="sudah diputus"):
        register.decide_objection(objection.id, ATASAN, "dikabulkan", "ubah")
    disputed = register.record_dispute(
        objection.id, PETUGAS, "012/REG-PSI/V/2024", date(2024, 5, 2)
    )
    assert disputed.objections[0].ki_number == "012/REG-PSI/V/2024"
    kinds = [e.kind for e in register.events(req.id)]
    assert kinds[-3:] == ["keberatan_diajukan", "keberatan_ditolak", "sengketa_ki"]


def test_an_upheld_objection_reopens_the_request(
    register: RequestRegister, home: tuple[Catalog, ExemptionRegister]
):
    req, _ = register.intake(PETUGAS, intake(), today=TODAY)
    register.attach(req.id, PPID, [WHOLE_DOC])
    register.answer(req.id, PPID, register.plan(req.id).digest(), today=date(2024, 3, 8))
    with pytest.raises(StepRefused):
        register.attach(req.id, PPID, [OPEN_DOC])
    filed = register.file_objection(
        req.id, PETUGAS, "a", "keberatan", date(2024, 3, 11), today=date(2024, 3, 11)
    )
    register.decide_objection(
        filed.objections[0].id,
        ATASAN,
        "dikabulkan",
        "Berikan salinan tanpa data pribadi",
        date(2024, 3, 20),
    )
    register.detach(req.id, PPID, WHOLE_DOC)
    register.attach(req.id, PPID, [OPEN_DOC])
    again = register.answer(req.id, PPID, register.plan(req.id).digest(), today=date(2024, 3, 25))
    assert again.outcome == "dipenuhi" and again.answered_on == date(
        2024, 3, 8
    )  # first answer timed


def test_unanswered_request_objection_only_after_the_deadline(register: RequestRegister):
    req, _ = register.intake(PETUGAS, intake(), today=TODAY)  # due 20 Mar 2024
    with pytest.raises(StepRefused, match="setelah jangka waktunya"):
        register.file_objection(
            req.id, PETUGAS, "c", "tidak ditanggapi", date(2024, 3, 20), today=date(2024, 3, 20)
        )
    filed = register.file_objection(
        req.id, PETUGAS, "c", "tidak ditanggapi", date(2024, 3, 21), today=date(2024, 3, 21)
    )
    assert filed.objections[0].reason == "c"


def test_request_events_are_append_only(register: RequestRegister):
    register.intake(PETUGAS, intake(), today=TODAY)
    for verb in ("UPDATE info_request_events SET note = 'x'", "DELETE FROM info_request_events"):
        with pytest.raises(DatabaseError, match="append-only"), register.engine.begin() as conn:
            conn.execute(sa.text(verb))


def test_a_record_change_of_the_intake_is_not_silently_accepted(register: RequestRegister):
    bad = replace(intake(), formulir_sha256="not-a-sha")
    with pytest.raises(InvalidRequest, match="SHA-256"):
        register.intake(PETUGAS, bad, today=TODAY)
