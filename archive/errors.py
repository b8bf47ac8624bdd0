"""Errors of the archive and catalog."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error raised by ``archive``."""

    exit_code = 1


class IntegrityFailure(ArchiveError):
    """A checkpoint found bytes on disk that differ from what was meant to be written.

    Never handled quietly: the inbox file stays where it is and the run fails loudly.
    """

    exit_code = 5


class CatalogUnavailable(ArchiveError):
    """The catalog database cannot be reached or is locked; worth a retry."""

    exit_code = 6


class NotFound(ArchiveError):
    """No document with that id (or the caller's role may not see it)."""

    exit_code = 3


class SchemaError(ArchiveError):
    """The catalog database's schema is not the one this release works with."""

    exit_code = 8


class SchemaOutdated(SchemaError):
    """An older schema: nothing is changed until someone runs ``arsip migrate``."""


class SchemaTooNew(SchemaError):
    """A schema written by a newer release than this one."""


class NotACatalog(SchemaError):
    """The database holds tables, but not an arsip catalog this release recognises."""
