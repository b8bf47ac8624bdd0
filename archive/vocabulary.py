"""The archive's words, defined once: roles, access levels, flags, who may do what, and
the Indonesian names staff read for them.

Every other module (catalog, accounts, web app, flows) takes these from here; presentation
code may add its own wording for other codes, never its own list of roles or flags.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Literal, get_args

from archive.errors import ArchiveError

# ---------------------------------------------------------------------- roles

Role = Literal["petugas", "ppid", "atasan", "tim_pertimbangan", "pembina", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
# Scheduled flows act under this role, attributable by their username (the flow's name).
SYSTEM_ROLE = "sistem"

ROLE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "petugas": "Petugas PPID",
        "ppid": "Pejabat PPID",
        "atasan": "Atasan PPID",
        "tim_pertimbangan": "Tim Pertimbangan",
        "pembina": "Pembina PPID",
        "admin": "Admin",
    }
)
# Names of whoever may appear as the actor of a recorded step: staff roles and the system.
ACTOR_NAMES: Mapping[str, str] = MappingProxyType({**ROLE_NAMES, SYSTEM_ROLE: "Sistem (jadwal)"})

# ---------------------------------------------------------------------- access levels

Access = Literal["belum_ditinjau", "terbuka", "dikecualikan"]
ACCESS_LEVELS: tuple[Access, ...] = get_args(Access)
NEW_DOCUMENT_ACCESS: Access = "belum_ditinjau"  # until a PPID decides
RESTRICTED: frozenset[str] = frozenset({"belum_ditinjau", "dikecualikan"})
ACCESS_NAMES: Mapping[str, str] = MappingProxyType(
    {"terbuka": "Terbuka", "belum_ditinjau": "Belum ditinjau", "dikecualikan": "Dikecualikan"}
)

_ALL = frozenset(ACCESS_LEVELS)
# Which access levels each role sees: staff at the desk see only what is open; the PPID
# and the people who decide on exemptions see everything they decide on.
ROLE_ACCESS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "petugas": frozenset({"terbuka"}),
        "ppid": _ALL,
        "atasan": _ALL,
        "tim_pertimbangan": _ALL,
        "pembina": _ALL,
        "admin": _ALL,
    }
)


class UnknownRole(ArchiveError, ValueError):
    """A role that is not one of :data:`ROLES`; never treated as "may see everything"."""


def visible_access(role: str) -> frozenset[str]:
    """The access levels ``role`` may see (what the index filters every query by)."""
    try:
        return ROLE_ACCESS[role]
    except KeyError:
        raise UnknownRole(f"unknown role {role!r} (roles: {', '.join(ROLES)})") from None


# ---------------------------------------------------------------------- permissions

# Who may change things; everyone signed in may search and read what their role sees.
# The approving roles (atasan, tim_pertimbangan, pembina) only read, outside the register.
CAN_UPLOAD: frozenset[str] = frozenset({"petugas", "ppid", "admin"})
CAN_CORRECT: frozenset[str] = frozenset({"petugas", "ppid", "admin"})
CAN_EDIT_HARDCOPY: frozenset[str] = frozenset({"petugas", "ppid", "admin"})
CAN_RECORD_HANDOVER: frozenset[str] = frozenset({"petugas", "ppid", "admin"})
CAN_READ_AUDIT: frozenset[str] = frozenset({"ppid", "admin"})
# Legal bases are data the PPID (or Admin) keeps up to date.
CAN_EDIT_LEGAL_BASES: frozenset[str] = frozenset({"ppid", "admin"})
# The exemption register exists for the PPID and the approving roles only.
CAN_SEE_REGISTER: frozenset[str] = frozenset(
    {"ppid", "atasan", "tim_pertimbangan", "pembina", "admin"}
)
# Information requests: the desk records them, the PPID answers, the Atasan PPID decides
# objections (UU 14/2008 Pasal 36); who sees a requester's identity number follows the
# access levels (archive.requests.sees_personal_data).
CAN_SEE_REQUESTS: frozenset[str] = frozenset({"petugas", "ppid", "atasan", "admin"})
CAN_RECORD_REQUESTS: frozenset[str] = frozenset({"petugas", "ppid", "admin"})
CAN_ANSWER_REQUESTS: frozenset[str] = frozenset({"ppid"})
CAN_DECIDE_OBJECTIONS: frozenset[str] = frozenset({"atasan"})
# Only the PPID declares a document public (the register refuses anyone else).
CAN_DECLARE_OPEN: frozenset[str] = frozenset({"ppid"})

# ---------------------------------------------------------------------- flags

FLAG_REVIEW = "perlu_tinjauan"
FLAG_NO_TEXT = "teks_kosong"
FLAG_LOW_OCR = "ocr_rendah"
FLAG_UNSURE_TYPE = "tipe_tidak_pasti"
FLAG_PERSONAL = "data_pribadi"
FLAG_NEAR_DUPLICATE = "kemungkinan_duplikat"
FLAG_ASSUMED_DPI = "dpi_diasumsikan"  # an image had no resolution: pages sized at the default
FLAG_NAMES: Mapping[str, str] = MappingProxyType(
    {
        FLAG_REVIEW: "Perlu tinjauan",
        FLAG_LOW_OCR: "Keyakinan OCR rendah",
        FLAG_UNSURE_TYPE: "Jenis tidak pasti",
        FLAG_NO_TEXT: "Teks kosong",
        FLAG_PERSONAL: "Data pribadi (NIK/KK)",
        FLAG_NEAR_DUPLICATE: "Kemungkinan duplikat (pindaian ulang)",
        FLAG_ASSUMED_DPI: "Resolusi pindaian diasumsikan 300 dpi",
    }
)
FLAGS: tuple[str, ...] = tuple(FLAG_NAMES)
# Flags that only ask a person to look; confirming the document clears them. The
# personal-data flag stays: it describes the content, not the machine's doubt.
REVIEW_FLAGS: frozenset[str] = frozenset(
    {FLAG_REVIEW, FLAG_LOW_OCR, FLAG_UNSURE_TYPE, FLAG_NO_TEXT, FLAG_NEAR_DUPLICATE}
)

# ---------------------------------------------------------------------- dates

MONTHS: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def tanggal(value: date | None) -> str:
    """``5 Januari 2022``: the way dates are written on Indonesian official documents."""
    if value is None:
        return "—"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
