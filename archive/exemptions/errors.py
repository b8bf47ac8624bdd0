"""The register's refusals. Messages are in Bahasa Indonesia and shown to the person as
they are, so each one says what to do next."""

from __future__ import annotations

from archive.errors import ArchiveError, NotFound


class ExemptionError(ArchiveError):
    """Base of the register's refusals; the message is for the person who asked."""


class UnknownEntry(ExemptionError, NotFound):
    pass


class UnknownDocument(ExemptionError, NotFound):
    pass


class InvalidEntry(ExemptionError):
    """A field of the entry (or of the step's input) is missing or wrong."""


class MissingLegalBasis(InvalidEntry):
    pass


class InvalidPeriod(InvalidEntry):
    pass


class TransitionRefused(ExemptionError):
    """The entry is not in a state (or not yet at the point) that allows this step."""


class NotAllowed(ExemptionError):
    """The actor's role may not do this."""


class SelfApproval(NotAllowed):
    pass


class ApprovalsMissing(TransitionRefused):
    pass


class DocumentsChanged(ExemptionError):
    """What the approver was shown is not what the entry holds now."""
