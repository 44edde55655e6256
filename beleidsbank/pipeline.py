"""The build: corpus → knowledge base → index, incremental, on every core, all-or-nothing.

Stages, each with a progress bar (with ETA) on stderr and its time in the report:

0. ``register``   the register of regulations: every regulation file (``<BWB-id>.md``) with its
   titles and the names its citations use (:mod:`kb.laws`), read only when changed (and aggregated
   again only when what a changed file contributes changed: the tagger is then reused); runs alone
   with ``stage="register"`` (``beleidsbank build --stage register``);
1. ``bestanden``  find the source files and hash those whose stat changed (:mod:`beleidsbank.scan`);
   unchanged files (same stat, or same hash) are not read again, removed files are removed; a very
   large file is built with a warning;
2. ``lezen``      read every new or changed file and collect the abbreviation definitions it
   makes ("Dienst Terugkeer en Vertrek (DT&V)"), so they apply corpus-wide;
3. ``taggen``     tag every document whose tagging fingerprint changed (catalogue, definitions,
   code or pipeline) and extract its statements, measures and allocations;
4. ``entiteiten`` the entity table: catalogue, corpus definitions and entities derived while
   tagging (those of untouched documents are kept);
5. ``index``      the search index: only the buckets of changed documents are rewritten
   (:mod:`indexer.build`);
6. ``afronden``   compact the knowledge base (WAL folded in, VACUUM when removed documents left
   much free space), publish the generation and remove the previous one once no request reads it.

Stages 2, 3 and 5 run in worker processes (:mod:`beleidsbank.workers`, :mod:`indexer.parallel`);
the main process is the only SQLite writer and commits in batches.  Everything is written into
a new generation folder and published at the end by one atomic rename
(:mod:`beleidsbank.generations`): a build that fails or is killed at any point leaves the
previous knowledge base *and* index serving, and a reader never sees the rows of one build with
the index of another.  A second build at the same time waits or stops with a clear message.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from beleidsbank import generations as gens
from beleidsbank.build_report import BuildReport, progress_bar, timed_stage
from beleidsbank.originals import keep_original, sweep_originals
from beleidsbank.scan import ScanResult, scan_corpus
from corpus.hashing import source_sha256
from kb.store import FormatError, Store
from settings import DB_FILENAME, INDEX_DIRNAME, Settings

log = logging.getLogger(__name__)

#: Stages a build can be limited to (``beleidsbank build --stage``).
STAGES = ("all", "register")

#: Documents written between two commits of the build's knowledge base.
COMMIT_EVERY = 64
#: Fewer regulation files than this per worker are read in the build process (forking costs more).
REGISTER_FILES_PER_WORKER = 64
#: Regulation files per task of the register stage: one takes about a millisecond to read.
REGISTER_CHUNK = 16
#: The tagging stage keeps this many times ``settings.build.max_in_flight`` documents in flight (see ``_tag``).
TAG_IN_FLIGHT_FACTOR = 4


def build(settings: Settings, *, progress: bool = True, echo: Callable[[str], None] | None = None,
          stage: str = "all") -> BuildReport:
    """Bring the knowledge base and index in ``settings.data_dir`` up to date with the corpus;
    ``stage="register"`` updates only the register of regulations (titles and links; no tagging).

    Raises :class:`beleidsbank.generations.BuildLocked` when another build holds the data directory
    (after waiting ``settings.build.lock_wait_seconds``)."""
    say = echo or (lambda msg: print(msg, file=sys.stderr))
    corpus_dir = settings.corpus_dir.resolve()
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{corpus_dir}: corpus directory not found")
    with gens.build_lock(settings.data_dir, settings.build.lock_wait_seconds):
        return _build_locked(settings, corpus_dir, progress=progress, say=say, stage=stage)


def _tagging_fingerprint(tagger) -> str:
    from kb.extract_store import extraction_fingerprint

    return hashlib.sha256(f"{tagger.fingerprint}|{extraction_fingerprint()}".encode()).hexdigest()[:16]


def _build_locked(settings: Settings, corpus_dir: Path, *, progress: bool, say: Callable[[str], None],
                  stage: str = "all") -> BuildReport:
    from kb.laws.store import build_register, register_source
    from kb.tagger import build_tagger

    started = time.perf_counter()
    report = BuildReport()
    data_dir = Path(settings.data_dir)
    gens.remove_stale(data_dir)  # half-built generations of killed builds
    published = gens.published(data_dir)  # retired once the new generation is published
    prev_store = _previous_store(published, say)
    prev = published if prev_store is not None else None  # None: nothing to reuse, everything is built anew
    try:
        with timed_stage(report, "bestanden"):
            found = scan_corpus(settings, corpus_dir, prev_store, report, progress, say)
            todo, originals, known = found.todo, found.originals, found.known
        with timed_stage(report, "tagger"):
            prev_definitions = prev_store.definitions() if prev_store else []
            prev_register = register_source(prev_store.conn, data_dir) if prev_store else None
            tagger0 = build_tagger(definitions=prev_definitions, model=settings.spacy_model, register=prev_register)
        report.pipeline = tagger0.pipeline_name
        prev_unread = sorted((r["source_path"], r["reason"]) for r in prev_store.unread()) if prev_store else None
        prev_current = (prev_store is not None and not report.removed and not originals
                        and _up_to_date(prev, prev_store, tagger0, settings))
        # nothing to do publishes nothing: the new stat of a file touched but not changed is recorded by the
        # next build that publishes (until then that file is hashed, as every file was before stats)
        if prev_current and not todo and prev_unread == sorted(report.unread) and stage == "all":
            return _nothing_to_do(report, prev, prev_store.collection_counts(), started)
    finally:
        if prev_store is not None:
            prev_store.close()

    gen = gens.new_generation(data_dir)
    store: Store | None = None
    try:
        if prev is not None and prev != data_dir:
            gens.copy_knowledge_base(prev, gen)
        elif prev is not None:  # a knowledge base from before generations (may still have a WAL)
            gens.backup_store(prev / DB_FILENAME, gen / DB_FILENAME)
        store = Store(gen / DB_FILENAME, building=True)
        for rel in report.removed:
            store.delete_document(known[rel].id)
        report.removed = [known[rel].id for rel in report.removed]
        limits = settings.reading
        for path, _rel, doc_id in originals:
            store.set_original(doc_id, keep_original(Path(path), corpus_dir, doc_id, settings, limits))
        with timed_stage(report, "register"):  # titles and citation names of the regulation files that changed
            report.register = build_register(
                store.conn, corpus_dir, found.paths,
                sha256=lambda p: found.digests.get(p) or source_sha256(p, corpus_dir, limits),
                read_many=lambda paths: _read_regulations(settings, corpus_dir, paths), progress=progress)
            for err in report.register.errors:
                report.errors.append(err)
                say(f"niet gelezen: {err}")
            store.commit()
        if stage == "register":
            if prev is not None and (prev / INDEX_DIRNAME).is_dir():
                gens.link_tree(prev / INDEX_DIRNAME, gen / INDEX_DIRNAME)
            report.store = store.finish_build()
            store.close()
            store = None
            gens.publish(data_dir, gen)
            _retire(settings, data_dir, published)
            report.generation = gen.name
            report.seconds = round(time.perf_counter() - started, 2)
            return report
        with timed_stage(report, "lezen"):
            _read(settings, corpus_dir, store, tagger0, found, report, progress, say)
            store.replace_unread(sorted(report.unread))
            # a file whose reading failed keeps no new stat: the next build must look at it again
            settled = set(report.read) | set(report.unchanged)
            store.set_source_stats({d: k for d, k in found.stats.items() if d in settled})
            store.commit()
        if prev_current and not report.read and prev_unread == sorted(report.unread):
            prev_counts = store.collection_counts()  # nothing read: the same rows as the published one
            store.close()
            store = None
            gens.remove_generation(gen)  # only files that still cannot be read: nothing changed
            return _nothing_to_do(report, prev, prev_counts, started)
        with timed_stage(report, "tagger"):
            definitions = store.definitions()
            reg = report.register
            if (_definition_key(definitions) == _definition_key(prev_definitions) and reg is not None
                    and reg.digest == (prev_register.digest if prev_register is not None else "")):
                tagger = tagger0  # nothing new defined, the register unchanged: the tagger is the same
            else:
                tagger = build_tagger(definitions=definitions, model=settings.spacy_model,
                                      register=register_source(store.conn, data_dir))
            del tagger0
        report.pipeline = tagger.pipeline_name
        with timed_stage(report, "taggen"):
            derived = _tag(settings, gen / DB_FILENAME, store, tagger, report, progress)
        with timed_stage(report, "entiteiten"):
            _update_entities(store, tagger, derived)
            from kb import related

            related.invalidate(store)
            store.set_meta("pipeline", tagger.pipeline_name)
            store.set_meta("corpus_dir", str(corpus_dir))
            store.set_meta("content_version", f"{gen.name}-{time.time_ns()}")
            store.commit()
        with timed_stage(report, "index"):
            report.index = _index(settings, store, gen, prev, report, progress)
            report.index_rebuilt = True
        with timed_stage(report, "afronden"):
            report.counts = store.collection_counts()
            keep = {r[0] for r in store.conn.execute("SELECT original FROM documents WHERE original IS NOT NULL")}
            report.store = store.finish_build(vacuum_free_share=settings.build.vacuum_free_share,
                                              vacuum_free_bytes=settings.build.vacuum_free_bytes)
            store.close()
            store = None
            gens.publish(data_dir, gen)
            report.generation = gen.name
    except BaseException:
        if store is not None:
            store.close()
        gens.remove_generation(gen)
        raise
    with timed_stage(report, "afronden"):  # requests still reading the previous generation finish first
        _retire(settings, data_dir, published)
        sweep_originals(settings, keep)
    if not report.counts.get("documents"):
        say(f"lege kennisbank: geen leesbaar document in {corpus_dir}"
            + (f" ({len(report.unread)} bestand(en) niet gelezen)" if report.unread else ""))
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _previous_store(prev: Path | None, say: Callable[[str], None]) -> Store | None:
    """The published knowledge base, or None when there is none or it has another format (it is then
    rebuilt from the corpus, and keeps serving until the new one is published)."""
    if prev is None:
        return None
    try:
        return Store(prev / DB_FILENAME, readonly=True)
    except FormatError as exc:
        say(f"{prev / DB_FILENAME}: kennisbank van een andere versie (formaat {exc.found or '?'});"
            " alles wordt opnieuw gebouwd")
        return None


def _retire(settings: Settings, data_dir: Path, prev: Path | None) -> None:
    gens.retire(data_dir, prev, settings.build.generation_reader_wait_seconds, settings.build.generation_grace_seconds)


def _definition_key(rows: list[dict[str, Any]]) -> list[tuple]:
    """What of the definitions the tagger (and its fingerprint) depends on, order-free."""
    return sorted((r.get("short"), r.get("long"), r.get("entity_id"), r.get("label")) for r in rows)


def _nothing_to_do(report: BuildReport, prev: Path, counts: dict[str, int], started: float) -> BuildReport:
    report.counts = counts
    report.generation = prev.name
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _up_to_date(prev: Path, prev_store: Store, tagger, settings: Settings) -> bool:
    """Nothing to do: every document tagged with this fingerprint and the index built from this content."""
    from indexer.build_info import INDEX_FORMAT, read_build_info

    fp = _tagging_fingerprint(tagger)
    if any(f != fp for _, f in prev_store.document_fingerprints().values()):
        return False
    info = read_build_info(prev / INDEX_DIRNAME) or {}
    return (info.get("format") == INDEX_FORMAT and info.get("options") == settings.index.to_dict()
            and info.get("kb_version") is not None and info.get("kb_version") == prev_store.get_meta("content_version"))


def _read(settings: Settings, corpus_dir: Path, store: Store, tagger, found: ScanResult, report: BuildReport,
          progress: bool, say: Callable[[str], None]) -> None:
    from beleidsbank import workers

    todo = found.todo

    workers.set_context(tagger=tagger, corpus_dir=corpus_dir, settings=settings, limits=settings.reading)
    opts = settings.build
    n = min(opts.worker_count(), max(1, len(todo)))
    order = {item[1]: i for i, item in enumerate(todo)}
    definitions: list[tuple[int, str, list[dict[str, Any]]]] = []
    bar = progress_bar(desc="Lezen", total=len(todo), progress=progress)
    # largest first: the last document read is a small one, so neither core idles at the end
    largest_first = sorted(todo, key=lambda item: -found.sizes.get(item[0], 0))
    for i, res in enumerate(workers.unordered_map(workers.read_one, largest_first, workers=n, chunk=opts.chunk_docs,
                                                  max_in_flight=opts.max_in_flight)):
        bar.update(1)
        if res.error:
            report.unread.append((res.rel, res.reason or res.error))
            report.errors.append(res.error)
            say(f"niet gelezen: {res.error}")
            continue
        doc = res.doc
        prev = found.known.get(res.rel)
        if prev is not None and prev.id != doc.id:
            store.delete_document(prev.id)
        store.put_encoded(doc, fingerprint="", original=res.original)
        definitions.append((order[res.rel], doc.id, res.definitions or []))
        for w in doc.warnings:
            say(f"waarschuwing: {doc.source_path}: {w}")
        if i % COMMIT_EVERY == COMMIT_EVERY - 1:
            store.commit()
    bar.close()
    workers.clear_context()
    report.unread.sort()  # the summary lists files by name, not by which worker finished first
    report.errors.sort()
    # in the order of the files, whatever order the workers finished in: the definitions' rows (and so
    # the tagger built from them) stay the same from one build to the next
    for _, doc_id, rows in sorted(definitions, key=lambda d: d[0]):
        store.replace_definitions(doc_id, rows)
        report.read.append(doc_id)
    store.commit()


def _read_regulations(settings: Settings, corpus_dir: Path, paths: list[Path], *,
                      min_per_worker: int = REGISTER_FILES_PER_WORKER) -> Iterator[Any]:
    """The regulation files read for the register on every core (the register stage read them one by one)."""
    from beleidsbank import workers

    workers.set_context(corpus_dir=corpus_dir, limits=settings.reading)
    try:
        n = min(settings.build.worker_count(), max(1, len(paths) // max(1, min_per_worker)))
        yield from workers.unordered_map(workers.read_regulation_file, paths, workers=n, chunk=REGISTER_CHUNK,
                                         max_in_flight=REGISTER_CHUNK * n * 2)
    finally:
        workers.clear_context()


def _tag(settings: Settings, db_path: Path, store: Store, tagger, report: BuildReport,
         progress: bool) -> dict[str, dict[str, Any]]:
    """Tag and extract the stale documents; returns the entities derived while tagging."""
    from beleidsbank import workers

    fp = _tagging_fingerprint(tagger)
    stale = sorted(d for d, (_, f) in store.document_fingerprints().items() if f != fp)
    store.commit()  # the workers read what was written so far
    workers.set_context(tagger=tagger, db_path=db_path)
    # the tagger's objects (spaCy vocabulary, catalogue, register tries) live as long as the stage: out of
    # the garbage collector's full passes, in the workers too (and their memory pages stay shared)
    gc.freeze()
    try:
        return _tag_stale(settings, store, tagger, report, progress, fp, stale)
    finally:
        gc.unfreeze()


def _tag_stale(settings: Settings, store: Store, tagger, report: BuildReport, progress: bool, fp: str,
               stale: list[str]) -> dict[str, dict[str, Any]]:
    from beleidsbank import workers
    from kb.extract_store import replace_allocations, replace_measures, replace_statements

    opts = settings.build
    n = min(opts.worker_count(), max(1, len(stale)))
    derived: dict[str, dict[str, Any]] = {}
    bar = progress_bar(desc="Taggen", total=len(stale), progress=progress)
    # results are written in input order, so one large document holds up the writer while the other worker
    # drains what is in flight and then idles; four times the window keeps it busy (a regulation of 3 MB
    # takes seconds, the documents beside it milliseconds): ~4 % idle -> <1 % in a simulation of the
    # 8,929 regulations from their sizes, for a few more small results held
    in_flight = TAG_IN_FLIGHT_FACTOR * opts.max_in_flight
    for i, res in enumerate(workers.ordered_map(workers.tag_one, stale, workers=n, chunk=opts.chunk_docs,
                                                max_in_flight=in_flight)):
        bar.update(1)
        store.delete_mentions(res.doc_id)
        store.add_mentions(res.mentions)
        replace_statements(store, res.doc_id, res.statements)
        replace_measures(store, res.doc_id, res.measures)
        replace_allocations(store, res.doc_id, res.allocations)
        store.set_fingerprint(res.doc_id, fp)
        for eid, row in res.derived.items():
            if eid not in derived:
                derived[eid] = row
            else:
                prov = derived[eid]["provenance"]
                prov.extend(p for p in row.get("provenance", []) if p not in prov and len(prov) < 50)
        report.tagged.append(res.doc_id)
        if i % COMMIT_EVERY == COMMIT_EVERY - 1:
            store.commit()
    bar.close()
    workers.clear_context()
    store.commit()
    return derived


def _update_entities(store: Store, tagger, derived: dict[str, dict[str, Any]]) -> None:
    """Catalogue and definition entities as the tagger knows them now, the entities derived in this
    build, and the derived entities of earlier builds that untouched documents still mention."""
    rows = [e.row() for e in tagger.index.entities.values()]
    ids = {r["id"] for r in rows}
    referenced = store.mentioned_entities()
    old = {r["id"]: r for r in store.entity_table() if r["id"] not in ids}
    for eid, row in derived.items():
        if eid in ids:
            continue
        prev = old.pop(eid, None)
        if prev is not None:
            prov = row.setdefault("provenance", [])
            prov.extend(p for p in prev.get("provenance", []) if p not in prov and len(prov) < 50)
        rows.append(row)
        ids.add(eid)
    rows.extend(r for eid, r in old.items() if eid in referenced)
    store.replace_entities(rows)


def _index(settings: Settings, store: Store, gen: Path, prev: Path | None, report: BuildReport,
           progress: bool) -> dict[str, Any]:
    from indexer.build import build_index

    previous = prev / INDEX_DIRNAME if prev is not None and (prev / INDEX_DIRNAME).is_dir() else None
    changed = set(report.read) | set(report.removed) | set(report.tagged)
    stats = build_index(store, gen / INDEX_DIRNAME, progress=progress, options=settings.index, build=settings.build,
                        previous=previous, changed=changed, content=store.get_meta("content_version"))
    return {k: stats[k] for k in ("documents", "passages", "n_buckets", "buckets_written", "incremental", "seconds")}


def is_built(settings: Settings) -> bool:
    """True when a knowledge base and an index exist in the data directory."""
    return settings.db_path.exists() and settings.index_dir.is_dir()
