"""Build the Whoosh passage index from the knowledge-base store: in buckets, on every core, and
incrementally.

The documents are spread over buckets (:func:`indexer.segments.bucket_of`); each bucket is one
Whoosh segment written by a worker process (:mod:`indexer.segments`), so a full build uses both
cores and memory stays bounded by the bucket size.  A full build makes two passes: word counts
per bucket (summed into the vocabulary for compound splitting and spelling), then the segments.
An incremental build (``previous=`` the last index, ``changed=`` the documents that changed)
hard-links the unchanged buckets' files from the previous index and rewrites only the buckets of
changed documents, keeping the previous vocabulary; when more than half of the buckets changed
it makes a full build instead (which also refreshes the vocabulary).

The index is written into a fresh sibling directory (``<index>.tmp-<pid>``) and swapped in only
when complete, so a killed build leaves the previous index serving; the pipeline writes into a
new generation folder instead (:mod:`beleidsbank.generations`).

Besides the Whoosh files the index directory holds:

* ``build.json``   what the index was built from (``kb_version``/fingerprint, options, buckets, statistics);
* ``meta.json``    documents, kinds, entity table, labels (so a Searcher needs no store);
* ``arrays.npz``   per-docnum arrays (document, kind, year, place within the document, field lengths
                   as one-byte codes, entity pairs, statement-kind counts) used for fast facets,
                   filters and BM25F scoring, assembled from the bucket sidecars;
* ``words.json``   surface word counts, for spelling suggestions and fuzzy terms;
* ``shingles.json`` the buckets' phrase tables (word bigrams, :mod:`indexer.phrase_table`) with the
                   number of each bucket's first passage;
* ``buckets/``     one sidecar per bucket (see :mod:`indexer.segments`).
"""
from __future__ import annotations

import json
import math
import os
import shutil
import time
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from indexer import segments as seg
from indexer.analysis import build_vocabulary
from indexer.build_info import (BUILD_FILE, INDEX_FORMAT, OLD_MARK, TMP_MARK, build_fingerprint, clean_stale,
                                 read_build_info, store_fingerprint)
from indexer.entities import AliasMatcher
from indexer.parallel import ordered_map
from indexer.schema import make_schema
from indexer.statement_kinds import KINDS
from settings import BuildOptions, IndexOptions

#: plain text bytes per byte of a section's stored body (its text and Markdown compressed as one stream,
#: :func:`kb.store_rows.pack_body`): 2.8 gives the bucket count of the earlier 3 per byte of the text alone
COMPRESSION_RATIO = 2.8
#: The buckets' phrase tables in passage order: [[sidecar, first passage number], ...].
SHINGLES_FILE = "shingles.json"


def build_index(store, index_dir: Path, *, progress: bool = True, options: IndexOptions | None = None,
                build: BuildOptions | None = None, previous: Path | None = None,
                changed: Iterable[str] | None = None, content: str | None = None, **_legacy: Any) -> dict[str, Any]:
    """Build the index of ``store`` and atomically replace ``index_dir``; returns statistics.

    ``previous`` + ``changed``: reuse the buckets of ``previous`` that hold none of the ``changed``
    document ids (incremental).  ``content``: a version string of the store content (skips hashing
    the whole store).  ``procs``/``limitmb`` of earlier versions are accepted and ignored.
    """
    t0 = time.perf_counter()
    options = options or IndexOptions()
    build = build or BuildOptions()
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(index_dir)
    content = content if content is not None else store_fingerprint(store)
    tmp = index_dir.parent / f"{index_dir.name}{TMP_MARK}{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        stats = _build_into(store, tmp, options, build, previous=previous, changed=changed, progress=progress)
        stats["fingerprint"] = build_fingerprint(content, options)
        stats["kb_version"] = content
        stats["format"] = INDEX_FORMAT
        # where IndexState reads passage texts from: relative, so a moved generation keeps it
        stats["kb"] = os.path.relpath(Path(store.path).resolve(), index_dir.resolve())
        stats["options"] = options.to_dict()
        stats["built_at"] = time.time()
        stats["build_seconds"] = round(time.perf_counter() - t0, 3)
        # build.json last: its presence marks a complete index
        (tmp / BUILD_FILE).write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
        _swap(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return stats


def _swap(tmp: Path, index_dir: Path) -> None:
    old = None
    if index_dir.exists():
        old = index_dir.parent / f"{index_dir.name}{OLD_MARK}{os.getpid()}-{time.time_ns()}"
        os.rename(index_dir, old)
    os.rename(tmp, index_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# -- worker side ---------------------------------------------------------------------------
#: What forked workers inherit (set by the main process before each pool).
_JOB: dict[str, Any] = {}


def _job_store():
    store = _JOB.get("_store")
    if store is None:
        from kb.store import Store

        store = _JOB["_store"] = Store(_JOB["db_path"], readonly=True)
    return store


def _count_bucket(item: tuple[int, list[str]]) -> tuple[int, dict[str, int]]:
    bucket, doc_ids = item
    return bucket, seg.document_word_counts(_JOB.get("store") or _job_store(), doc_ids)


def _write_bucket(item: tuple[int, list[str], dict | None]) -> dict[str, Any]:
    bucket, doc_ids, counts = item
    store = _JOB.get("store") or _job_store()
    return seg.write_bucket(store, _JOB["dir"], bucket, doc_ids, _JOB["schema"], _JOB["ents"], _JOB["matcher"],
                            _JOB["options"], counts=counts)


# -- main side -----------------------------------------------------------------------------
def _documents(store) -> list[dict[str, Any]]:
    columns = {r[1] for r in store.conn.execute("PRAGMA table_info(documents)")}
    date = "date" if "date" in columns else "NULL AS date"  # a knowledge base from before dates
    rows = store.conn.execute(f"SELECT id, title, kind, year, {date} FROM documents")
    docs = [dict(r) for r in rows]
    docs.sort(key=lambda d: (d.get("year") or 0, d["title"], d["id"]))
    return docs


def _entity_table(store) -> list[dict[str, Any]]:
    rows = store.conn.execute("SELECT id, label, name, aliases FROM entities ORDER BY id")
    return [{"id": r[0], "label": r[1], "name": r[2], "aliases": json.loads(r[3] or "[]")} for r in rows]


def _bucket_count(store, build: BuildOptions) -> int:
    # section texts are stored compressed (kb.store_rows.pack_body); their plain length is estimated
    text_bytes = store.conn.execute("SELECT COALESCE(SUM(length(body)), 0) * ? FROM sections",
                                    (COMPRESSION_RATIO,)).fetchone()[0]
    return max(1, min(build.max_buckets, math.ceil(text_bytes / max(1, build.bucket_bytes))))


def _all_buckets(docs: list[dict[str, Any]], n_buckets: int) -> tuple[int, dict[int, list[str]], set[int]]:
    """The documents of each of ``n_buckets`` buckets, and every bucket as to do."""
    members: dict[int, list[str]] = {b: [] for b in range(n_buckets)}
    for d in docs:
        members[seg.bucket_of(d["id"], n_buckets)].append(d["id"])
    return n_buckets, members, set(range(n_buckets))


def _build_into(store, out: Path, options: IndexOptions, build: BuildOptions, *, previous: Path | None,
                changed: Iterable[str] | None, progress: bool) -> dict[str, Any]:
    from tqdm import tqdm

    t0 = time.perf_counter()
    docs = _documents(store)
    ent_table = _entity_table(store)
    prev_info = read_build_info(previous) if previous is not None else None
    incremental = (prev_info is not None and changed is not None and prev_info.get("format") == INDEX_FORMAT
                   and prev_info.get("options") == options.to_dict() and prev_info.get("buckets") is not None)
    n_buckets, members, todo = _all_buckets(docs, int(prev_info["n_buckets"]) if incremental
                                            else _bucket_count(store, build))
    if incremental:
        todo = {seg.bucket_of(d, n_buckets) for d in changed}  # type: ignore[union-attr]
        prev_buckets = {int(b): v for b, v in prev_info["buckets"].items()}
        todo |= {b for b in range(n_buckets) if b not in prev_buckets}
        if len(todo) > n_buckets // 2 and n_buckets > 1:
            incremental = False
            n_buckets, members, todo = _all_buckets(docs, _bucket_count(store, build))
    workers = min(build.worker_count(), max(1, len(todo)))
    _JOB.clear()
    _JOB.update(db_path=str(store.path), dir=out)
    if workers <= 1:
        _JOB["store"] = store
    seconds: dict[str, float] = {}
    counts_by_bucket: dict[int, dict[str, int]] = {}
    schema = None
    if incremental:
        try:
            prev_toc = TOC.read(FileStorage(str(previous)), seg.INDEX_NAME)  # read once: it holds the vocabulary
            schema = prev_toc.schema
            words = json.loads((previous / "words.json").read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - written by other code (analysis classes moved): build it all anew
            incremental = False
            n_buckets, members, todo = _all_buckets(docs, _bucket_count(store, build))
            workers = min(build.worker_count(), max(1, len(todo)))
            if workers <= 1:
                _JOB["store"] = store
    if not incremental:
        words = {}
        items = [(b, members[b]) for b in sorted(todo)]
        bar = tqdm(total=len(items), desc="Woorden", unit="bucket", disable=not progress, leave=False)
        for b, counts in ordered_map(_count_bucket, items, workers=workers, chunk=1, max_in_flight=workers * 2):
            counts_by_bucket[b] = counts
            for w, c in counts.items():
                words[w] = words.get(w, 0) + c
            bar.update(1)
        bar.close()
        min_count = 1 if sum(words.values()) < 2_000_000 else 2
        schema = make_schema(build_vocabulary(words, min_count=min_count), options)
    seconds["vocabulary"] = round(time.perf_counter() - t0, 3)

    _JOB.update(schema=schema, ents={e["id"]: e for e in ent_table}, matcher=AliasMatcher(ent_table), options=options)
    results: dict[int, dict[str, Any]] = {}
    if incremental:
        results.update(_link_unchanged(previous, out, prev_info, prev_toc.segments, set(range(n_buckets)) - todo))
    t1 = time.perf_counter()
    items2 = [(b, members[b], counts_by_bucket.pop(b, None)) for b in sorted(todo)]
    bar = tqdm(total=sum(len(i[1]) for i in items2), desc="Index", unit="doc", disable=not progress, leave=False)
    for res in ordered_map(_write_bucket, items2, workers=workers, chunk=1, max_in_flight=workers * 2):
        results[res["bucket"]] = res
        bar.update(len(members[res["bucket"]]))
    bar.close()
    seconds["segments"] = round(time.perf_counter() - t1, 3)
    if incremental:
        for b in todo:
            old = prev_info["buckets"].get(str(b))
            if old and old.get("sidecar"):
                for w, c in seg.read_counts(previous, old["sidecar"]).items():
                    left = words.get(w, 0) - c
                    if left > 0:
                        words[w] = left
                    else:
                        words.pop(w, None)
            if results[b]["sidecar"]:
                for w, c in seg.read_counts(out, results[b]["sidecar"]).items():
                    words[w] = words.get(w, 0) + c
    t2 = time.perf_counter()
    passages = _assemble(out, schema, results, docs, ent_table, words)
    seconds["arrays"] = round(time.perf_counter() - t2, 3)
    seconds["total"] = round(time.perf_counter() - t0, 3)
    sections = store.conn.execute("SELECT COUNT(*) FROM sections").fetchone()[0]
    return {
        "documents": len(docs), "sections": sections, "passages": passages, "entities": len(ent_table),
        "vocabulary": len(schema["text"].analyzer.vocabulary), "procs": workers, "incremental": incremental,
        "n_buckets": n_buckets, "buckets_written": len(todo),
        "buckets": {str(b): {"segment": r["segment_id"], "sidecar": r["sidecar"]} for b, r in sorted(results.items())},
        "seconds": seconds,
    }


def _narrow(arr: np.ndarray) -> np.ndarray:
    """Integers ``arr`` in the smallest type that holds their smallest and largest values."""
    lo, hi = (int(arr.min()), int(arr.max())) if len(arr) else (0, 0)
    return arr.astype(np.result_type(np.min_scalar_type(lo), np.min_scalar_type(hi)))


def _link_unchanged(previous: Path, out: Path, prev_info: dict[str, Any], prev_segments: list,
                    keep: set[int]) -> dict[int, dict[str, Any]]:
    """Hard-link the files of the unchanged buckets from the previous index (copy where links fail)."""
    by_id = {s.segment_id(): s for s in prev_segments}
    (out / seg.SIDECAR_DIR).mkdir(exist_ok=True)
    results = {}
    for b in keep:
        info = prev_info["buckets"].get(str(b)) or {}
        segment = by_id.get(info.get("segment") or "")
        files = seg.sidecar_files(info["sidecar"]) if info.get("sidecar") else []
        if segment is not None:
            files += [n for n in os.listdir(previous) if n.startswith(segment.segment_id() + ".")]
        for name in files:
            try:
                os.link(previous / name, out / name)
            except OSError:
                shutil.copyfile(previous / name, out / name)
        results[b] = {"bucket": b, "segment": segment, "sidecar": info.get("sidecar"), "passages": None}
    return results


def _assemble(out: Path, schema, results: dict[int, dict[str, Any]], docs: list[dict[str, Any]],
              ent_table: list[dict[str, Any]], words: dict[str, int]) -> int:
    """Write the TOC (segments in bucket order) and the global arrays, meta and word counts."""
    doc_pos = {d["id"]: i for i, d in enumerate(docs)}
    kinds = sorted({(d.get("kind") or "") for d in docs})
    kind_pos = {k: i for i, k in enumerate(kinds)}
    labels = sorted({e["label"] for e in ent_table})
    label_pos = {l: i for i, l in enumerate(labels)}
    ent_pos = {e["id"]: i for i, e in enumerate(ent_table)}
    segments, parts = [], []
    shingle_parts: list[list[Any]] = []  # [sidecar, first passage number] of every bucket, in order
    base = 0
    for b in sorted(results):
        r = results[b]
        r["segment_id"] = r["segment"].segment_id() if r["segment"] is not None else None
        if r["segment"] is None:
            continue
        sc = seg.read_sidecar(out, r["sidecar"])
        n = len(sc["doc"])
        segments.append(r["segment"])
        dmap = np.array([doc_pos[d] for d in sc["doc_ids"]], dtype=np.int32)
        kmap = np.array([kind_pos[k] for k in sc["kinds"]], dtype=np.int32)
        emap = np.array([ent_pos.get(e, -1) for e in sc["entities"]], dtype=np.int32)
        lmap = np.array([label_pos.get(l, -1) for l in sc["labels"]], dtype=np.int32)
        ep, lp = sc["ent_pairs"], sc["label_pairs"]
        ep = np.stack([ep[:, 0] + base, emap[ep[:, 1]]], axis=1) if len(ep) else ep.reshape(-1, 2)
        lp = np.stack([lp[:, 0] + base, lmap[lp[:, 1]]], axis=1) if len(lp) else lp.reshape(-1, 2)
        sp = sc["stmt_rows"].copy()
        sp[:, 0] += base
        parts.append({"doc": dmap[sc["doc"]], "kind": kmap[sc["kind"]], "year": sc["year"], "within": sc["within"],
                      "ep": ep[ep[:, 1] >= 0] if len(ep) else ep, "lp": lp[lp[:, 1] >= 0] if len(lp) else lp,
                      "sp": sp, "lengths": sc["lengths"]})
        shingle_parts.append([r["sidecar"], base])
        base += n
    seg.write_toc(out, schema, segments)

    def cat(key, dtype, shape=(-1,)):
        arrs = [p[key] for p in parts]
        return np.concatenate(arrs).astype(dtype) if arrs else np.zeros(0, dtype).reshape(shape)

    ep, lp = cat("ep", np.int32, (-1, 2)), cat("lp", np.int32, (-1, 2))
    sp = cat("sp", np.int32, (-1, 3)).reshape(-1, 3)
    fields = sorted({f for p in parts for f in p["lengths"]})
    lengths = {f: np.concatenate([p["lengths"].get(f, np.zeros(len(p["doc"]), np.float32)) for p in parts])
               for f in fields}
    # each array in the narrowest type that holds it (IndexState widens them on load): a third of the
    # file; the order key is rebuilt from document and place within it, field lengths are one byte
    np.savez(out / "arrays.npz", **{k: _narrow(v) for k, v in dict(
        doc=cat("doc", np.int32), kind=cat("kind", np.int32), year=cat("year", np.int32),
        within=cat("within", np.int64),
        ent_doc=ep[:, 0], ent_idx=ep[:, 1], label_doc=lp[:, 0], label_idx=lp[:, 1],
        stmt_doc=sp[:, 0], stmt_idx=sp[:, 1], stmt_count=sp[:, 2]).items()},
        **{f"lenb_{f}": seg.length_codes(v) for f, v in lengths.items()})
    (out / SHINGLES_FILE).write_text(json.dumps(shingle_parts), encoding="utf-8")
    meta = {
        "documents": [{"id": d["id"], "title": d["title"], "kind": d.get("kind"), "year": d.get("year"),
                       "date": d.get("date")} for d in docs],
        "kinds": kinds, "labels": labels, "entities": ent_table, "statement_kinds": list(KINDS),
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    (out / "words.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    return base
