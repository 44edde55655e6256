"""Request budgets under the probe's worst cases (issue 16): how long until the client has its answer.

What is measured: the app (``create_app``, Flask's test client in this process: no network) on the
built data directory answers the worst cases of the adversarial probe at two sizes each —
``POST /api/v1/tag`` with "IND en COA " repeated (the name chain of finding 1), and
``GET /api/v1/search?q=in- en <letters>`` (the elliptic compound of finding 4) — once with the
default budgets (``Settings.limits``) and once with a budget of 0.5 s.  For each: the status and
the wall time until the response was complete.  With a budget the time should stay near the budget
plus one step of the work (the tokenizer, one tagger component or one search stage), whatever the
input size; timings on a shared machine are noisy.

    .venv/bin/python bench/bench_budgets.py [--data data]

Prints one JSON object: {"what", "how", "budgets", "cases": [{"case", "size", "budget", "status", "seconds"}]}.
"""
from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from settings import Settings
    from webapp import create_app

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    args = ap.parse_args()
    base = Settings(data_dir=args.data)
    rng = random.Random(16)
    cases = []
    for budget in (None, 0.5):
        limits = replace(base.limits, post_burst=1000)
        if budget is not None:
            limits = replace(limits, text_budget_seconds=budget, search_budget_seconds=budget)
        client = create_app(replace(base, limits=limits), testing=True).test_client()
        client.post("/api/v1/tag", json={"text": "De IND."})  # build the tagger before timing
        for repeats in (20_000, 95_325):  # 220 KB and 1 MiB, the largest text the API takes
            text = "IND en COA " * repeats
            t0 = time.perf_counter()
            status = client.post("/api/v1/tag", json={"text": text}).status_code
            cases.append({"case": "tag name chain", "size": len(text), "budget": budget or limits.text_budget_seconds,
                          "status": status, "seconds": round(time.perf_counter() - t0, 3)})
        for letters in (50, 490):
            q = "in- en " + "".join(rng.choice(string.ascii_lowercase) for _ in range(letters))
            t0 = time.perf_counter()
            status = client.get("/api/v1/search", query_string={"q": q}).status_code
            cases.append({"case": "search elliptic compound", "size": len(q),
                          "budget": budget or limits.search_budget_seconds, "status": status,
                          "seconds": round(time.perf_counter() - t0, 3)})
    print(json.dumps({
        "what": "time until the answer for the probe's worst cases, with the default budgets and with 0.5 s",
        "how": "Flask test client in-process on --data; wall time per request; tagger built before timing",
        "budgets": {"text_budget_seconds": base.limits.text_budget_seconds,
                    "search_budget_seconds": base.limits.search_budget_seconds},
        "cases": cases,
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
