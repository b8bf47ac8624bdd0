"""Kept for callers of the old path; the code lives in :mod:`tasks.text.classify`."""

from tasks.text.classify import (
    DEFAULT_RULES_PATH,
    Classification,
    Rule,
    Rules,
    classify,
    load_rules,
)

__all__ = ["DEFAULT_RULES_PATH", "Classification", "Rule", "Rules", "classify", "load_rules"]
