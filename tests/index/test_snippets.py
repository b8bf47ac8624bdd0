"""Snippets mark what the query matched, found among the text's own words."""

from __future__ import annotations

import re

import pytest

from index.query import parse
from index.snippets import highlight_terms, make_snippet

TEXT = (
    "Surat Nomor 590/PL.02.4/1906/KPU-Kab/XI/2020 tentang pemilihan umum di KPU-Kab "
    "Bengkulu: warga memilih dan dipilihnya calon. Pemerintahan <b>daerah</b> & pemerintah."
)


def _marked(query: str, text: str = TEXT) -> list[str]:
    parsed = parse(query)
    assert parsed is not None
    return re.findall(r"<mark>(.*?)</mark>", make_snippet(text, highlight_terms(parsed.query)))


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("pemilihan", ["pemilihan", "memilih", "dipilihnya"]),  # one stem, three forms
        ("pemerintah", ["Pemerintahan", "pemerintah"]),  # a protected word's listed stem
        ("KPU-Kab", ["KPU-Kab", "KPU-Kab"]),  # a code part, and the code standing alone
        ("590/PL.02.4/1906/KPU-Kab/XI/2020", ["590/PL.02.4/1906/KPU-Kab/XI/2020"]),
        ("2020", ["2020"]),
        ("pemil*", ["pemilihan"]),
        ("memilyh~1", ["memilih"]),
        ('"pemilihan umum"', ["pemilihan", "umum"]),
        ("pemilihan NOT calon", ["pemilihan", "memilih", "dipilihnya"]),
    ],
)
def test_marks(query: str, marked: list[str]) -> None:
    assert _marked(query) == marked


def test_html_is_escaped_and_no_match_gives_the_lead() -> None:
    snippet = make_snippet(TEXT, highlight_terms(parse("daerah").query))  # type: ignore[union-attr]
    assert "&lt;b&gt;<mark>daerah</mark>&lt;/b&gt; &amp;" in snippet
    lead = make_snippet(TEXT, highlight_terms(parse("katalog").query))  # type: ignore[union-attr]
    assert lead.startswith("Surat Nomor") and "<mark>" not in lead
