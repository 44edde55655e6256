"""Search and passages stay in step while the collection is rebuilt (issue 16, #7): a real gunicorn
server on 127.0.0.1, a bounded request loop, and repeated rebuilds that add, change and remove a
document.  A search hit whose passage answers 404 while a fresh search still returns that hit means
the index and the knowledge base of different builds were served together."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

from beleidsbank.pipeline import build
from settings import BuildOptions, Settings
from support import EXE, SHIPPED_CORPUS

QUERY = "fietsparkeren"
REBUILDS = 6


def _variant(corpus: Path, n: int) -> None:
    """Round n of the rebuild loop: the extra document is present with n-dependent sections (so its
    passage ids change) in odd rounds and absent in even ones."""
    path = corpus / "fietsparkeren.md"
    if n % 2 == 0:
        path.unlink(missing_ok=True)
        return
    parts = [f"## Stalling {n}-{i}\n\nHet fietsparkeren bij station {n}-{i} wordt uitgebreid met {10 * i + n} plekken."
             for i in range(3 + n)]
    path.write_text("# Fietsparkeren\n\n" + "\n\n".join(parts) + "\n", encoding="utf-8")


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_every_hit_passage_answers_during_rebuilds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, corpus)
    _variant(corpus, 1)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus,
                        build=replace(BuildOptions(), generation_grace_seconds=1.0))
    build(settings, progress=False)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([EXE, "serve", "--data", str(settings.data_dir), "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()
    errors: list[BaseException] = []

    def rebuild_loop() -> None:
        try:
            for n in range(2, 2 + REBUILDS):
                _variant(corpus, n)
                build(settings, progress=False)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            done.set()

    search = f"{base}/api/v1/search?" + urllib.parse.urlencode({"q": QUERY, "limit": 20})
    lookups, broken, generations = 0, [], set()
    try:
        deadline = time.monotonic() + 30
        while not _server_up(base):
            assert proc.poll() is None and time.monotonic() < deadline, "server did not come up"
            time.sleep(0.2)
        builder = threading.Thread(target=rebuild_loop, daemon=True)
        builder.start()
        rounds = 0
        while not done.is_set() and rounds < 5000:  # bounded: the builds end the loop
            rounds += 1
            status, body = _get(search)
            assert status == 200, body[:300]
            hits = [r["id"] for r in json.loads(body)["results"]]
            generations.add(settings.generation_dir.name)
            for pid in hits:
                lookups += 1
                status, body = _get(f"{base}/api/v1/passages/{urllib.parse.quote(pid, safe='/~')}")
                if status == 200:
                    continue
                assert status == 404, (status, body[:300])
                # gone from the knowledge base: a fresh search must not return it any more
                fresh = [r["id"] for r in json.loads(_get(search)[1])["results"]]
                if pid in fresh:
                    broken.append(pid)
        builder.join(timeout=600)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert not errors, errors
    assert lookups >= 20 and len(generations) >= 3, (lookups, generations)
    assert not broken, f"{len(broken)} of {lookups} hits pointed at passages the knowledge base did not have"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_up(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/", timeout=5):
            return True
    except OSError:
        return False
