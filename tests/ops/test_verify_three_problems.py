"""One corrupted byte, one lost index entry, one orphan file: verify reports exactly those
three, `arsip verify` says the same, and the verify flow ends Failed with both artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.store import ArchiveLayout
from flows import demo
from flows.app.verify import verify_all
from flows.ingest import ingest_flow
from flows.maintenance import verify_flow
from index import delete_documents
from tests.ops.conftest import run_artifacts


def _ingest_three(home: Path) -> dict[str, str]:
    inbox = home / "inbox"
    demo.write_text_pdf(demo.keputusan(), inbox / "keputusan.pdf")
    demo.write_docx(demo.notulen(), inbox / "notulen.docx")
    demo.write_txt(demo.surat(), inbox / "surat.txt")
    summary = ingest_flow()
    ids = {r["file"]: r["id"] for r in summary["results"] if r["outcome"] == "archived"}
    assert len(ids) == 3, summary
    return ids


@pytest.mark.parametrize("orphan_at", ["document_dir", "type_dir"])
def test_verify_reports_exactly_the_three_problems(
    prefect_server: str, arsip_home: Path, orphan_at: str
):
    ids = _ingest_three(arsip_home)
    layout = ArchiveLayout(arsip_home)
    catalog = Catalog(f"sqlite:///{arsip_home / 'catalog.db'}")
    clean = verify_flow(return_state=True)
    assert clean.is_completed(), clean

    docs = {name: catalog.get(doc_id) for name, doc_id in ids.items()}
    original = arsip_home / docs["keputusan.pdf"].archive_path / "original.pdf"  # type: ignore[union-attr]
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte
    original.write_bytes(bytes(data))
    assert delete_documents(layout.index, [ids["notulen.docx"]]) == 1
    surat_dir = arsip_home / docs["surat.txt"].archive_path  # type: ignore[union-attr]
    orphan = (surat_dir if orphan_at == "document_dir" else surat_dir.parent) / "nyasar.pdf"
    orphan.write_bytes(b"%PDF-1.4 not part of any document")

    report = verify_all(layout, catalog)
    got = sorted((p.kind, p.id, p.path) for p in report.problems)
    orphan_kind = "unlisted_file" if orphan_at == "document_dir" else "orphan_file"
    orphan_id = ids["surat.txt"] if orphan_at == "document_dir" else None
    assert got == sorted(
        [
            ("corrupt", ids["keputusan.pdf"], str(original.relative_to(arsip_home))),
            ("not_indexed", ids["notulen.docx"], docs["notulen.docx"].archive_path),  # type: ignore[union-attr]
            (orphan_kind, orphan_id, str(orphan.relative_to(arsip_home))),
        ]
    )

    state = verify_flow(return_state=True)
    assert state.is_failed() and "3 problem(s)" in str(state.message), state
    artifacts = run_artifacts(state.state_details.flow_run_id)
    assert {"verify-summary", "verify-report"} <= set(artifacts)
    markdown = str(artifacts["verify-report"].data)  # type: ignore[attr-defined]
    for kind, _id, path in got:
        assert kind in markdown and path in markdown
    catalog.close()
