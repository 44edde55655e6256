"""Peers for bench/bench_scale.py: bm25s and Tantivy over exactly our passages, in their own process.

    python bench/scale_peers.py {bm25s|tantivy} --passages P.jsonl --index-dir D --queries Q.json --port N

Indexes the passages (one JSON string per line: the stored text of each of our passages), prints
one JSON line (index seconds, peak RSS, bytes on disk, raw query latencies over the given queries),
then serves ``GET /api/v1/search?q=..&limit=..`` -> ``{"results": [{"text": ...}]}`` on 127.0.0.1
so ``../shared/eval/score.py --url`` scores it with the same gain rules as ours, until killed.

bm25s: Lucene BM25 (k1=1.5, b=0.75), PyStemmer's Dutch stemmer, bm25s' Dutch stop words.
Tantivy (tantivy-py): BM25, simple tokenizer + lower case + Dutch Snowball stemmer, two indexing
threads, queries parsed as OR of terms.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def _disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bm25s_engine(passages: list[str], index_dir: Path):
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("dutch")
    tokens = bm25s.tokenize(passages, stopwords="nl", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    retriever.save(str(index_dir))

    def search(q: str, k: int) -> list[int]:
        qt = bm25s.tokenize([q], stopwords="nl", stemmer=stemmer, show_progress=False)
        if not qt.vocab or not any(qt.ids):
            return []
        docs, scores = retriever.retrieve(qt, k=min(k, len(passages)), show_progress=False, n_threads=1)
        return [int(d) for d, s in zip(docs[0], scores[0]) if s > 0]

    return search


def tantivy_engine(passages: list[str], index_dir: Path):
    import tantivy
    from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

    analyzer = TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.lowercase()).filter(Filter.stemmer("dutch")).build()
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=False, tokenizer_name="nl")
    sb.add_integer_field("pid", stored=True, indexed=False, fast=True)
    index = tantivy.Index(sb.build(), path=str(index_dir))
    index.register_tokenizer("nl", analyzer)
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    for i, text in enumerate(passages):
        writer.add_document(tantivy.Document(body=text, pid=i))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    def search(q: str, k: int) -> list[int]:
        words = re.findall(r"[^\W_]+", q)
        if not words:
            return []
        query = index.parse_query(" ".join(words), ["body"])
        return [searcher.doc(addr)["pid"][0] for _, addr in searcher.search(query, k).hits]

    return search


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=["bm25s", "tantivy"])
    ap.add_argument("--passages", required=True)
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    passages = [json.loads(line) for line in open(args.passages, encoding="utf-8")]
    text_bytes = sum(len(p.encode("utf-8")) for p in passages)
    index_dir = Path(args.index_dir)
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    t0 = time.perf_counter()
    search = (bm25s_engine if args.engine == "bm25s" else tantivy_engine)(passages, index_dir)
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queries = json.loads(Path(args.queries).read_text(encoding="utf-8"))
    search(queries[0], 10)
    times = []
    for q in queries:
        t = time.perf_counter()
        search(q, 10)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    out = {"engine": args.engine, "passages": len(passages), "passage_text_mb": round(text_bytes / 1e6, 2),
           "index_seconds": round(seconds, 2), "mb_per_min": round(text_bytes / 1e6 / (seconds / 60), 1),
           "peak_rss_mb": round(rss, 1), "disk_mb": round(_disk(index_dir) / 1e6, 1),
           "query_ms": {"n": len(times), "p50": round(times[len(times) // 2], 2),
                        "p95": round(times[int(len(times) * 0.95) - 1], 2), "max": round(times[-1], 2)}}
    print(json.dumps(out), flush=True)
    if not args.port:
        return 0

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            qs = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
            hits = search(qs.get("q", [""])[0], int(qs.get("limit", ["10"])[0]))
            body = json.dumps({"results": [{"text": passages[i]} for i in hits]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
