"""Snippets (matches marked, document text escaped) and one opened index shared by every Searcher and
thread of a process.

The index is the one the real pipeline (readers + tagger) built for the session
(``built_settings`` in conftest.py)."""
from __future__ import annotations

import re
import threading

from corpus.loader import load_document
from indexer import Searcher
from indexer.build import build_index
from kb.store import Store
from settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus" / "documents"


def test_snippets_mark_matches(s):
    res = s.search("telehoren", limit=2)
    assert res["results"]
    for r in res["results"]:
        assert "<mark>telehoren</mark>" in r["snippet"].lower()
        assert re.sub(r"</?mark>", "", r["snippet"]).replace("… ", "").replace(" …", "") in " ".join(r["text"].split())


def test_snippet_html_escaped(tmp_path):
    from dataclasses import replace

    doc = load_document(CORPUS / "jenv-jaarverslag-2020-beleidsverslag.txt", CORPUS)
    sec = next(s for s in doc.sections if s.text and s.blocks)
    evil = 'Zie <script>alert("x")</script> & <b>vet</b> bij de telehoorzitting.'
    sec.text = evil + "\n\n" + sec.text
    shift = len(evil) + 2
    sec.blocks = [replace(sec.blocks[0], start=0, end=len(evil))] + [
        replace(b, start=b.start + shift, end=b.end + shift) for b in sec.blocks]
    store = Store(tmp_path / "kb.sqlite")
    with store.transaction():
        store.put_document(doc)
    build_index(store, tmp_path / "index", progress=False)
    res = Searcher(tmp_path / "index").search("script telehoorzitting", limit=3)
    hit = next(r for r in res["results"] if "<script>" in r["text"])
    unmarked = re.sub(r"</?mark>", "", hit["snippet"])
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;alert(" in unmarked and "&lt;b&gt;" in unmarked
    assert set(re.findall(r"</?([a-zA-Z]+)", hit["snippet"])) <= {"mark"}
    assert "<mark>" in hit["snippet"]


def test_threads_share_one_searcher(s):
    queries = ["migratie", "IND", "telehoren", '"vrouwelijke statushouders"', "terugkeer*"]
    expected = {q: [r["id"] for r in s.search(q)["results"]] for q in queries}
    errors = []

    def work():
        try:
            for _ in range(5):
                for q in queries:
                    assert [r["id"] for r in s.search(q)["results"]] == expected[q]
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_searchers_share_the_opened_index(kb, s):
    other = Searcher(kb["index"])
    assert other.state is s.state  # opened once per process, however many Searchers
    assert [r["id"] for r in other.search("telehoren")["results"]] == [r["id"] for r in s.search("telehoren")["results"]]
