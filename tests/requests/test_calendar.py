"""Working-day arithmetic on the Indonesian calendar: weekends, national holidays, cuti
bersama, the extension across a year end, and the admin's file for a new year. The
expected dates are counted by hand on the SKB lists, day by day in the comments."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from archive.requests import CalendarError, WorkingCalendar
from archive.requests.calendar import SHIPPED, load_years


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar.load()


def test_weekends_only_week(cal: WorkingCalendar):
    # Mon 2 Sep 2024: 3,4,5,6 | 9,10,11,12,13 | 16 is Maulid, so the 10th is Tue 17 Sep.
    assert cal.add_working_days(date(2024, 9, 2), 10) == date(2024, 9, 17)
    # A request received on a Saturday counts from Monday: Sat 7 Sep -> 9..13, 17..20, 23.
    assert cal.add_working_days(date(2024, 9, 7), 10) == date(2024, 9, 23)


def test_idul_fitri_2024_holidays_and_cuti_bersama_are_skipped(cal: WorkingCalendar):
    # Fri 5 Apr 2024: 8, 9 cuti bersama; 10, 11 Idul Fitri; 12, 15 cuti bersama;
    # then 16,17,18,19 | 22,23,24,25,26 | 29 -> the 10th working day is Mon 29 Apr.
    assert cal.add_working_days(date(2024, 4, 5), 10) == date(2024, 4, 29)
    for day in (8, 9, 12, 15):
        holiday = cal.holiday(date(2024, 4, day))
        assert holiday is not None and holiday.kind == "cuti_bersama"
    assert cal.is_working_day(date(2024, 4, 16))


def test_cuti_bersama_counts_as_a_day_off(cal: WorkingCalendar):
    # Wed 22 May 2024: 23 Waisak, 24 cuti bersama Waisak; 27,28,29,30,31 | 3,4,5,6,7 Jun.
    assert cal.add_working_days(date(2024, 5, 22), 10) == date(2024, 6, 7)
    without_cuti = WorkingCalendar(
        {
            y: type(v)(
                v.year, v.status, v.source, tuple(h for h in v.holidays if h.kind != "cuti_bersama")
            )
            for y, v in cal.years.items()
        }
    )
    assert without_cuti.add_working_days(date(2024, 5, 22), 10) == date(2024, 6, 6)


def test_election_day_2024_is_a_holiday(cal: WorkingCalendar):
    # Pemilu Wed 14 Feb 2024 (and Isra Mikraj Thu 8 Feb, cuti bersama Imlek Fri 9 Feb).
    assert not cal.is_working_day(date(2024, 2, 14))
    assert cal.add_working_days(date(2024, 2, 7), 3) == date(2024, 2, 15)  # 12, 13, 15


def test_extension_across_the_year_end_2024(cal: WorkingCalendar):
    # Fri 13 Dec 2024: 16..20, 23, 24, (25 Natal, 26 cuti bersama), 27, 30, 31 -> due 31 Dec.
    due = cal.add_working_days(date(2024, 12, 13), 10)
    assert due == date(2024, 12, 31)
    # +7: (1 Jan libur) 2, 3, 6, 7, 8, 9, 10 Jan 2025.
    assert cal.add_working_days(due, 7) == date(2025, 1, 10)
    assert cal.working_days_between(date(2024, 12, 13), date(2025, 1, 10)) == 17
    assert cal.doubtful_years([date(2024, 12, 13), date(2025, 1, 10)]) == []


def test_extension_into_a_provisional_year_is_flagged(cal: WorkingCalendar):
    # Mon 14 Dec 2026: 15..18, 21..23, (24 cuti bersama, 25 Natal), 28, 29, 30 -> 30 Dec.
    due = cal.add_working_days(date(2026, 12, 14), 10)
    assert due == date(2026, 12, 30)
    # +7: 31 Dec, (1 Jan), 4, (5 Isra Mikraj, estimated), 6, 7, 8, 11, 12 Jan 2027.
    extended = cal.add_working_days(due, 7)
    assert extended == date(2027, 1, 12)
    estimate = cal.holiday(date(2027, 1, 5))
    assert estimate is not None and estimate.estimated
    assert cal.doubtful_years([date(2026, 12, 14), extended]) == [2027]
    assert cal.doubtful_years([date(2031, 3, 2)]) == [2031]  # not in the data at all


def test_counting_back_and_forth_agree(cal: WorkingCalendar):
    rng = random.Random(14)
    for _ in range(300):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(1090))
        n = rng.randint(1, 40)
        end = cal.add_working_days(start, n)
        assert cal.is_working_day(end)
        assert cal.working_days_between(start, end) == n
        assert cal.working_days_between(end, start) == -n
        assert cal.working_days_between(start, end - timedelta(days=1)) == n - 1


def test_admin_file_replaces_a_year_whole(tmp_path: Path):
    (tmp_path / "hari_libur.toml").write_text(
        '[[tahun]]\nyear = 2027\nstatus = "resmi"\nsource = "SKB 2027 (contoh)"\n'
        'libur = [ { date = 2027-01-01, name = "Tahun Baru" } ]\n'
        'cuti_bersama = [ { date = 2027-01-04, name = "Cuti bersama (contoh)" } ]\n',
        encoding="utf-8",
    )
    cal = WorkingCalendar.for_home(tmp_path)
    assert cal.years[2027].status == "resmi" and cal.doubtful_years([date(2027, 6, 1)]) == []
    assert not cal.is_working_day(date(2027, 1, 4))
    assert cal.is_working_day(date(2027, 1, 5))  # the shipped estimate is gone with its year
    assert cal.years[2026] == WorkingCalendar.load().years[2026]  # other years untouched


def test_shipped_data_is_consistent():
    years = load_years(SHIPPED)
    assert sorted(years) == [2024, 2025, 2026, 2027]
    assert all(y.source for y in years.values())
    cuti = {y: sum(h.kind == "cuti_bersama" for h in v.holidays) for y, v in years.items()}
    assert cuti == {2024: 10, 2025: 11, 2026: 8, 2027: 0}
    for data in years.values():
        assert all(h.day.weekday() < 5 for h in data.holidays if h.kind == "cuti_bersama")


def test_a_date_of_the_wrong_year_is_refused(tmp_path: Path):
    bad = tmp_path / "hari_libur.toml"
    bad.write_text('[[tahun]]\nyear = 2028\nlibur = [ { date = 2027-12-31, name = "x" } ]\n')
    with pytest.raises(CalendarError, match="bukan tanggal tahun 2028"):
        WorkingCalendar.for_home(tmp_path)
