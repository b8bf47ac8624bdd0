"""Custody of the paper originals (SOP 25/2021, procedure A): who handed a document over
to the PPID (:mod:`archive.custody.handover`) and where its hardcopy is kept
(:mod:`archive.custody.hardcopy`). Both write their catalog event in the same
transaction as their own row, through the catalog's functions.

Error messages are in Bahasa Indonesia: they are shown to the person as they are.
"""

from __future__ import annotations

from archive.errors import ArchiveError, NotFound


class CustodyError(ArchiveError):
    """A custody record refused; the message says what to fix."""


class InvalidCustody(CustodyError):
    """A field is missing or wrong."""


class UnknownDocument(CustodyError, NotFound):
    pass
