"""The search page as staff use it: a typo retried fuzzily (and said so), the unit filter by
contains with an autocomplete list, a date range, sort orders, Indonesian messages for
every query error, and pages past the last one."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest

from archive.vocabulary import visible_access
from index import IndexDoc, PageOutOfRange, add_documents, search
from tests.web.conftest import EXEMPT_ID, OPEN_ID, OPEN_PDF_ID, PENDING_ID, Client
from web import labels
from web.search import MAX_PAGE, PAGE_SIZE


def _ids(client: Client, **params: str) -> list[str]:
    response = client.get("/search.json", params=params)
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["hits"]]


def test_a_typo_shows_similar_results_and_says_so(petugas: Client) -> None:
    data = petugas.get("/search.json", params={"q": "pemutakhiren"}).json()
    assert data["fuzzy"] is True and [h["id"] for h in data["hits"]] == [OPEN_ID]
    html = petugas.get("/search", params={"q": "pemutakhiren"}).text
    assert "Tidak ada hasil untuk <q>pemutakhiren</q>; menampilkan hasil yang mirip." in html
    assert "1</strong> dokumen ditemukan" in html
    exact = petugas.get("/search.json", params={"q": "pemutakhiran"}).json()
    assert (
        exact["fuzzy"] is False
        and "hasil yang mirip" not in petugas.get("/search", params={"q": "pemutakhiran"}).text
    )


def test_fuzzy_retry_does_not_reach_hidden_documents(petugas: Client, ppid: Client) -> None:
    hidden = petugas.get("/search.json", params={"q": "rahasiadikecualikon"}).json()
    assert hidden["total"] == 0 and hidden["fuzzy"] is False
    assert _ids(ppid, q="rahasiadikecualikon") == [EXEMPT_ID]


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("bengkulu tengah", [OPEN_ID]), ("PROVINSI", [OPEN_PDF_ID]), ("kabupaten", [OPEN_ID])],
)
def test_unit_filter_by_contains(petugas: Client, unit: str, expected: list[str]) -> None:
    assert _ids(petugas, unit=unit) == expected


def test_unit_autocomplete_from_the_catalog(petugas: Client, ppid: Client) -> None:
    seen = petugas.get("/search/units.json").json()["units"]
    # Units only restricted documents name are not listed for petugas.
    assert seen == ["KPU Kabupaten Bengkulu Tengah", "KPU Provinsi Bengkulu"]
    assert len(ppid.get("/search/units.json").json()["units"]) == 4
    assert petugas.get("/search/units.json", params={"q": "prov"}).json() == {
        "units": ["KPU Provinsi Bengkulu"]
    }
    html = petugas.get("/search").text
    assert 'list="unit-list"' in html and '<option value="KPU Provinsi Bengkulu">' in html
    assert "KPU Kabupaten Seluma" not in html
    # The filter, like the list, sees only what the role may see.
    assert _ids(petugas, unit="seluma") == [] and _ids(ppid, unit="seluma") == [EXEMPT_ID]


def test_date_range(petugas: Client) -> None:
    assert _ids(petugas, dari="2021-01-01", sampai="2022-12-31") == [OPEN_ID]
    assert _ids(petugas, sampai="2020-03-14") == [OPEN_PDF_ID]
    assert _ids(petugas, dari="2022-03-15") == []
    html = petugas.get("/search", params={"dari": "2021-01-01"}).text
    assert 'name="dari" value="2021-01-01"' in html and "dari 1 Januari 2021 ×" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dari": "14/03/2022"}, "Tanggal 'dari' harus berformat TTTT-BB-HH"),
        ({"sampai": "kemarin"}, "Tanggal 'sampai' harus berformat TTTT-BB-HH"),
        ({"dari": "2022-05-01", "sampai": "2022-01-01"}, "sesudah tanggal 'sampai'"),
        ({"urut": "acak"}, "Urutan 'acak' tidak dikenal"),
    ],
)
def test_bad_dates_and_sorts_are_explained(
    petugas: Client, params: dict[str, str], message: str
) -> None:
    response = petugas.get("/search.json", params=params)
    assert response.status_code == 400 and message in response.json()["error"]


def test_sort_orders(ppid: Client) -> None:
    newest = [PENDING_ID, OPEN_ID, EXEMPT_ID, OPEN_PDF_ID]  # 2023, 2022, 2021, 2020
    assert _ids(ppid, urut="terbaru") == newest
    assert _ids(ppid, urut="terlama") == newest[::-1]
    assert _ids(ppid, urut="nomor") == [OPEN_ID, OPEN_PDF_ID, PENDING_ID, EXEMPT_ID]
    assert _ids(ppid, q="koordinasi", urut="terlama") == newest[::-1]
    html = ppid.get("/search", params={"urut": "nomor"}).text
    assert '<option value="nomor" selected>' in html


# Words of the index's English messages: none may reach an Indonesian page.
ENGLISH = re.compile(
    r"\b(needs|unclosed|without|matching|empty|must|put|word|words|letters|query|"
    r"beyond|page|type|least|stands|more|the|after|before)\b"
)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('"tanpa penutup', "unclosed_quote"),
        ("pemilu)", "unopened_paren"),
        ("(pemilu", "unclosed_paren"),
        ("()", "empty_parens"),
        ("AND pemilu", "operator_needs_word_before"),
        ("pemilu AND", "operator_needs_word_after"),
        ("pemilu NOT", "operator_needs_word_after"),
        ('""', "empty_phrase"),
        ("title:", "field_needs_word"),
        ("pemilu~3", "fuzzy_distance"),
        (".~1", "fuzzy_one_word"),
        ("*milu", "wildcard_prefix"),
        (",;.", "no_words"),
    ],
)
def test_every_query_error_reads_in_indonesian(petugas: Client, query: str, code: str) -> None:
    response = petugas.get("/search.json", params={"q": query})
    data = response.json()
    assert response.status_code == 400 and data["error_code"] == code
    assert data["error"].startswith("Kueri tidak dapat dipahami: ")
    assert not ENGLISH.search(data["error"].split(":", 1)[1].replace(query, "")), data["error"]
    html = petugas.get("/search", params={"q": query})
    assert html.status_code == 400 and "Kueri tidak dapat dipahami" in html.text


def test_messages_exist_for_every_code_the_index_raises() -> None:
    import index.evaluate
    import index.query
    import index.searching

    raised = set()
    for module in (index.query, index.searching, index.evaluate):
        source = open(module.__file__ or "", encoding="utf-8").read()  # noqa: SIM115
        raised |= set(re.findall(r'code="(\w+)"', source))
    assert raised and raised <= set(labels.QUERY_ERRORS), raised - set(labels.QUERY_ERRORS)
    assert labels.query_error("no_such_code", {}) == labels.QUERY_ERROR_FALLBACK


def test_a_page_past_the_last_shows_the_last(petugas: Client) -> None:
    data = petugas.get("/search.json", params={"q": "koordinasi", "page": "99"}).json()
    assert data["page"] == 1 and data["page_clamped_from"] == 99 and len(data["hits"]) == 2
    html = petugas.get("/search", params={"q": "koordinasi", "page": "99"}).text
    assert "halaman 99" not in html
    assert "Halaman 99 tidak ada; menampilkan halaman terakhir (1 dari 1)." in html


@pytest.mark.parametrize("page", ["51", "10000", "9" * 5000])
def test_pages_beyond_the_window_show_the_last_page(petugas: Client, page: str) -> None:
    began = time.monotonic()
    response = petugas.get("/search.json", params={"q": "koordinasi", "page": page})
    assert time.monotonic() - began < 1
    data = response.json()
    assert response.status_code == 200 and data["page"] == 1 and len(data["hits"]) == 2
    asked = int(page) if len(page) < 9 else 10**9  # thousands of digits: read as "too far"
    assert data["page_clamped_from"] == asked


def test_the_window_bounds_pages_before_search(tmp_path: Path) -> None:
    """Beyond the window the index refuses before searching; the page then shows the
    deepest page searched and says why."""
    path = tmp_path / "index"
    docs = [
        IndexDoc(f"doc-{n:04d}", None, f"Surat {n}", "rapat pleno", "surat", None,
                 "terbuka", date(2020, 1, 1), 2020, f"{n}.pdf")
        for n in range(1100)
    ]  # fmt: skip
    add_documents(path, docs)
    with pytest.raises(PageOutOfRange) as caught:
        search(path, "pleno", visible=visible_access("petugas"), page=10_000, page_size=PAGE_SIZE)
    message = labels.query_error(caught.value.code, caught.value.params)
    assert message.startswith("Halaman 10000 di luar jangkauan") and "1000 hasil" in message
    deepest = search(
        path, "pleno", visible=visible_access("petugas"), page=MAX_PAGE, page_size=PAGE_SIZE
    )
    assert deepest.page == MAX_PAGE < deepest.page_count
