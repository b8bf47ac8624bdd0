"""Sample documents for the demo, the tests and the benchmarks, generated on the spot.

Nothing is downloaded: every page is rendered here from realistic Indonesian text.
"""

from flows.samples.documents import (
    BODY,
    LETTERHEAD,
    LINES_PER_PAGE,
    SampleDoc,
    all_samples,
    berita_acara,
    formulir_with_nik,
    keputusan,
    long_document,
    notulen,
    sop,
    surat,
)
from flows.samples.inboxes import copy_tree, demo_inbox, hostile_files
from flows.samples.render import (
    _jpeg,
    render_page,
    write_docx,
    write_encrypted_pdf,
    write_executable_as_pdf,
    write_image,
    write_png_bomb,
    write_random,
    write_scanned_pdf,
    write_text_pdf,
    write_truncated_pdf,
    write_txt,
    write_zip,
)

__all__ = [
    "BODY",
    "LETTERHEAD",
    "LINES_PER_PAGE",
    "SampleDoc",
    "_jpeg",
    "all_samples",
    "berita_acara",
    "copy_tree",
    "demo_inbox",
    "formulir_with_nik",
    "hostile_files",
    "keputusan",
    "long_document",
    "notulen",
    "render_page",
    "sop",
    "surat",
    "write_docx",
    "write_encrypted_pdf",
    "write_executable_as_pdf",
    "write_image",
    "write_png_bomb",
    "write_random",
    "write_scanned_pdf",
    "write_text_pdf",
    "write_truncated_pdf",
    "write_txt",
    "write_zip",
]
