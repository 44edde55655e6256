"""Load test of ``GET /api/v1/search`` on the production server, driven by ``wrk``.

What: requests/s, latency percentiles (p50/p95/p99) and errors (socket errors and non-2xx
responses) of the search endpoint, for 1 and for 8 concurrent connections, for a few gunicorn
worker/thread settings.

How: the app is served exactly as ``make serve`` serves it — ``beleidsbank serve --data DIR
--host 127.0.0.1 --port PORT --workers W --threads T`` (gunicorn, gthread workers) — in a
subprocess on a free port on 127.0.0.1.  Every query of the mix is checked once (200 with
results) before the load; each setting is warmed up briefly (every worker thread opens its own
store and index on first use), then ``wrk --latency`` runs for a bounded time (at most 10 s)
with a Lua script that rotates over a mix of real queries (plain words, abbreviations, phrases,
filters, sorting, later pages).  wrk's Lua ``done`` hook prints the statistics as JSON.  wrk
runs on the same machine, so it takes some of the CPU from the server.

Worker settings: searches are CPU-bound Python and numpy work, so throughput grows with
processes up to the number of cores and threads mainly keep several connections served by one
process.  Measured: one single-threaded worker (the floor), one worker per core with one thread,
and the ``beleidsbank serve`` default (2 workers x 4 threads).

Output: one JSON object on stdout; exit status 1 if any request failed.

    python bench/bench_api.py [--data DIR] [--duration 5] [--connections 1,8] [--settings 1x1,2x4]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from settings import Settings, load_settings  # noqa: E402

HOST = "127.0.0.1"
MAX_DURATION = 10  # seconds per wrk run (wrk takes whole seconds)

#: The query mix: (q, extra parameters).  Real questions a policy officer asks of the shipped corpus.
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("IND", {}),
    ("achterstanden IND", {}),
    ("ECRIS-TCN", {}),
    ("HashCheckService kinderporno", {}),
    ("inburgering vrouwelijke statushouders", {}),
    ("terugkeer", {}),
    ("Asiel- en Migratiefonds", {}),
    ('"wegwerken van de achterstanden"', {}),
    ("grensbeheer visa", {}),
    ("cybercrime", {}),
    ("slachtofferhulp", {}),
    ("gevangeniswezen", {}),
    ("Schengeninformatiesysteem", {}),
    ("mensenhandel", {}),
    ("ondermijning georganiseerde criminaliteit", {}),
    ("asielaanvragen opvang COA", {}),
    ("migratie", {"type": "jaarverslag"}),
    ("migratie", {"sort": "date"}),
    ("terugkeer", {"offset": "10"}),
    ("politie", {"limit": "20"}),
    ("fondsen", {"entity_type": "FUND"}),
    ("rechtsstaat", {"year": "2020"}),
]


def query_paths() -> list[str]:
    return ["/api/v1/search?" + urlencode({"q": q, **extra}) for q, extra in QUERIES]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ensure_data(settings: Settings) -> tuple[Settings, str]:
    """The data directory to serve: the given one when built, else a fresh build of the corpus."""
    from beleidsbank.pipeline import build, is_built

    if is_built(settings):
        return settings, f"existing build in {settings.data_dir}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    say(f"no build in {settings.data_dir}; building the corpus into {tmp}")
    built = settings.with_overrides(data_dir=tmp)
    build(built, progress=False)
    return built, f"fresh build of {built.corpus_dir} in a temporary directory"


def serve_command(data_dir: Path, port: int, workers: int, threads: int) -> list[str]:
    exe = Path(sys.executable).with_name("beleidsbank")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "beleidsbank.cli"]
    return [*base, "serve", "--data", str(data_dir), "--host", HOST, "--port", str(port),
            "--workers", str(workers), "--threads", str(threads)]


class Server:
    """``beleidsbank serve`` in a subprocess (own process group, stopped with SIGTERM)."""

    def __init__(self, data_dir: Path, workers: int, threads: int) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.cmd = serve_command(data_dir, self.port, workers, threads)
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.output()}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout} s: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-2000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


LUA = r"""
local paths = {%(paths)s}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7  -- threads start at different queries
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept-Encoding"] = "gzip"})
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '@@JSON{"requests":%%d,"duration_us":%%d,"bytes":%%d,"errors":{"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d},' ..
    '"latency_us":{"min":%%d,"mean":%%.1f,"stdev":%%.1f,"max":%%d,"p50":%%d,"p90":%%d,"p95":%%d,"p99":%%d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99)))
end
"""


def write_lua(paths: list[str], directory: Path) -> Path:
    script = directory / "search_mix.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)}, encoding="utf-8")
    return script


def run_wrk(wrk: str, base: str, script: Path, connections: int, duration: int) -> dict:
    threads = max(1, min(connections, os.cpu_count() or 1))
    cmd = [wrk, "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
           "--timeout", "10s", "-s", str(script), base + "/"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30, check=True).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("@@JSON"))
    stats = json.loads(line[len("@@JSON"):])
    seconds = stats["duration_us"] / 1e6
    lat = stats["latency_us"]
    socket_errors = sum(v for k, v in stats["errors"].items() if k != "status")
    return {
        "connections": connections,
        "wrk_threads": threads,
        "duration_s": round(seconds, 2),
        "requests": stats["requests"],
        "requests_per_s": round(stats["requests"] / seconds, 1),
        "latency_ms": {k: round(lat[k] / 1000, 2) for k in ("p50", "p90", "p95", "p99", "mean", "max")},
        "errors": {"socket": socket_errors, "non_2xx": stats["errors"]["status"], **stats["errors"]},
        "transfer_mb_per_s": round(stats["bytes"] / seconds / 1e6, 2),
        "command": " ".join(cmd),
    }


def check_queries(base: str, paths: list[str]) -> list[dict]:
    """Every query of the mix once: status 200 and how many results (so a load error is not a query error)."""
    out = []
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=30) as resp:
            body = json.loads(resp.read())
            out.append({"path": path, "status": resp.status, "total": body["total"], "took_ms": body["took_ms"]})
    return out


def parse_settings(text: str) -> list[tuple[int, int]]:
    return [(int(w), int(t)) for w, t in (item.split("x") for item in text.split(","))]


def main() -> int:
    cpus = os.cpu_count() or 1
    default_settings = f"1x1,{cpus}x1,2x4"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="built data directory (default: BELEIDSBANK_DATA or data/)")
    ap.add_argument("--duration", type=int, default=5, help=f"whole seconds per run (at most {MAX_DURATION})")
    ap.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each setting")
    ap.add_argument("--connections", default="1,8", help="concurrent connections per run, comma-separated")
    ap.add_argument("--settings", default=default_settings, help="WORKERSxTHREADS, comma-separated")
    args = ap.parse_args()
    duration = max(1, min(args.duration, MAX_DURATION))
    wrk = shutil.which("wrk")
    if wrk is None:
        say("wrk not found (Debian: apt-get install wrk)")
        return 2
    probe = subprocess.run([wrk, "-v"], capture_output=True, text=True)
    wrk_version = (probe.stdout or probe.stderr).splitlines()[0:1]
    settings, data_note = ensure_data(load_settings(data_dir=args.data))
    paths = query_paths()
    connections = [int(c) for c in args.connections.split(",")]
    configs = list(dict.fromkeys(parse_settings(args.settings)))
    runs, checked = [], []
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        script = write_lua(paths, Path(tmp))
        for workers, threads in configs:
            say(f"serving with {workers} worker(s) x {threads} thread(s)")
            server = Server(settings.data_dir, workers, threads)
            try:
                server.wait_ready(paths[0])
                if not checked:
                    checked = check_queries(server.base, paths)
                run_wrk(wrk, server.base, script, max(connections) * 2, args.warmup)  # open every thread's index
                for c in connections:
                    load_before = os.getloadavg()[0]
                    result = run_wrk(wrk, server.base, script, c, duration)
                    result = {"workers": workers, "threads": threads, **result,
                              "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
                    say(f"  {c:>2} connection(s): {result['requests_per_s']:>8.1f} req/s, "
                        f"p50 {result['latency_ms']['p50']} ms, p95 {result['latency_ms']['p95']} ms, "
                        f"p99 {result['latency_ms']['p99']} ms, errors {result['errors']['socket'] + result['errors']['non_2xx']}")
                    runs.append(result)
            finally:
                server.stop()
    errors = sum(r["errors"]["socket"] + r["errors"]["non_2xx"] for r in runs)
    report = {
        "benchmark": "api_search",
        "what": "throughput, latency percentiles and errors of GET /api/v1/search on the production server",
        "how": {
            "server": "beleidsbank serve --data DATA --host 127.0.0.1 --port PORT --workers W --threads T "
                      "(gunicorn, gthread workers, as `make serve`) in a subprocess, a free port per setting",
            "data": data_note,
            "load": f"wrk --latency, {duration} s per run after {args.warmup} s of unmeasured warm-up per setting; "
                    "Lua script rotating over the query mix; Accept-Encoding: gzip like a browser",
            "connections": connections,
            "queries": [p for p in paths],
            "latency": "wrk's own histogram (per request, from send to full response), milliseconds",
            "errors": "socket errors (connect, read, write, timeout) plus responses with status >= 400",
            "load_average_1min": "the machine's 1-minute load average before and after each run: other "
                                 "processes on the machine make the figures noisy when it exceeds the CPU count",
            "worker_settings": "1 worker x 1 thread is the floor; one single-threaded worker per CPU core "
                               f"({cpus}) is the CPU-bound optimum for short numpy searches; 2 workers x 4 "
                               "threads is the `beleidsbank serve` default. wrk runs on the same machine.",
        },
        "machine": {"cpus": cpus, "platform": platform.platform(), "python": platform.python_version(),
                    "wrk": wrk_version[0] if wrk_version else "wrk"},
        "query_check": checked,
        "runs": runs,
        "errors_total": errors,
        "ok": errors == 0,
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
