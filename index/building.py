"""Whoosh writers tuned for building a whole index at once (``rebuild``).

Postings are gathered by term in ``index.posting_pool.GroupedPool``. When the segment is
written, Whoosh looks up the document's field length for every posting, through a seek
and read in the lengths column, and adds each posting to the block being written through
a method that type-checks it; ``BuildWriter`` reads each field's lengths once into a list
and fills a term's blocks a block at a time. The files written are byte for byte those of
Whoosh's ``SegmentWriter`` with the same codec (tests/index/test_building).

Worker processes, each writing a segment with a ``BuildWriter``, are in ``index.parallel``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter  # type: ignore[import-untyped]
from whoosh.util import random_name  # type: ignore[import-untyped]
from whoosh.writing import SegmentWriter  # type: ignore[import-untyped]

from index.posting_pool import GroupedPool, Key, Postings

# zlib level of the posting blocks: 1 compresses a block of positions about 5 % less
# than Whoosh's default 3, in three quarters of the time (readers read either). Stored
# uncompressed (0), the index of bench_index's 10,000 documents took 974 MB instead of
# 388, for no faster search or build (measured side by side, 2026-12-03).
COMPRESSION = 1


class _Lengths:
    """A per-document reader's field lengths, read once per field into memory."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._count = int(reader.doc_count_all())
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        return self.field(fieldname)[docnum]

    def field(self, fieldname: str) -> list[int]:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = [read(n, fieldname, 0) for n in range(self._count)]
            self._fields[fieldname] = lengths
        return lengths


class BuildWriter(SegmentWriter):  # type: ignore[misc]
    """``SegmentWriter`` with ``GroupedPool`` and in-memory field lengths."""

    def __init__(self, ix: Any, limitmb: int = 128, **options: Any) -> None:
        options.setdefault("codec", W3Codec(compression=COMPRESSION))
        super().__init__(ix, limitmb=limitmb, **options)
        # Whoosh names every writer's scratch directory "<index>.tmp" and deletes it when
        # the writer ends: writers building one index side by side (index.parallel) would
        # delete each other's runs. Each gets its own.
        self._tempstorage = self.storage.temp_storage(f"{self.indexname}.{random_name()}.tmp")
        # Whoosh accepts a poolclass argument but ignores it.
        self.pool = GroupedPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def add_document(self, **fields: Any) -> None:
        """``SegmentWriter.add_document`` for this index's fields (no spelling words, no
        term vectors), each field's postings handed to the pool in one call."""
        self._check_state()
        docnum, schema, writer = self.docnum, self.schema, self.perdocwriter
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        docboost = self._doc_boost(fields)
        writer.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                if field.separate_spelling() or field.vector:
                    raise NotImplementedError(f"BuildWriter: field {name} needs Whoosh's path")
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    length = self.pool.add_field(
                        name, docnum, field.index(value), boost, field.scorable
                    )
                stored = fields.get(f"_stored_{name}", value)
                writer.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    writer.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            writer.cancel_doc()
            raise
        writer.finish_doc()
        self._added = True
        self.docnum += 1

    def finish_segment(self) -> Any:
        """Write the segment and return it without committing (a worker's part of a build:
        the process that started the workers commits all of them at once)."""
        try:
            return self._finalize_segment()
        finally:
            self._tempstorage.destroy()
            self.is_closed = True

    def _flush_segment(self) -> None:
        # SegmentWriter._flush_segment, with the lengths read through _Lengths and, for
        # Whoosh's own codec, the postings written a block at a time.
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader) if reader is not None else None
        try:
            writer = self.fieldwriter
            if lengths is not None and type(writer) is W3FieldWriter:
                _write_terms(writer, self.schema, lengths, self.pool.terms())
            else:
                writer.add_postings(self.schema, lengths, self.pool.iter_postings())
            writer.close()
        finally:
            if reader is not None:
                reader.close()


def _write_terms(
    writer: Any, schema: Any, lengths: _Lengths, terms: Iterable[tuple[Key, Postings]]
) -> None:
    """``FieldWriter.add_postings`` for grouped postings: the same calls and the same
    bytes, but each block's postings are added to the ``W3PostingsWriter`` buffer together
    instead of through ``add_posting`` one by one (which checks and appends each)."""
    current = None
    field_lengths: list[int] = []
    for (fieldname, text), (all_ids, all_weights, all_values) in terms:
        if fieldname != current:
            if current is not None:
                writer.finish_field()
            writer.start_field(fieldname, schema[fieldname])
            current = fieldname
            field_lengths = lengths.field(fieldname)
        writer.start_term(text)
        block = writer._postwriter
        limit = block._blocklimit
        for start in range(0, len(all_ids), limit):
            if start:
                block._write_block()  # add_posting writes a full block before adding more
            docnums = all_ids[start : start + limit]
            weights = all_weights[start : start + limit]
            block._ids.extend(docnums)
            block._weights.extend(weights)
            block._maxweight = max(block._maxweight, *weights)
            block._values.extend([value for value in all_values[start : start + limit] if value])
            found = [n for n in map(field_lengths.__getitem__, docnums) if n]
            if found:
                shortest, longest = min(found), max(found)
                if block._minlength is None or shortest < block._minlength:
                    block._minlength = shortest
                block._maxlength = max(block._maxlength, longest)
        writer.finish_term()
