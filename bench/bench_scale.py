"""Scale benchmark on the Dutch regulations collection (issue 13): our build and search against bm25s
and Tantivy on the same passages, at 1/8, 1/4, 1/2 and all of the collection.

Per size (a slice takes every n-th file of the sorted file list, hard-linked under
/work/ext/scale-slices; the whole collection is /work/ext/regelgeving, unpacked from
../shared/corpus-regelgeving/regelgeving.tar.xz when missing):

* our build (``beleidsbank build`` in a subprocess, from scratch): wall and CPU seconds, MB of text
  per minute, peak RSS summed over the process tree (workers included), bytes on disk of the
  published generation and the time per stage the build reports;
* incremental: one document changed (a paragraph appended) and rebuilt, then restored and rebuilt;
* our search over HTTP (``beleidsbank serve``, gunicorn, 2 workers; snippets, facets and suggestions
  on): the first query after start, then 300 varied queries (dev queries, single words, word runs,
  quoted phrases, misspellings; seeded) after a warm-up: p50, p95, max;
* the peers (bench/scale_peers.py, own process) on exactly our passages: index seconds, MB/min,
  peak RSS, bytes on disk, raw in-process query times over the same 300 queries;
* nDCG@10 of all three on ../shared/eval/dev_queries_regelgeving.jsonl, scored by score.py --url
  (same gain rules) — on the whole collection only (the judged documents are spread over all of it).

Data lives under /work/ext/scale-bench (never in the repository).  The machine's load average is
recorded with every figure: timings taken while other work runs are noisy.

    .venv/bin/python bench/bench_scale.py [--fractions 8,4,2,1] [--port 5107] [--out file.json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
EXT = Path("/work/ext")
WORK = EXT / "scale-bench"
BIN = Path(sys.executable).parent
DEV_QUERIES = SHARED / "eval" / "dev_queries_regelgeving.jsonl"
SCORE = SHARED / "eval" / "score.py"


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def collection() -> Path:
    unpacked = EXT / "regelgeving"
    if unpacked.is_dir() and any(unpacked.iterdir()):
        return unpacked
    dest = EXT / "scale-regelgeving"
    if not (dest / "regelgeving").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(SHARED / "corpus-regelgeving" / "regelgeving.tar.xz") as tar:
            tar.extractall(dest, filter="data")
    return dest / "regelgeving"


def slice_dir(n: int) -> Path:
    """Every n-th file of the collection (sorted), hard-linked, in its kind folder."""
    src = collection()
    if n == 1:
        return src
    dest = EXT / "scale-slices" / f"s{n}"
    files = sorted(p.relative_to(src) for p in src.rglob("*.md"))
    chosen = files[::n]
    if not dest.is_dir() or sum(1 for _ in dest.rglob("*.md")) != len(chosen):
        shutil.rmtree(dest, ignore_errors=True)
        for rel in chosen:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(src / rel, dest / rel)
    return dest


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def measured(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; wall and CPU seconds (the process and its waited-for children), peak RSS of the tree."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_mb(_tree(proc.pid)))
            stop.wait(0.25)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    stop.set()
    th.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {err[-2000:]}")
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(peak[0], 0), "stdout": out, "stderr": err}


def _cpu_children() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def disk_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def our_build(corpus: Path, data: Path) -> dict:
    cpu0 = _cpu_children()
    r = measured([str(BIN / "beleidsbank"), "build", "--data", str(data), "--corpus", str(corpus), "--quiet"])
    cpu = _cpu_children() - cpu0
    stages = {}
    m = re.search(r"tijd per fase: (.*)", r["stderr"])
    if m:
        stages = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", m.group(1))}
    from settings import current_generation

    gen = current_generation(data)
    return {"wall_s": r["wall_s"], "cpu_s": round(cpu, 1), "peak_rss_mb": r["peak_rss_mb"], "stages_s": stages,
            "summary": [l for l in r["stderr"].splitlines() if not l.startswith(("WARNING", "waarschuwing"))][-4:],
            "disk_mb": {"generation": round(disk_bytes(gen) / 1e6, 1),
                        "knowledge_base": round((gen / "beleidsbank.sqlite").stat().st_size / 1e6, 1),
                        "index": round(disk_bytes(gen / "index") / 1e6, 1),
                        "data_dir": round(disk_bytes(data) / 1e6, 1)}}


def incremental(corpus: Path, data: Path) -> dict:
    files = sorted(corpus.rglob("*.md"))
    target = files[len(files) // 2]
    original = target.read_bytes()
    tmp = target.with_name(target.name + ".bench-tmp")
    tmp.write_bytes(original + "\n\nDeze alinea is toegevoegd door de benchmark voor een incrementele build.\n".encode())
    os.replace(tmp, target)  # a new file: never write through the hard link into the collection
    try:
        changed = our_build(corpus, data)
    finally:
        tmp.write_bytes(original)
        os.replace(tmp, target)
    restored = our_build(corpus, data)
    return {"document": str(target.relative_to(corpus)), "changed": changed, "restored": restored}


def export_passages(data: Path, out: Path) -> int:
    """The stored text of each of our passages, in index order, one JSON string per line."""
    from indexer.state import IndexState
    from settings import current_generation

    st = IndexState(current_generation(data) / "index")  # passage texts come from the knowledge base
    n = 0
    try:
        with open(out, "w", encoding="utf-8") as fh:
            for docnum in range(st.N):
                fh.write(json.dumps(st.stored(docnum).get("text", ""), ensure_ascii=False) + "\n")
                n += 1
    finally:
        st.close()
    return n


def make_queries(passages_file: Path, n: int = 300, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    texts = [json.loads(l) for l in open(passages_file, encoding="utf-8")]
    dev = [json.loads(l)["query"] for l in open(DEV_QUERIES, encoding="utf-8") if l.strip()] if DEV_QUERIES.exists() else []
    out = list(dev)

    def words() -> list[str]:
        for _ in range(100):
            ws = re.findall(r"[^\W\d_]{3,}", rng.choice(texts))
            if len(ws) >= 4:
                return ws
        return ["wet"]

    kinds = ["word", "run", "phrase", "typo"]
    while len(out) < n:
        kind = kinds[len(out) % 4]
        ws = words()
        i = rng.randrange(len(ws) - 3)
        if kind == "word":
            out.append(max(ws[i:i + 3], key=len))
        elif kind == "run":
            out.append(" ".join(ws[i:i + rng.choice([2, 3])]))
        elif kind == "phrase":
            out.append(f'"{ws[i]} {ws[i + 1]}"')
        else:
            w = max(ws, key=len)
            j = rng.randrange(1, max(2, len(w) - 2))
            out.append(w[:j] + w[j + 1] + w[j] + w[j + 2:] if len(w) > 3 else w)
    return out[:n]


def _get_ms(url: str) -> float:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as resp:
        resp.read()
    return (time.perf_counter() - t) * 1000


def _pct(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"n": len(xs), "p50": round(xs[len(xs) // 2], 1), "p95": round(xs[int(len(xs) * 0.95) - 1], 1),
            "max": round(xs[-1], 1)}


def _wait_up(url: str, proc, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server at {url} did not come up")
            time.sleep(0.1)


def _ndcg(url: str) -> float | None:
    if not (SCORE.exists() and DEV_QUERIES.exists()):
        return None
    out = subprocess.run([sys.executable, str(SCORE), "search", "--queries", str(DEV_QUERIES), "--url", url, "--k", "10"],
                         capture_output=True, text=True, timeout=1800)
    m = re.search(r"ndcg@10=([\d.]+)", out.stdout)
    return float(m.group(1)) if m else None


def our_search(data: Path, queries: list[str], port: int, ndcg: bool) -> dict:
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(BIN / "beleidsbank"), "serve", "--data", str(data), "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(f"{base}/", proc)
        q = lambda s: f"{base}/api/v1/search?" + urllib.parse.urlencode({"q": s, "limit": 10})  # noqa: E731
        first = _get_ms(q(queries[0]))
        for s in queries[-30:]:  # warm-up (both workers)
            _get_ms(q(s))
        times = [_get_ms(q(s)) for s in queries]
        out = {"first_query_ms": round(first, 1), "warm_query_ms": _pct(times), "load": load()}
        if ndcg:
            out["ndcg@10"] = _ndcg(base)
        return out
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def peer(engine: str, passages: Path, queries_file: Path, port: int, ndcg: bool) -> dict:
    index_dir = WORK / f"peer-{engine}"
    cmd = [sys.executable, str(ROOT / "bench" / "scale_peers.py"), engine, "--passages", str(passages),
           "--index-dir", str(index_dir), "--queries", str(queries_file), "--port", str(port if ndcg else 0)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"peer {engine} failed")
        out = json.loads(line)
        out["load"] = load()
        if ndcg:
            _wait_up(f"http://127.0.0.1:{port}/api/v1/search?q=x", proc)
            out["ndcg@10"] = _ndcg(f"http://127.0.0.1:{port}")
        return out
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(index_dir, ignore_errors=True)


def run_size(n: int, port: int, save=lambda res: None, search_only: bool = False) -> dict:
    corpus = slice_dir(n)
    text = sum(p.stat().st_size for p in corpus.rglob("*.md"))
    data = WORK / f"data-s{n}"
    res: dict = {"fraction": f"1/{n}", "files": sum(1 for _ in corpus.rglob("*.md")), "text_mb": round(text / 1e6, 1),
                 "load_before": load()}
    if not search_only:
        shutil.rmtree(data, ignore_errors=True)
        build = our_build(corpus, data)
        build["mb_per_min"] = round(text / 1e6 / (build["wall_s"] / 60), 1)
        build["disk_x_text"] = round(build["disk_mb"]["generation"] * 1e6 / text, 2)
        build["load_after"] = load()
        res["ours_build"] = build
        save(res)
        res["ours_incremental"] = incremental(corpus, data)
        save(res)
    passages = WORK / f"passages-s{n}.jsonl"
    res["passages"] = export_passages(data, passages)
    queries = make_queries(passages)
    qfile = WORK / f"queries-s{n}.json"
    qfile.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    full = n == 1
    res["ours_search_http"] = our_search(data, queries, port, ndcg=full)
    save(res)
    res["peers"] = {e: peer(e, passages, qfile, port + 1, ndcg=full) for e in ("bm25s", "tantivy")}
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fractions", default="8,4,2,1", help="1/n of the collection, comma-separated")
    ap.add_argument("--port", type=int, default=5107)
    ap.add_argument("--out", default=None, help="also write the JSON here")
    ap.add_argument("--search-only", action="store_true", help="reuse the data built by an earlier run")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    result = {"what": "issue 13 scale benchmark: our build/search vs bm25s and Tantivy on the same passages",
              "how": " ".join(__doc__.split("\n\n")[1:3]).replace("\n", " "), "cores": os.cpu_count(), "sizes": []}
    for n in [int(x) for x in args.fractions.split(",")]:
        print(f"== 1/{n} (load {load()})", file=sys.stderr)
        def save(res: dict) -> None:
            if args.out:
                partial = {**result, "sizes": [*result["sizes"], {**res, "partial": True}]}
                Path(args.out).write_text(json.dumps(partial, indent=1, ensure_ascii=False), encoding="utf-8")

        result["sizes"].append(run_size(n, args.port, save, search_only=args.search_only))
        if args.out:
            Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
