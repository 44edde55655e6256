"""`beleidsbank serve` runs the app under gunicorn, the production server `make serve` uses."""
from __future__ import annotations

import socket
import subprocess
import time
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
        assert 'lang="nl"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/search?q=IND", timeout=10) as resp:
            assert resp.status == 200 and b'"results"' in resp.read()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
