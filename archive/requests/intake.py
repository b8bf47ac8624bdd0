"""Intake checks, the office's register number and the tracking code of a request."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date

from archive.records import Actor
from archive.requests.records import (
    CHANNEL_NAMES,
    PUBLIC_ACTOR,
    Intake,
    InvalidRequest,
    NotAllowed,
    Requester,
)
from archive.vocabulary import CAN_RECORD_REQUESTS

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Unambiguous letters and digits (no 0/O, 1/I/L): a code read over the phone survives.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_CHARS = 12  # 31**12 ~ 2**59 possibilities: not guessable at a rate-limited form
SHA256 = re.compile(r"[0-9a-f]{64}")
LIMITS = {"name": 200, "contact": 500, "identity": 64, "subject": 4000, "purpose": 2000}
BACKDATE_DAYS = 90  # a letter found late still counts from its receipt, a typo does not


def request_number(seq: int, received: date) -> str:
    """``007/PPID/III/2025``: the office's register number."""
    return f"{seq:03d}/PPID/{ROMAN[received.month - 1]}/{received.year}"


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_CHARS, 4))


def tracking_digest(code: str) -> str:
    """Only the digest is stored: a copied database does not give away the codes."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"arsip-permohonan:{normal}".encode()).hexdigest()


def _text(value: str, label: str, limit: int, required: bool = True) -> str:
    cleaned = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not cleaned:
        raise InvalidRequest(f"{label} wajib diisi.")
    if len(cleaned) > limit:
        raise InvalidRequest(f"{label} terlalu panjang (maks. {limit} karakter).")
    return cleaned


def check_intake(intake: Intake, actor: Actor, today: date) -> Intake:
    if actor == PUBLIC_ACTOR:
        if intake.channel != "web":
            raise NotAllowed("Formulir web hanya mencatat permohonan melalui web.")
    elif actor.role not in CAN_RECORD_REQUESTS:
        raise NotAllowed("Peran Anda tidak dapat mencatat permohonan informasi.")
    if intake.channel not in CHANNEL_NAMES:
        raise InvalidRequest("Saluran permohonan tidak dikenal.")
    if intake.received_on > today or (today - intake.received_on).days > BACKDATE_DAYS:
        raise InvalidRequest(
            f"Tanggal diterima harus hari ini atau paling lama {BACKDATE_DAYS} hari yang lalu."
        )
    if intake.formulir_sha256 is not None and not SHA256.fullmatch(intake.formulir_sha256):
        raise InvalidRequest("SHA-256 formulir tidak valid.")
    r = intake.requester
    return Intake(
        requester=Requester(
            _text(r.name, "Nama pemohon", LIMITS["name"]),
            _text(r.contact, "Kontak pemohon (telepon, surel atau alamat)", LIMITS["contact"]),
            _text(r.identity_number, "Nomor identitas", LIMITS["identity"], required=False),
        ),
        channel=intake.channel,
        subject=_text(intake.subject, "Rincian informasi yang dibutuhkan", LIMITS["subject"]),
        purpose=_text(intake.purpose, "Tujuan penggunaan informasi", LIMITS["purpose"]),
        received_on=intake.received_on,
        formulir_sha256=intake.formulir_sha256,
    )
