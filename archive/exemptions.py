"""The exemption register: an entry's way from proposal to publication and on to expiry.

The lifecycle is an explicit state machine (``archive.exemption_rules.TRANSITIONS``):

    draf -> uji_konsekuensi -> menunggu_persetujuan -> ditetapkan -> dipublikasikan
         <-> tinjauan -> kedaluwarsa | dicabut | dibatalkan   (documents become terbuka)

Each step is one method that checks its guards and writes the state change, its
append-only event and any document access change in ONE transaction. The actor
(username, role) is always passed in: the web app passes the signed-in user, the Prefect
``approve`` flow the approver who answered it, scheduled flows a named system actor.
Steps return an :class:`Outcome` naming the documents whose access changed, for the
caller to re-index (the index is derived and lives in another package).
"""

from __future__ import annotations

from archive.exemption_lifecycle import REVIEW_EVERY_MONTHS, LifecycleSteps
from archive.exemption_proposal import ProposalSteps
from archive.exemption_records import (
    DEFAULT_APPROVERS,
    FINAL,
    PUBLISHED,
    SYSTEM_ROLE,
    Actor,
    ApprovalsMissing,
    DocumentsChanged,
    Draft,
    Entry,
    EntryEvent,
    ExemptionError,
    InvalidEntry,
    InvalidPeriod,
    LegalBasis,
    LinkedDocument,
    MissingLegalBasis,
    NotAllowed,
    Outcome,
    Period,
    RedactionSpec,
    Region,
    SelfApproval,
    TransitionRefused,
    UnknownDocument,
    UnknownEntry,
    parse_period,
)
from archive.exemption_rules import TRANSITIONS, allowed_steps, check_transition, missing_approvers


class ExemptionRegister(ProposalSteps, LifecycleSteps):
    """Proposal-to-decree steps and after-decree steps over one set of tables."""


__all__ = [
    "DEFAULT_APPROVERS",
    "FINAL",
    "PUBLISHED",
    "REVIEW_EVERY_MONTHS",
    "SYSTEM_ROLE",
    "TRANSITIONS",
    "Actor",
    "ApprovalsMissing",
    "DocumentsChanged",
    "Draft",
    "Entry",
    "EntryEvent",
    "ExemptionError",
    "ExemptionRegister",
    "InvalidEntry",
    "InvalidPeriod",
    "LegalBasis",
    "LinkedDocument",
    "MissingLegalBasis",
    "NotAllowed",
    "Outcome",
    "Period",
    "RedactionSpec",
    "Region",
    "SelfApproval",
    "TransitionRefused",
    "UnknownDocument",
    "UnknownEntry",
    "allowed_steps",
    "check_transition",
    "missing_approvers",
    "parse_period",
]
