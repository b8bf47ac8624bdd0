"""The hardcopy location is searchable: set on the document page (or with a handover), the
document is found by it at once, and a full reindex keeps it."""

from __future__ import annotations

from fastapi import FastAPI

from flows.app.indexing import reindex
from tests.web.conftest import EXEMPT_ID, OPEN_ID, Client, sign_in


def _found(client: Client, query: str) -> list[str]:
    response = client.get("/search.json", params={"q": query})
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["hits"]]


def _set(client: Client, doc_id: str, **fields: str) -> None:
    response = client.post_form(f"/documents/{doc_id}/hardcopy", fields)
    assert response.status_code == 303, response.text


def test_document_is_found_by_its_hardcopy_location(fresh_app: FastAPI) -> None:
    petugas = sign_in(fresh_app, "petugas1")
    assert _found(petugas, "Boks 12") == []
    _set(petugas, OPEN_ID, room="Ruang Arsip 1", cabinet="Lemari 3", box="Boks 12")
    assert _found(petugas, "Boks 12") == [OPEN_ID]
    assert _found(petugas, '"Boks 12"') == [OPEN_ID]
    assert _found(petugas, '"lemari 3"') == [OPEN_ID]
    hit = petugas.get("/search.json", params={"q": "Boks 12"}).json()["hits"][0]
    assert hit["location"] == "Ruang Arsip 1 Lemari 3 Boks 12"
    assert "Lokasi: Ruang Arsip 1 Lemari 3 Boks 12" in petugas.get("/search?q=boks").text
    # Moved: found by the new box, not the old one.
    _set(petugas, OPEN_ID, room="Ruang Arsip 1", cabinet="Lemari 3", box="Boks 13")
    assert _found(petugas, '"Boks 12"') == [] and _found(petugas, '"Boks 13"') == [OPEN_ID]


def test_a_full_reindex_keeps_the_location(fresh_app: FastAPI) -> None:
    ppid = sign_in(fresh_app, "ppid1")
    _set(ppid, EXEMPT_ID, box="Boks 12")
    services = fresh_app.state.services
    reindex(services.settings.layout, services.catalog)
    assert _found(ppid, '"Boks 12"') == [EXEMPT_ID]
    # A hidden document's location finds nothing for a role that may not see it.
    assert _found(sign_in(fresh_app, "petugas1"), '"Boks 12"') == []


def test_a_location_given_with_a_handover_is_searchable(fresh_app: FastAPI) -> None:
    petugas = sign_in(fresh_app, "petugas1")
    response = petugas.post_form(
        "/handover",
        {
            "document_id": OPEN_ID,
            "division": "Divisi Teknis",
            "handed_over_by": "Budi",
            "handed_over_at": "2024-03-14T09:30",
            "box": "Boks 77",
        },
    )
    assert response.status_code == 303, response.text
    assert _found(petugas, '"Boks 77"') == [OPEN_ID]
