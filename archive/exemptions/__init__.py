"""The exemption register (Daftar Informasi yang Dikecualikan): an entry's way from
proposal to publication and on to its end, as one transition table
(:mod:`archive.exemptions.lifecycle`) that the register enforces and the web app draws.

Modules: ``records`` (the model), ``step_io`` (what a step is given and returns),
``errors``, ``rules`` (what the consequence test must hold, which approvals count),
``lifecycle`` (the table), ``steps`` (what each step changes), ``store`` (tables),
``register`` (the one class), ``bases`` (legal bases as data), ``dik`` (the public
list's rows). Import from here.
"""

from __future__ import annotations

from archive.exemptions.bases import LegalBases
from archive.exemptions.dik import COLUMNS, DikRow, copied_documents, dik_csv, dik_rows
from archive.exemptions.errors import (
    ApprovalsMissing,
    DocumentsChanged,
    ExemptionError,
    InvalidEntry,
    InvalidPeriod,
    MissingLegalBasis,
    NotAllowed,
    SelfApproval,
    TransitionRefused,
    UnknownDocument,
    UnknownEntry,
)
from archive.exemptions.lifecycle import (
    APPROVED,
    EVENT_NAMES,
    STAGE_NAMES,
    STEPS,
    Situation,
    Step,
    stage,
)
from archive.exemptions.records import (
    DEFAULT_APPROVERS,
    FINAL,
    IN_FORCE,
    PROPOSED,
    PUBLISHED,
    STATUS_NAMES,
    Actor,
    Draft,
    Entry,
    EntryEvent,
    LegalBasis,
    LinkedDocument,
    Period,
    RedactionSpec,
    Region,
)
from archive.exemptions.register import EntryView, ExemptionRegister
from archive.exemptions.rules import missing_approvers
from archive.exemptions.step_io import AccessChange, PublicCopy, StepArgs, StepResult
from archive.exemptions.steps import REVIEW_EVERY_MONTHS

__all__ = [
    "APPROVED",
    "COLUMNS",
    "DEFAULT_APPROVERS",
    "EVENT_NAMES",
    "FINAL",
    "IN_FORCE",
    "PROPOSED",
    "PUBLISHED",
    "REVIEW_EVERY_MONTHS",
    "STAGE_NAMES",
    "STATUS_NAMES",
    "STEPS",
    "AccessChange",
    "Actor",
    "ApprovalsMissing",
    "DikRow",
    "DocumentsChanged",
    "Draft",
    "Entry",
    "EntryEvent",
    "EntryView",
    "ExemptionError",
    "ExemptionRegister",
    "InvalidEntry",
    "InvalidPeriod",
    "LegalBases",
    "LegalBasis",
    "LinkedDocument",
    "MissingLegalBasis",
    "NotAllowed",
    "Period",
    "PublicCopy",
    "RedactionSpec",
    "Region",
    "SelfApproval",
    "Situation",
    "Step",
    "StepArgs",
    "StepResult",
    "TransitionRefused",
    "UnknownDocument",
    "UnknownEntry",
    "copied_documents",
    "dik_csv",
    "dik_rows",
    "missing_approvers",
    "stage",
]
