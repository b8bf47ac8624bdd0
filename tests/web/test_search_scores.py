"""The score oracle (#11): a petugas who may retitle an open document must not learn from
``hits[].score`` whether a word is in a document hidden from them."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi import FastAPI

from index import delete_documents
from tests.web.conftest import EXEMPT_ID, OPEN_ID, close_app, make_app, sign_in

# Words of the exempted document's text (tests/web/conftest.py), none in an open one.
HIDDEN_WORDS = ("rahasiadikecualikan", "alamat", "lengkap")


def _app(template_home: Path, where: Path, *, hidden_doc: bool) -> FastAPI:
    home = where / "data"
    shutil.copytree(template_home, home)
    if not hidden_doc:  # the same archive, but the index never held the hidden document
        delete_documents(home / "index", [EXEMPT_ID])
    return make_app(home)


def _scores(app: FastAPI, username: str) -> dict[str, dict[str, float]]:
    client = sign_in(app, username)
    found = {}
    for word in HIDDEN_WORDS:
        data = client.get("/search.json", params={"q": word}).json()
        found[word] = {hit["id"]: hit["score"] for hit in data["hits"]}
    return found


def test_scores_do_not_depend_on_hidden_documents(template_home: Path, tmp_path: Path) -> None:
    apps = {
        present: _app(template_home, tmp_path / str(present), hidden_doc=present)
        for present in (True, False)
    }
    try:
        for app in apps.values():
            petugas = sign_in(app, "petugas1")
            title = "Undangan " + " ".join(HIDDEN_WORDS)
            fix = {"doc_type": "surat", "title": title}
            assert petugas.post_form(f"/review/{OPEN_ID}", fix).status_code == 303
        with_hidden, without = (_scores(apps[p], "petugas1") for p in (True, False))
        for word in HIDDEN_WORDS:
            assert list(with_hidden[word]) == [OPEN_ID], word
            assert with_hidden[word] == without[word], word
        # Not vacuous: for a role that sees the hidden document, it changes the score.
        ppid_with, ppid_without = (_scores(apps[p], "ppid1") for p in (True, False))
        for word in HIDDEN_WORDS:
            assert EXEMPT_ID in ppid_with[word] and EXEMPT_ID not in ppid_without[word]
            assert ppid_with[word][OPEN_ID] != ppid_without[word][OPEN_ID], word
    finally:
        for app in apps.values():
            close_app(app)
