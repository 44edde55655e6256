"""`beleidsbank serve` runs the app under gunicorn, the production server `make serve` uses."""
from __future__ import annotations

import socket
import subprocess
import time
import json
import urllib.error
import urllib.request

from settings import Settings
from support import EXE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_uses_gunicorn_and_answers(built_settings: Settings) -> None:
    port = _free_port()
    proc = subprocess.Popen([EXE, "serve", "--data", str(built_settings.data_dir), "--port", str(port), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    body = resp.read().decode("utf-8")
                    server = resp.headers.get("Server", "")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not come up: {proc.stdout.read() if proc.stdout else ''}")
                time.sleep(0.2)
        assert "gunicorn" in server.lower()
        # the server says, in Dutch, where it listens once it is ready (issue 15, defect 2)
        ready = ""
        while "luistert op" not in ready:
            line = proc.stdout.readline() if proc.stdout else ""
            assert line, "the server printed no ready line"
            ready = line
        assert ready.startswith(f"Beleidsbank luistert op http://127.0.0.1:{port} ")
        assert 'lang="nl"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?q=IND", timeout=10) as resp:
            assert resp.status == 200 and b'"results"' in resp.read()
        # without a configured public address, links for others use the address the server listens on,
        # whatever Host a request names (issue 16 #10)
        forged = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/passages/geen:passage",
                                        headers={"Host": "evil.example"})
        try:
            urllib.request.urlopen(forged, timeout=10)
        except urllib.error.HTTPError as exc:
            assert json.loads(exc.read())["type"] == f"http://127.0.0.1:{port}/api#fout-niet-gevonden"
        else:
            raise AssertionError("an unknown passage answered 200")
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_workers_open_the_index_before_the_first_request(built_settings: Settings, tmp_path) -> None:
    """Each worker opens the published index and loads what a search needs before it takes
    requests, so the first user's query does not pay for it (issue 13: first query after start)."""
    from beleidsbank.server import gunicorn_options, warm_up
    from indexer import state
    from settings import INDEX_DIRNAME, current_generation

    assert warm_up(tmp_path) is False  # nothing built: nothing to open, no error
    state._STATES.clear()
    assert warm_up(built_settings.data_dir) is True
    index_dir = (current_generation(built_settings.data_dir) / INDEX_DIRNAME).resolve()
    assert [k[0] for k in state._STATES] == [str(index_dir)]
    opened = next(iter(state._STATES.values()))
    # what the first real query would otherwise pay: the regulation names read from the knowledge
    # base (the warm-up searches with it) and the spelling index (built on a thread; waited for)
    assert opened._regulation_names is not None
    assert opened.spelling._deletes is not None
    opts = gunicorn_options("127.0.0.1", 5000, 1, 1, built_settings.data_dir)
    state._STATES.clear()
    opts["post_worker_init"](None)
    assert [k[0] for k in state._STATES] == [str(index_dir)]
