"""The Indonesian working-day calendar that every deadline of an information request is
counted in: Monday to Friday, less national holidays and cuti bersama.

The days off are data (``archive/requests/data/hari_libur.toml``, one table per year with its
source), and the data root may carry its own file that adds a year or replaces one whole
(the admin enters each year's SKB when it is published). A year the data does not cover,
or covers only provisionally, is still counted (weekends only, or the estimates), and
:meth:`WorkingCalendar.doubtful_years` names it, so a deadline that rests on it is shown
with a warning instead of being silently wrong.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from archive.errors import ArchiveError

SHIPPED = Path(__file__).resolve().parent / "data" / "hari_libur.toml"
OVERRIDE_NAME = "hari_libur.toml"  # in the data root
Kind = Literal["libur", "cuti_bersama"]
YearStatus = Literal["resmi", "perkiraan"]
# No deadline in this register is longer than a few months of working days; a count that
# runs past this many calendar days is a bug, not a deadline.
_MAX_SPAN_DAYS = 3660


class CalendarError(ArchiveError):
    """The holiday data cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    kind: Kind
    estimated: bool = False

    @property
    def kind_name(self) -> str:
        return "Cuti bersama" if self.kind == "cuti_bersama" else "Libur nasional"


@dataclass(frozen=True)
class HolidayYear:
    year: int
    status: YearStatus
    source: str
    holidays: tuple[Holiday, ...]


def _holiday(item: Mapping[str, Any], kind: Kind, year: int, where: str) -> Holiday:
    day = item.get("date")
    if not isinstance(day, date) or day.year != year:
        raise CalendarError(f"{where}: tanggal {day!r} bukan tanggal tahun {year}")
    return Holiday(
        day, str(item.get("name", "")).strip() or kind, kind, bool(item.get("perkiraan"))
    )


def _year(item: Mapping[str, Any], where: str) -> HolidayYear:
    year = item.get("year")
    if not isinstance(year, int) or not 1900 < year < 2200:
        raise CalendarError(f"{where}: 'year' harus tahun empat angka, bukan {year!r}")
    status = item.get("status", "resmi")
    if status not in ("resmi", "perkiraan"):
        raise CalendarError(f"{where}: status tahun {year} harus 'resmi' atau 'perkiraan'")
    days = [_holiday(h, "libur", year, where) for h in item.get("libur", ())]
    days += [_holiday(h, "cuti_bersama", year, where) for h in item.get("cuti_bersama", ())]
    return HolidayYear(
        year,
        status,
        str(item.get("source", "")).strip(),
        tuple(sorted(days, key=lambda h: (h.day, h.kind))),
    )


def load_years(path: Path) -> dict[int, HolidayYear]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CalendarError(f"{path}: data hari libur tidak terbaca: {exc}") from exc
    years: dict[int, HolidayYear] = {}
    for n, item in enumerate(data.get("tahun", ()), start=1):
        parsed = _year(item, f"{path} [[tahun]] ke-{n}")
        if parsed.year in years:
            raise CalendarError(f"{path}: tahun {parsed.year} ditulis dua kali")
        years[parsed.year] = parsed
    return years


class WorkingCalendar:
    """Counting in working days. ``start`` itself is never counted: a deadline of 10
    working days after a Monday receipt falls on the second Monday after it."""

    def __init__(self, years: Mapping[int, HolidayYear]) -> None:
        self.years = dict(sorted(years.items()))
        self._off: dict[date, Holiday] = {}
        for data in self.years.values():
            for h in data.holidays:
                self._off.setdefault(h.day, h)  # a holiday wins over a cuti bersama listed too

    @classmethod
    def load(cls, files: Sequence[Path] = (SHIPPED,)) -> WorkingCalendar:
        """Later files replace the years they define (the data root's file goes last)."""
        years: dict[int, HolidayYear] = {}
        for path in files:
            years.update(load_years(path))
        return cls(years)

    @classmethod
    def for_home(cls, home: Path) -> WorkingCalendar:
        override = home / OVERRIDE_NAME
        return cls.load([SHIPPED, override] if override.is_file() else [SHIPPED])

    def holiday(self, day: date) -> Holiday | None:
        return self._off.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._off

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``days`` >= 1)."""
        if days < 1:
            raise ValueError("days must be at least 1")
        day, left = start, days
        while left:
            day += timedelta(days=1)
            if (day - start).days > _MAX_SPAN_DAYS:
                raise CalendarError(f"{days} hari kerja setelah {start} tidak dapat dihitung")
            left -= self.is_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end``
        is before ``start`` (how many working days a deadline is already past)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            self.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
        )

    def doubtful_years(self, days: Iterable[date]) -> list[int]:
        """Years among those of ``days`` the data does not cover, or covers provisionally."""
        wanted = {d.year for d in days}
        return sorted(y for y in wanted if y not in self.years or self.years[y].status != "resmi")

    def holidays_in(self, start: date, end: date) -> list[Holiday]:
        return [h for d, h in sorted(self._off.items()) if start <= d <= end]
