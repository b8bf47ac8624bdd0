"""Errors of the archive and catalog."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error raised by ``archive``."""


class IntegrityFailure(ArchiveError):
    """A checkpoint found bytes on disk that differ from what was meant to be written.

    Never handled quietly: the inbox file stays where it is and the run fails loudly.
    """


class CatalogUnavailable(ArchiveError):
    """The catalog database cannot be reached or is locked; worth a retry."""


class NotFound(ArchiveError):
    """No document with that id (or the caller's role may not see it)."""
