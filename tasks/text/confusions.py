"""The one table of OCR character confusions (Tesseract's Debian ``ind`` model).

Every reader in ``tasks.text`` (and anything else that must see through OCR damage) takes
its look-alikes from here, at one of three strengths:

- ``fold_letters``: for matching words, each character becomes the capital letter it is
  usually a misreading of (``0``->``O``, ``1``/``l``/``|``->``I``, ``5``->``S``, ``H``->``B``).
- ``code_digits``: inside document numbers, where letters are real codes (``SD``, ``B``,
  ``Kpts``), only the near-certain ``O``/``o`` -> ``0`` and ``I``/``l``/``|`` -> ``1``.
- ``all_digits``: where the field can only be digits (a NIK, the ``n`` of ``NOMOR n TAHUN``),
  every letter that looks like a digit.
"""

from __future__ import annotations

import re

__all__ = [
    "ALL_DIGIT_CHARS",
    "CODE_DIGIT_CHARS",
    "LETTER_FOLD",
    "all_digits",
    "code_digits",
    "fix_code_word",
    "fold_letters",
]

# canonical digit -> what OCR writes for it; the first group is the "code" strength.
_DIGIT_LOOKALIKES: dict[str, tuple[str, str]] = {
    "0": ("Oo", "QD"),
    "1": ("Il|", "i!L"),
    "2": ("", "Zz"),
    "5": ("", "Ss"),
    "6": ("", "G"),
    "8": ("", "B"),
}
# capital letter -> characters OCR writes for it (digits included), for word matching.
_LETTER_LOOKALIKES: dict[str, str] = {
    "O": "0Q",
    "I": "1L|!",
    "U": "V",
    "S": "5",
    "B": "8H",
    "G": "6",
}
# Whole code words the model garbles the same way every time.
_CODE_WORDS = {"kah": "kab"}

CODE_DIGIT_CHARS = "".join(code for code, _ in _DIGIT_LOOKALIKES.values())
ALL_DIGIT_CHARS = CODE_DIGIT_CHARS + "".join(wide for _, wide in _DIGIT_LOOKALIKES.values())

_CODE = str.maketrans(
    CODE_DIGIT_CHARS, "".join(d * len(code) for d, (code, _) in _DIGIT_LOOKALIKES.items())
)
_ALL = str.maketrans(
    ALL_DIGIT_CHARS,
    "".join(d * len(code) for d, (code, _) in _DIGIT_LOOKALIKES.items())
    + "".join(d * len(wide) for d, (_, wide) in _DIGIT_LOOKALIKES.items()),
)
LETTER_FOLD = str.maketrans(
    "".join(_LETTER_LOOKALIKES.values()),
    "".join(letter * len(chars) for letter, chars in _LETTER_LOOKALIKES.items()),
)
_ROMAN = re.compile(r"[IVXL]+")
_DIGITISH = re.compile(rf"[0-9{re.escape(CODE_DIGIT_CHARS)}]+")
_PREFIXED = re.compile(rf"(?P<prefix>[A-Za-z]+?)(?P<run>[0-9{re.escape(CODE_DIGIT_CHARS)}]+)")


def fold_letters(text: str) -> str:
    """Upper-case text with every look-alike replaced by the letter it stands for."""
    return text.translate(LETTER_FOLD)


def code_digits(token: str) -> str:
    """A numeric token of a document number with ``O``/``I``/``l`` read as digits."""
    return token.translate(_CODE)


def all_digits(token: str) -> str:
    """A token that can only be digits, with every digit look-alike read as one."""
    return token.translate(_ALL)


def fix_code_word(word: str) -> str:
    """One ``/``-, ``.``- or ``-``-separated word of a document number, OCR damage undone.

    A word of digits and look-alikes is a number (``2O2O``, ``l``) unless it is a Roman
    numeral month; after a letter prefix (``KPO6O2``) only a run holding a real digit is.
    Letters alone (``SD``, ``Sj``, ``So``) are codes. ``Kah`` is always ``Kab``.
    """
    if (fixed := _CODE_WORDS.get(word.lower())) is not None:
        return "".join(f.upper() if c.isupper() else f for c, f in zip(word, fixed, strict=True))
    if _ROMAN.fullmatch(word):
        return word
    if _DIGITISH.fullmatch(word):
        return code_digits(word)
    m = _PREFIXED.fullmatch(word)
    if m is None or not any(ch.isdigit() for ch in m["run"]):
        return word
    return m["prefix"] + code_digits(m["run"])
