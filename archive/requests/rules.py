"""The service rules of information requests as data (``archive/requests/data/permohonan.toml``):
the periods in working days with the article each rests on, and the reasons an objection
may be filed for (UU 14/2008 Pasal 35 ayat (1))."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from archive.requests.calendar import CalendarError

RULES = Path(__file__).resolve().parent / "data" / "permohonan.toml"
_PERIODS = ("answer", "extension", "objection_filing", "objection_answer", "dispute_filing")


@dataclass(frozen=True)
class Period:
    days: int  # working days
    basis: str  # the article it rests on, cited on pages and letters


@dataclass(frozen=True)
class ServiceRules:
    answer: Period
    extension: Period
    objection_filing: Period
    objection_answer: Period
    dispute_filing: Period
    warn_ahead: int
    objection_reasons: Mapping[str, str]  # Pasal 35 ayat (1) letter -> text

    def objection_reason(self, letter: str) -> str:
        return f"Pasal 35 ayat (1) huruf {letter}: {self.objection_reasons[letter]}"


def load_rules(path: Path = RULES) -> ServiceRules:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        deadlines = data["deadlines"]
        periods = {
            name: Period(int(deadlines[name]), str(deadlines[f"{name}_basis"])) for name in _PERIODS
        }
        reasons = {str(r["letter"]): str(r["text"]) for r in data["objection_reason"]}
        warn = int(deadlines["warn_ahead"])
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise CalendarError(f"{path}: aturan layanan tidak terbaca: {exc!r}") from exc
    if any(p.days < 1 for p in periods.values()) or warn < 0:
        raise CalendarError(f"{path}: jangka waktu harus paling sedikit 1 hari kerja")
    return ServiceRules(**periods, warn_ahead=warn, objection_reasons=MappingProxyType(reasons))
