"""Legal bases of exemptions, kept as data: seeded from ``data/legal_bases.toml`` into the
``legal_bases`` table, then edited there (web app or CLI), never in code."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.db import utc_now
from archive.exemptions.errors import InvalidEntry, NotAllowed
from archive.exemptions.records import Actor, LegalBasis
from archive.exemptions.store import LegalBasisRow
from archive.vocabulary import CAN_EDIT_LEGAL_BASES

SEED = Path(__file__).resolve().parent / "data" / "legal_bases.toml"
_CODE = re.compile(r"[a-z0-9][a-z0-9.-]{1,63}")
MAX_TEXT = 2000


def load_seed(path: Path = SEED) -> list[LegalBasis]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return [_from_mapping(item) for item in data.get("basis", [])]


def _from_mapping(item: dict[str, Any]) -> LegalBasis:
    return LegalBasis(
        code=str(item["code"]),
        law=str(item["law"]),
        article=str(item.get("article", "")),
        letter=str(item.get("letter", "")),
        summary=str(item.get("summary", "")),
        points=tuple(str(p) for p in item.get("points", ())),
        permanent_allowed=bool(item.get("permanent_allowed", False)),
    )


def to_basis(row: LegalBasisRow) -> LegalBasis:
    return LegalBasis(
        row.code, row.law, row.article, row.letter, row.summary,
        tuple(row.points or ()), bool(row.permanent_allowed), bool(row.active),
    )  # fmt: skip


def check_basis(basis: LegalBasis) -> LegalBasis:
    if not _CODE.fullmatch(basis.code):
        raise InvalidEntry(
            "Kode dasar hukum: 2-64 huruf kecil, angka, '.' atau '-' (mis. uu14-2008-p17h)."
        )
    if not basis.law.strip():
        raise InvalidEntry("Nama peraturan (mis. UU 14/2008) wajib diisi.")
    if basis.letter and basis.letter not in "abcdefghij":
        raise InvalidEntry("Huruf Pasal 17 harus salah satu dari a sampai j, atau kosong.")
    if basis.letter in "abcdef" and basis.letter and basis.permanent_allowed:
        # Pasal 20 ayat (1) UU 14/2008: letters a-f are never permanent.
        raise InvalidEntry(f"Pasal 17 huruf {basis.letter} tidak boleh bersifat permanen.")
    texts = (basis.law, basis.article, basis.summary, *basis.points)
    if any(len(t) > MAX_TEXT for t in texts):
        raise InvalidEntry(f"Teks dasar hukum terlalu panjang (maks. {MAX_TEXT} karakter).")
    return basis


class LegalBases:
    def __init__(self, engine: Engine, seed: Path = SEED) -> None:
        self.engine = engine
        self.seed(seed)

    def seed(self, path: Path = SEED) -> int:
        """Insert the seed bases not in the table yet; returns how many were added."""
        added = 0
        try:
            with Session(self.engine) as s, s.begin():
                present = set(s.scalars(select(LegalBasisRow.code)))
                for basis in load_seed(path):
                    if basis.code not in present:
                        s.add(_row(basis, "seed"))
                        added += 1
        except IntegrityError:
            return 0  # another process (a second web worker, a flow) seeded them first
        return added

    def list(self, *, active_only: bool = False) -> list[LegalBasis]:
        with Session(self.engine) as s:
            rows = s.scalars(select(LegalBasisRow))
            found = [to_basis(r) for r in rows if r.active or not active_only]
        # Pasal 17 letters first, in order; supporting laws after them.
        return sorted(found, key=lambda b: (not b.letter, b.letter, b.law, b.code))

    def get(self, code: str) -> LegalBasis | None:
        with Session(self.engine) as s:
            row = s.get(LegalBasisRow, code)
            return to_basis(row) if row else None

    def can_edit(self, actor: Actor) -> bool:
        return actor.role in CAN_EDIT_LEGAL_BASES

    def save(self, basis: LegalBasis, actor: Actor) -> None:
        """Add or change a basis (the PPID or Admin). Entries keep citing it by code, so
        an edit shows on the public list at its next publication."""
        if not self.can_edit(actor):
            raise NotAllowed("Hanya Pejabat PPID atau Admin yang dapat mengubah dasar hukum.")
        check_basis(basis)
        by = actor.username
        with Session(self.engine) as s, s.begin():
            row = s.get(LegalBasisRow, basis.code)
            if row is None:
                s.add(_row(basis, by))
                return
            for name in ("law", "article", "letter", "summary", "permanent_allowed", "active"):
                setattr(row, name, getattr(basis, name))
            row.points = list(basis.points)
            row.updated_at, row.updated_by = utc_now(), by


def _row(basis: LegalBasis, by: str) -> LegalBasisRow:
    return LegalBasisRow(
        code=basis.code,
        law=basis.law,
        article=basis.article,
        letter=basis.letter,
        summary=basis.summary,
        points=list(basis.points),
        permanent_allowed=basis.permanent_allowed,
        active=basis.active,
        updated_at=utc_now(),
        updated_by=by,
    )
