"""One index bucket: the passages of a group of documents, written as one Whoosh segment.

The index is a list of buckets (a document's bucket is a hash of its id), each one compound
Whoosh segment plus a sidecar (``buckets/<segment>.pkl``, a zlib-compressed pickle) with what the
query side needs per passage (document, kind, year, order within the document, field lengths,
entity and label pairs); beside it the bucket's word counts (``.counts.pkl``, compressed too) and
its phrase table (:mod:`indexer.phrase_table`: the keys of each passage's word bigrams,
:func:`indexer.analysis.shingle_key`, with their passages, which the searcher maps per bucket; a
Whoosh field of bigrams was two thirds of the index).  Sidecars use stable keys (document and
entity ids), not positions in the global lists, so an unchanged bucket's files can be reused by
hard link in the next generation; :mod:`indexer.build` maps them to positions when it assembles
``arrays.npz``.

Buckets are written in worker processes (both cores), each into a private scratch index whose
one segment file is then moved into the index folder.  The scratch index is created with a
light schema (no vocabulary) so the vocabulary is pickled once, into the final TOC, not once per
bucket; the writer is then given the real schema before any document is added.  The segment is
written with :class:`indexer.codec.LeanCodec`, its postings kept per term in memory
(:class:`indexer.codec.TermLists`: a bucket's are a few tens of MB) and written a term at a time.
"""
from __future__ import annotations

import os
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
from whoosh import index as windex
from whoosh.index import TOC
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer import phrase_table
from indexer.analysis import ShingleAnalyzer, Vocabulary, shingle_key, vocabulary_counts
from indexer.codec import LeanCodec, TermLists, flush_segment
from indexer.entities import AliasMatcher
from indexer.schema import (TEXT_FIELDS, make_schema, pack_passage, passage_lead, passages_for_section,
                            section_heading)
from indexer.statement_kinds import KINDS, passage_kinds, section_spans
from kb.store_rows import body_text
from settings import IndexOptions

INDEX_NAME = "MAIN"
SIDECAR_DIR = "buckets"
COUNTS_SUFFIX = ".counts.pkl"
#: zlib level of the pickled sidecars and word counts (6: near the best size, fast to write).
SIDECAR_ZLIB_LEVEL = 6


def bucket_of(doc_id: str, n_buckets: int) -> int:
    """The bucket of a document: stable across builds and processes."""
    return zlib.crc32(doc_id.encode("utf-8")) % max(1, n_buckets)


def _salience(ent_mentions: list[int], passage_len: int, in_title: bool) -> int:
    """Integer salience of one entity in one passage (repeat count in the ``salience`` field)."""
    s = min(len(ent_mentions), 4)
    if in_title:
        s += 3
    if ent_mentions and min(ent_mentions) < min(200, max(40, passage_len // 4)):
        s += 1
    return max(1, s)


def document_word_counts(store, doc_ids: Iterable[str]) -> dict[str, int]:
    """Folded word counts of the documents' section titles and texts and document titles."""
    def texts() -> Iterator[str]:
        for doc_id in doc_ids:
            doc = store.conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if doc:
                yield doc[0]
            for r in store.conn.execute("SELECT title, body FROM sections WHERE document_id = ?", (doc_id,)):
                yield f"{r[0]}\n{body_text(r[1])}"

    return vocabulary_counts(texts())


def document_passages(store, doc: dict[str, Any], ents: dict[str, dict], matcher: AliasMatcher,
                      options: IndexOptions):
    """(Whoosh fields, entity ids, labels, order within the document, statement kinds -> count) of every
    passage of one document; the indexed text is the fields' ``text``."""
    doc_id = doc["id"]
    by_section: dict[str, list[tuple]] = {}
    for m in store.conn.execute(
            "SELECT entity_id, section_id, start, end FROM mentions WHERE document_id = ? AND entity_id IS NOT NULL",
            (doc_id,)):
        if m[0] in ents:
            by_section.setdefault(m[1], []).append(m)
    stmt_spans = section_spans(store.conn, doc_id)
    for sec in store.sections(doc_id):
        heading = section_heading(sec)
        title_ents = {m.entity_id for m in matcher.find(heading)} if heading else set()
        sec_mentions = by_section.get(sec["id"], [])
        path = list(sec.get("path") or [])
        ancestors = " / ".join(path[:-1]) if len(path) > 1 else ""
        for p in passages_for_section(sec, options):
            lead = passage_lead(p)
            shift = len(lead)
            per_ent: dict[str, list[int]] = {}
            spans: list[tuple[int, int, str]] = []
            for eid, _sid, start, end in sec_mentions:
                if p.char_start <= start < max(p.char_end, p.char_start + 1):
                    s0 = start - p.char_start + shift
                    per_ent.setdefault(eid, []).append(s0)
                    spans.append((s0, min(end - p.char_start + shift, len(p.text)), eid))
            for eid in title_ents:
                per_ent.setdefault(eid, [])
            sal = {eid: _salience(offs, len(p.text), eid in title_ents) for eid, offs in per_ent.items()}
            ent_ids = sorted(sal)
            labels = sorted({ents[e]["label"] for e in ent_ids})
            names = " ; ".join(" ; ".join([ents[e]["name"], *ents[e]["aliases"]]) for e in ent_ids)
            within = int(sec["ord"]) * 10**4 + p.n
            fields = dict(
                document_title=doc["title"], title=heading, path=ancestors, text=p.indexed,
                salience=" ".join(e for e in ent_ids for _ in range(sal[e])), entity_names=names,
                # split: a window of a split section (kb.passage_ids)
                passage=pack_passage(lead, p.id != p.section_id, p.block_start, p.block_end, p.char_start,
                                     p.char_end, sorted(spans)),
            )
            if options.compounds == "field":
                fields["compounds"] = p.indexed
            yield fields, ent_ids, labels, within, passage_kinds(stmt_spans.get(sec["id"], []), p.char_start,
                                                                 p.char_end)


def write_bucket(store, index_dir: Path, bucket: int, doc_ids: list[str], schema, ents: dict[str, dict],
                 matcher: AliasMatcher, options: IndexOptions,
                 counts: dict[str, int] | None = None, on_passage=None) -> dict[str, Any]:
    """Write the passages of ``doc_ids`` as one segment into ``index_dir`` and its sidecar;
    returns {"bucket", "segment" (Whoosh segment object), "sidecar" (file name), "passages"}."""
    scratch = index_dir / f".scratch-{bucket}-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        light = make_schema(Vocabulary(), options)
        ix = windex.create_in(str(scratch), light, indexname=INDEX_NAME)
        writer = ix.writer(codec=LeanCodec())
        writer.pool = TermLists()  # postings kept per term, written by flush_segment
        writer.schema = schema  # the real analyzers (with the vocabulary) from here on
        scored = [f for f in TEXT_FIELDS if f in schema.names()] + ["salience"]
        current: dict[str, int] = {}
        lengths: dict[str, list[float]] = {f: [] for f in schema.names()}
        _capture_lengths(writer, current, lengths)
        docs = {r["id"]: r for r in _document_rows(store, doc_ids)}
        doc_keys, kinds, rows, ent_pairs, label_pairs, stmt_rows = [], [], [], [], [], []
        shingler = ShingleAnalyzer(schema["text"].analyzer)
        shingle_rows: list[tuple[int, int]] = []
        ent_keys: dict[str, int] = {}
        label_keys: dict[str, int] = {}
        n = 0
        try:
            for doc_id in doc_ids:
                doc = docs.get(doc_id)
                if doc is None:
                    continue
                d_local = len(doc_keys)
                doc_keys.append(doc_id)
                kind = doc.get("kind") or ""
                if kind not in kinds:
                    kinds.append(kind)
                for fields, ent_ids, labels, within, stmt_kinds in document_passages(store, doc, ents, matcher,
                                                                                     options):
                    current.clear()
                    writer.add_document(**fields)
                    shingle_rows.extend((k, n) for k in {shingle_key(b) for b in shingler.shingles(fields["text"])})
                    for f, col in lengths.items():
                        col.append(byte_to_length(length_to_byte(current[f])) if current.get(f) else 0)
                    rows.append((d_local, kinds.index(kind), int(doc.get("year") or 0), within))
                    ent_pairs.extend((n, ent_keys.setdefault(e, len(ent_keys))) for e in ent_ids)
                    label_pairs.extend((n, label_keys.setdefault(l, len(label_keys))) for l in labels)
                    stmt_rows.extend((n, KINDS.index(k), c) for k, c in stmt_kinds.items())
                    n += 1
                    if on_passage is not None:
                        on_passage()
            segment = flush_segment(writer, lengths) if n else None
        finally:
            writer._finish()
        seg_files = []
        if segment is not None:
            for name in os.listdir(scratch):
                if name.startswith(segment.segment_id() + "."):
                    os.replace(scratch / name, index_dir / name)
                    seg_files.append(name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if counts is None:
        counts = document_word_counts(store, doc_ids)
    arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
    sidecar = {
        "bucket": bucket, "doc_ids": doc_keys, "kinds": kinds, "entities": list(ent_keys), "labels": list(label_keys),
        "doc": arr[:, 0].astype(np.int32), "kind": arr[:, 1].astype(np.int32), "year": arr[:, 2].astype(np.int32),
        "within": arr[:, 3], "ent_pairs": np.array(ent_pairs, dtype=np.int32).reshape(-1, 2),
        "label_pairs": np.array(label_pairs, dtype=np.int32).reshape(-1, 2),
        "stmt_rows": np.array(stmt_rows, dtype=np.int32).reshape(-1, 3),
        "lengths": {f: np.array(lengths[f], dtype=np.float32) for f in scored},
        "segment_files": seg_files,
    }
    (index_dir / SIDECAR_DIR).mkdir(exist_ok=True)
    name = f"b{bucket:04d}-{segment.segment_id() if segment is not None else 'empty'}.pkl"
    _dump(index_dir / SIDECAR_DIR / name, sidecar)
    # word counts apart: only a build that rewrites this bucket reads them
    _dump(index_dir / SIDECAR_DIR / _with_suffix(name, COUNTS_SUFFIX), counts)
    keys = np.array([k for k, _ in shingle_rows], dtype=np.uint64)
    docs = np.array([d for _, d in shingle_rows], dtype=np.int64)
    phrase_table.save(index_dir / SIDECAR_DIR / name[:-len(".pkl")], keys, docs, n)
    return {"bucket": bucket, "segment": segment, "sidecar": name, "passages": n}


def _with_suffix(sidecar: str, suffix: str) -> str:
    return sidecar[:-len(".pkl")] + suffix


def sidecar_files(sidecar: str) -> list[str]:
    """The files of one bucket's sidecar, relative to the index folder."""
    return [f"{SIDECAR_DIR}/{n}" for n in (sidecar, *(_with_suffix(sidecar, s) for s in
                                                       (COUNTS_SUFFIX, *phrase_table.SUFFIXES)))]


def _dump(path: Path, obj: Any) -> None:
    """Pickle ``obj`` compressed: sidecars and word counts are read only when an index is assembled
    or rebuilt incrementally, and zlib halves them (a tenth of the index on disk otherwise)."""
    path.write_bytes(zlib.compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), SIDECAR_ZLIB_LEVEL))


def _load(path: Path) -> Any:
    return pickle.loads(zlib.decompress(path.read_bytes()))


def read_counts(index_dir: Path, sidecar: str) -> dict[str, int]:
    """The word counts of one bucket."""
    return _load(index_dir / SIDECAR_DIR / _with_suffix(sidecar, COUNTS_SUFFIX))


def shingle_table(index_dir: Path, sidecar: str) -> phrase_table.PhraseTable:
    """One bucket's phrase table, mapped (:mod:`indexer.phrase_table`)."""
    return phrase_table.PhraseTable(index_dir / SIDECAR_DIR / sidecar[:-len(".pkl")])


def _document_rows(store, doc_ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for i in range(0, len(doc_ids), 500):
        part = doc_ids[i:i + 500]
        q = "SELECT id, title, kind, year FROM documents WHERE id IN (%s)" % ",".join("?" * len(part))
        out.extend(dict(r) for r in store.conn.execute(q, part))
    return out


#: a field length per one-byte code (Whoosh's rounding of field lengths, strictly increasing)
LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def length_codes(lengths: np.ndarray) -> np.ndarray:
    """The one-byte codes of field lengths that are already rounded as Whoosh rounds them
    (``byte_to_length(length_to_byte(n))``, as :func:`write_bucket` records them)."""
    codes = np.searchsorted(LENGTH_TABLE, lengths).astype(np.uint8)
    if not np.array_equal(LENGTH_TABLE[codes], lengths):
        raise ValueError("field lengths not rounded to Whoosh's one-byte lengths")
    return codes


def _capture_lengths(writer, current: dict[str, int], lengths: dict[str, list[float]]) -> None:
    """Record each field's token count as the writer stores it (BM25F length normalisation and the
    posting blocks' statistics, :func:`indexer.codec.flush_segment`)."""
    add_field = writer.perdocwriter.add_field

    def add_field_recorded(fieldname, fieldobj, value, length):
        current[fieldname] = length
        return add_field(fieldname, fieldobj, value, length)

    writer.perdocwriter.add_field = add_field_recorded


def read_sidecar(index_dir: Path, name: str) -> dict[str, Any]:
    """One bucket's sidecar (see the module docstring)."""
    return _load(index_dir / SIDECAR_DIR / name)


def write_toc(index_dir: Path, schema, segments: list, generation: int = 1) -> None:
    """Write the index's table of contents: the schema (with the vocabulary) and the segments."""
    from whoosh.filedb.filestore import FileStorage

    TOC(schema, segments, generation).write(FileStorage(str(index_dir)), INDEX_NAME)
