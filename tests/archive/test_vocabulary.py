"""One vocabulary: every list of roles, flags and access levels is the archive's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive import vocabulary as v

ROOT = Path(__file__).resolve().parents[2]


def test_every_role_has_a_name_and_a_visibility():
    assert set(v.ROLES) == set(v.ROLE_NAMES) == set(v.ROLE_ACCESS)
    assert v.SYSTEM_ROLE not in v.ROLES and v.SYSTEM_ROLE in v.ACTOR_NAMES
    assert set(v.FLAGS) == set(v.FLAG_NAMES) and set(v.FLAGS) > v.REVIEW_FLAGS
    assert v.FLAG_PERSONAL not in v.REVIEW_FLAGS
    assert set(v.ACCESS_NAMES) == set(v.ACCESS_LEVELS) and set(v.ACCESS_LEVELS) > v.RESTRICTED
    permissions = (v.CAN_UPLOAD, v.CAN_CORRECT, v.CAN_EDIT_HARDCOPY, v.CAN_RECORD_HANDOVER,
                   v.CAN_READ_AUDIT, v.CAN_SEE_REGISTER, v.CAN_EDIT_LEGAL_BASES)  # fmt: skip
    assert all(p <= set(v.ROLES) for p in permissions)


def test_visible_access():
    assert v.visible_access("petugas") == frozenset({"terbuka"})
    assert v.visible_access("ppid") == frozenset(v.ACCESS_LEVELS)
    with pytest.raises(v.UnknownRole, match="unknown role 'tamu'"):
        v.visible_access("tamu")


def test_tanggal():
    assert v.tanggal(None) == "—"
    assert v.tanggal(date(2022, 1, 5)) == "5 Januari 2022"
    assert v.tanggal(date(2024, 12, 31)) == "31 Desember 2024"


def test_no_table_is_made_outside_the_migrations():
    for pkg in ("archive", "flows", "web", "index", "tasks"):
        for path in (ROOT / pkg).rglob("*.py"):
            assert "create_all(" not in path.read_text(encoding="utf-8"), path
