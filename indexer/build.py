"""Build the Whoosh passage index from the knowledge-base store.

The index is written into a fresh sibling directory (``<index>.tmp-<pid>``) and swapped in
only when complete: the old directory is renamed away, the new one renamed in, the old one
deleted.  A build that crashes or is killed half-way therefore leaves the previous index
serving; its leftover tmp directory is removed by the next build.

Besides the Whoosh segment files the index directory holds:

* ``build.json``   fingerprint of the store content + options + statistics (``index_is_current``);
* ``meta.json``    documents, kinds, entity table, labels (so a Searcher needs no store);
* ``arrays.npz``   per-docnum arrays (document, kind, year, order, field lengths, entity pairs,
                   statement-kind counts) used for fast facets, filters and BM25F scoring;
* ``words.json``   surface word counts, for spelling suggestions and fuzzy terms.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex

from indexer.analysis import build_vocabulary, vocabulary_counts
from indexer.entities import AliasMatcher
from indexer.schema import TEXT_FIELDS, make_schema, passages_for_section, section_heading
from indexer.statement_kinds import FINGERPRINT_QUERIES, KINDS, passage_kinds, section_spans
from settings import IndexOptions

#: Bump when the index layout or analysis changes: forces a rebuild.
INDEX_FORMAT = 7
BUILD_FILE = "build.json"
TMP_MARK = ".tmp-"
OLD_MARK = ".old-"


def store_fingerprint(store) -> str:
    """Content hash of everything the index is built from (documents, sections, entities, mentions)."""
    h = hashlib.sha256()
    conn = store.conn
    queries = (
        "SELECT id, sha256, fingerprint, title, kind, year FROM documents ORDER BY id",
        "SELECT id, document_id, ord, level, title, path, text, blocks FROM sections ORDER BY id",
        "SELECT id, label, name, aliases FROM entities ORDER BY id",
        "SELECT entity_id, label, section_id, start, end FROM mentions ORDER BY section_id, start, end, entity_id",
        *FINGERPRINT_QUERIES,
    )
    for sql in queries:
        for row in conn.execute(sql):
            h.update(json.dumps(list(row), ensure_ascii=False).encode("utf-8"))
            h.update(b"\x1e")
        h.update(b"\x1d")
    return h.hexdigest()


def _fingerprint(store, options: IndexOptions) -> str:
    h = hashlib.sha256()
    h.update(store_fingerprint(store).encode())
    h.update(json.dumps({"format": INDEX_FORMAT, "options": options.to_dict()}, sort_keys=True).encode())
    return h.hexdigest()


def read_build_info(index_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((Path(index_dir) / BUILD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def index_is_current(store, index_dir: Path, options: IndexOptions | None = None) -> bool:
    """True when ``index_dir`` holds a complete index built from exactly this store content with
    these options (default: the options ``build_index`` would use now)."""
    info = read_build_info(index_dir)
    if not info or info.get("format") != INDEX_FORMAT:
        return False
    opts = options or IndexOptions()
    return info.get("fingerprint") == _fingerprint(store, opts) and windex.exists_in(str(index_dir))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover
        return True
    return True


def clean_stale(index_dir: Path) -> list[Path]:
    """Remove tmp/old siblings left by builds whose process is gone."""
    removed = []
    parent = index_dir.parent
    if not parent.exists():
        return removed
    for p in parent.iterdir():
        for mark in (TMP_MARK, OLD_MARK):
            prefix = index_dir.name + mark
            if p.name.startswith(prefix):
                try:
                    pid = int(p.name[len(prefix):].split("-")[0])
                except ValueError:
                    pid = -1
                if pid != os.getpid() and not _pid_alive(pid):
                    shutil.rmtree(p, ignore_errors=True)
                    removed.append(p)
    return removed


def _salience(ent_mentions: list[int], passage_len: int, in_title: bool) -> int:
    """Integer salience of one entity in one passage (repeat count in the ``salience`` field)."""
    s = min(len(ent_mentions), 4)
    if in_title:
        s += 3
    if ent_mentions and min(ent_mentions) < min(200, max(40, passage_len // 4)):
        s += 1
    return max(1, s)


def _default_procs() -> int:
    """One writer process: on the 2-core target machine two processes (multisegment) used the
    same CPU time and no less wall time at 50,000 passages (bench/bench_search.py), and leave no
    core for the web app during a rebuild."""
    return 1


def build_index(store, index_dir: Path, *, progress: bool = True, options: IndexOptions | None = None,
                procs: int | None = None, limitmb: int = 1024) -> dict[str, Any]:
    """Build a fresh index from ``store`` and atomically replace ``index_dir``; returns statistics."""
    from tqdm import tqdm

    t0 = time.perf_counter()
    options = options or IndexOptions()
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(index_dir)
    fingerprint = _fingerprint(store, options)
    tmp = index_dir.parent / f"{index_dir.name}{TMP_MARK}{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        stats = _build_into(store, tmp, options, progress=progress, procs=procs or _default_procs(),
                            limitmb=limitmb, tqdm=tqdm)
        stats["fingerprint"] = fingerprint
        stats["format"] = INDEX_FORMAT
        stats["options"] = options.to_dict()
        stats["built_at"] = time.time()
        stats["build_seconds"] = round(time.perf_counter() - t0, 3)
        # build.json last: its presence marks a complete index
        (tmp / BUILD_FILE).write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
        _fsync_dir(tmp)
        _swap(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return stats


def _fsync_dir(path: Path) -> None:
    for p in path.iterdir():
        try:
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:  # pragma: no cover
            pass


def _swap(tmp: Path, index_dir: Path) -> None:
    old = None
    if index_dir.exists():
        old = index_dir.parent / f"{index_dir.name}{OLD_MARK}{os.getpid()}-{time.time_ns()}"
        os.rename(index_dir, old)
    os.rename(tmp, index_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _build_into(store, tmp: Path, options: IndexOptions, *, progress: bool, procs: int, limitmb: int,
                tqdm) -> dict[str, Any]:
    t0 = time.perf_counter()
    documents = {d["id"]: d for d in store.documents()}
    entities = store.entities()
    ent_table = [{"id": e["id"], "label": e["label"], "name": e["name"], "aliases": e.get("aliases") or []}
                 for e in entities]
    ent_by_id = {e["id"]: e for e in ent_table}
    matcher = AliasMatcher(ent_table)

    # pass 1: vocabulary (for compound splitting and spelling)
    conn = store.conn
    n_sections = conn.execute("SELECT COUNT(*) FROM sections").fetchone()[0]
    counts = vocabulary_counts(
        f"{r[0]}\n{r[1]}" for r in conn.execute("SELECT title, text FROM sections")
    )
    counts_docs = vocabulary_counts(d["title"] for d in documents.values())
    for w, c in counts_docs.items():
        counts[w] = counts.get(w, 0) + c
    min_count = 1 if sum(counts.values()) < 2_000_000 else 2
    vocab = build_vocabulary(counts, min_count=min_count)
    t_vocab = time.perf_counter() - t0

    schema = make_schema(vocab, options)
    ix = windex.create_in(str(tmp), schema)
    writer_kw: dict[str, Any] = {"limitmb": limitmb}
    if procs > 1:
        writer_kw.update(procs=procs, multisegment=True)
    writer = ix.writer(**writer_kw)

    doc_ids = sorted(documents, key=lambda d: (documents[d].get("year") or 0, documents[d]["title"], d))
    kinds = sorted({(documents[d].get("kind") or "") for d in doc_ids})
    kind_index = {k: i for i, k in enumerate(kinds)}
    labels = sorted({e["label"] for e in ent_table})
    label_index = {l: i for i, l in enumerate(labels)}

    pid = 0
    rows_meta: list[tuple[int, int, int, int]] = []  # pid -> doc, kind, year, order
    ent_pairs: list[tuple[int, str]] = []
    label_pairs: list[tuple[int, str]] = []
    stmt_rows: list[tuple[int, int, int]] = []  # (pid, kind index, statements of that kind)
    bar = tqdm(total=n_sections, desc="index", unit="sec", disable=not progress, mininterval=0.5)
    try:
        for d_i, doc_id in enumerate(doc_ids):
            doc = documents[doc_id]
            mentions_by_section: dict[str, list[dict]] = {}
            for m in conn.execute(
                "SELECT entity_id, label, section_id, start, end FROM mentions WHERE document_id = ?"
                " AND entity_id IS NOT NULL", (doc_id,)
            ):
                mentions_by_section.setdefault(m[2], []).append({"entity_id": m[0], "label": m[1], "start": m[3],
                                                                 "end": m[4]})
            stmt_spans = section_spans(conn, doc_id)
            kind = doc.get("kind") or ""
            year = int(doc.get("year") or 0)
            for sec in store.sections(doc_id):
                bar.update(1)
                heading = section_heading(sec)
                title_ents = {m.entity_id for m in matcher.find(heading)} if heading else set()
                sec_mentions = mentions_by_section.get(sec["id"], [])
                path = list(sec.get("path") or [])
                ancestors = " / ".join(path[:-1]) if len(path) > 1 else ""
                for p in passages_for_section(sec, options):
                    shift = len(p.text) - (p.char_end - p.char_start)
                    per_ent: dict[str, list[int]] = {}
                    spans: list[tuple[int, int, str]] = []
                    for m in sec_mentions:
                        if p.char_start <= m["start"] < max(p.char_end, p.char_start + 1):
                            if m["entity_id"] in ent_by_id:
                                s0 = m["start"] - p.char_start + shift
                                per_ent.setdefault(m["entity_id"], []).append(s0)
                                spans.append((s0, min(m["end"] - p.char_start + shift, len(p.text)), m["entity_id"]))
                    for eid in title_ents:
                        per_ent.setdefault(eid, [])
                    sal = {eid: _salience(offs, len(p.text), eid in title_ents) for eid, offs in per_ent.items()}
                    ent_ids = sorted(sal)
                    ent_labels = sorted({ent_by_id[e]["label"] for e in ent_ids})
                    names = " ; ".join(
                        " ; ".join([ent_by_id[e]["name"], *ent_by_id[e]["aliases"]]) for e in ent_ids
                    )
                    order = d_i * 10**9 + int(sec["ord"]) * 10**4 + p.n
                    fields = dict(
                        id=p.id, pid=pid, section_id=p.section_id, document=doc_id,
                        document_title=doc["title"], title=heading, _stored_title=sec["title"] or "",
                        path=ancestors, _stored_path=path,
                        text=p.indexed, _stored_text=p.text, shingles=p.indexed,
                        kind=kind, year=year, order=order,
                        entities=" ".join(ent_ids), entity_labels=" ".join(ent_labels),
                        salience=" ".join(e for e in ent_ids for _ in range(sal[e])),
                        entity_names=names,
                        block_start=p.block_start, block_end=p.block_end,
                        char_start=p.char_start, char_end=p.char_end,
                        anchor=f"p{p.block_start}" if p.block_end >= p.block_start else "",
                        spans=sorted(spans),
                    )
                    if options.compounds == "field":
                        fields["compounds"] = p.indexed
                    writer.add_document(**fields)
                    rows_meta.append((d_i, kind_index[kind], year, order))
                    ent_pairs.extend((pid, e) for e in ent_ids)
                    label_pairs.extend((pid, l) for l in ent_labels)
                    stmt_rows.extend((pid, KINDS.index(k), n) for k, n in passage_kinds(
                        stmt_spans.get(sec["id"], []), p.char_start, p.char_end).items())
                    pid += 1
    except BaseException:
        writer.cancel()
        raise
    finally:
        bar.close()
    t_add = time.perf_counter() - t0 - t_vocab
    writer.commit()
    t_commit = time.perf_counter() - t0 - t_vocab - t_add

    # per-docnum arrays
    ix = windex.open_dir(str(tmp))
    with ix.reader() as reader:
        n = reader.doc_count_all()
        pid_of = np.empty(n, dtype=np.int32)
        col = reader.column_reader("pid") if n else None  # an empty index has no column to read
        for docnum in range(n):
            pid_of[docnum] = col[docnum]
        docnum_of = np.empty(pid, dtype=np.int32)
        docnum_of[pid_of] = np.arange(n, dtype=np.int32)
        scored = [f for f in TEXT_FIELDS if f in ix.schema.names()] + ["salience"]
        lengths = {}
        for f in scored:
            arr = np.zeros(n, dtype=np.float32)
            for docnum in range(n):
                arr[docnum] = reader.doc_field_length(docnum, f, 0) or 0
            lengths[f] = arr
    meta_arr = np.array(rows_meta, dtype=np.int64).reshape(-1, 4)[pid_of]
    ent_list = [e["id"] for e in ent_table]
    ent_idx = {e: i for i, e in enumerate(ent_list)}
    ep = np.array([(docnum_of[p], ent_idx[e]) for p, e in ent_pairs], dtype=np.int32).reshape(-1, 2)
    lp = np.array([(docnum_of[p], label_index[l]) for p, l in label_pairs], dtype=np.int32).reshape(-1, 2)
    sp = np.array([(docnum_of[p], k, n) for p, k, n in stmt_rows], dtype=np.int32).reshape(-1, 3)
    np.savez(
        tmp / "arrays.npz",
        doc=meta_arr[:, 0].astype(np.int32), kind=meta_arr[:, 1].astype(np.int32),
        year=meta_arr[:, 2].astype(np.int32), order=meta_arr[:, 3].astype(np.int64),
        ent_doc=ep[:, 0], ent_idx=ep[:, 1], label_doc=lp[:, 0], label_idx=lp[:, 1],
        stmt_doc=sp[:, 0], stmt_idx=sp[:, 1], stmt_count=sp[:, 2],
        **{f"len_{f}": a for f, a in lengths.items()},
    )
    meta = {
        "documents": [{"id": d, "title": documents[d]["title"], "kind": documents[d].get("kind"),
                       "year": documents[d].get("year"), "date": documents[d].get("date")} for d in doc_ids],
        "kinds": kinds,
        "labels": labels,
        "entities": ent_table,
        "statement_kinds": list(KINDS),
    }
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    (tmp / "words.json").write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")
    t_total = time.perf_counter() - t0
    return {
        "documents": len(doc_ids), "sections": n_sections, "passages": pid, "entities": len(ent_table),
        "vocabulary": len(vocab), "procs": procs, "limitmb": limitmb,
        "seconds": {"vocabulary": round(t_vocab, 3), "add": round(t_add, 3), "commit": round(t_commit, 3),
                    "arrays": round(t_total - t_vocab - t_add - t_commit, 3), "total": round(t_total, 3)},
    }
