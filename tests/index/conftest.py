from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index import add_documents
from tests.index.corpus import all_docs, texts


@pytest.fixture(scope="package")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index over the whole corpus, built once; tests must only read it."""
    path = tmp_path_factory.mktemp("shared") / "index"
    add_documents(path, all_docs())
    return path


class RecordingLoader:
    """A text_loader that remembers which documents it was asked for."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.folders: list[str | None] = []
        self._texts = texts()

    def __call__(self, doc_id: str, folder: str | None = None) -> str | None:
        self.calls.append(doc_id)
        self.folders.append(folder)
        return self._texts.get(doc_id)


@pytest.fixture
def loader() -> Callable[[str, str | None], str | None]:
    return RecordingLoader()
