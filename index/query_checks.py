"""The query language's lexical check, run before Whoosh parses a query.

Whoosh's parser never fails: ``"unclosed``, a lone ``AND`` or ``title:`` silently become
ordinary words, so the user never learns why nothing matched. These checks raise
``QueryError`` with a message a person can act on (and a code the web app translates).
"""

from __future__ import annotations

import re

from index.errors import QueryError

MAX_FUZZY = 2
MIN_WILDCARD_PREFIX = 2
QUERY_FIELDS = frozenset({"title"})
MAX_QUERY_CHARS = 500
_LEXEME = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
_BINARY = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE"})
_OPERATORS = _BINARY | {"NOT"}
_WORD_CHAR = re.compile(r"\w")
_FIELD = re.compile(r"^(\w+):(.*)$")
_FUZZY = re.compile(r"~(\d+)")
_SLOP = re.compile(r"~[1-9]\d*")


def _check_parens_and_quotes(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError(
            'unclosed quote: add the closing " or remove the opening one', code="unclosed_quote"
        )
    depth = 0
    for char in _LEXEME.findall(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("')' without a matching '('", code="unopened_paren")
    if depth:
        raise QueryError("unclosed '(': add the closing ')'", code="unclosed_paren")
    if re.search(r"\(\s*\)", text):
        raise QueryError(
            "empty parentheses '()': put words inside or remove them", code="empty_parens"
        )


def _is_operand(lexeme: str | None, *, closing: bool) -> bool:
    """Something searchable: a word with a letter or digit, a phrase, or a group edge."""
    if lexeme is None or lexeme in _OPERATORS:
        return False
    if lexeme in "()":
        return lexeme == (")" if closing else "(")
    return lexeme.startswith('"') or bool(_WORD_CHAR.search(lexeme))


def _check_operators(lexemes: list[str]) -> None:
    for i, lexeme in enumerate(lexemes):
        before = lexemes[i - 1] if i else None
        after = lexemes[i + 1] if i + 1 < len(lexemes) else None
        if lexeme in _BINARY:
            if not _is_operand(before, closing=True):
                raise QueryError(
                    f"{lexeme} needs a word before it, e.g. 'pemilu {lexeme} pilkada'",
                    code="operator_needs_word_before",
                    operator=lexeme,
                )
            if not (after == "NOT" or _is_operand(after, closing=False)):
                raise QueryError(
                    f"{lexeme} needs a word after it, e.g. 'pemilu {lexeme} pilkada'",
                    code="operator_needs_word_after",
                    operator=lexeme,
                )
        elif lexeme == "NOT" and not _is_operand(after, closing=False):
            raise QueryError(
                "NOT needs a word after it, e.g. 'pemilu NOT pilkada'",
                code="operator_needs_word_after",
                operator="NOT",
            )


def _check_word(lexeme: str, glued: bool, after_phrase: bool = False) -> None:
    """``glued``: the next lexeme follows without a space (``title:"..."``, ``title:(``);
    ``after_phrase``: this one follows a phrase without a space (``"..."~3``)."""
    if after_phrase and _SLOP.fullmatch(lexeme):
        return  # a phrase's slop, not a fuzzy distance
    if lexeme.startswith('"'):
        if not lexeme.strip('"').strip():
            raise QueryError('empty phrase "": put words between the quotes', code="empty_phrase")
        return
    field = _FIELD.match(lexeme)
    if field and field.group(1).lower() in QUERY_FIELDS and not field.group(2) and not glued:
        raise QueryError(
            f"'{field.group(1)}:' needs a word right after the colon, e.g. 'title:pemilu'",
            code="field_needs_word",
            field=field.group(1),
        )
    fuzzy = _FUZZY.search(lexeme)
    if fuzzy and int(fuzzy.group(1)) > MAX_FUZZY:
        raise QueryError(
            f"'{lexeme}': the fuzzy distance after ~ must be 1 or 2",
            code="fuzzy_distance",
            word=lexeme,
        )
    body = field.group(2) if field else lexeme
    star = body.find("*")
    if 0 <= star < MIN_WILDCARD_PREFIX:
        raise QueryError(
            f"'{lexeme}': put at least {MIN_WILDCARD_PREFIX} letters before *, e.g. 'pemil*'",
            code="wildcard_prefix",
            word=lexeme,
            letters=MIN_WILDCARD_PREFIX,
        )


def validate(text: str) -> None:
    """Raise ``QueryError`` for the mistakes Whoosh would silently swallow."""
    _check_parens_and_quotes(text)
    matches = list(_LEXEME.finditer(text))
    _check_operators([match.group(0) for match in matches])
    previous = None
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        glued = following is not None and following.start() == match.end()
        after_phrase = (
            previous is not None
            and previous.group(0).startswith('"')
            and previous.end() == match.start()
        )
        _check_word(match.group(0), glued, after_phrase)
        previous = match
