"""A request limit on the expensive POST operations (``/tag``, ``/statements``): a token bucket per
client address, in the worker process.

Each client address has a bucket of at most ``Limits.post_burst`` requests, refilled at
``Limits.post_per_minute``; a request when the bucket is empty gets ``429`` problem+json with
``Retry-After`` (whole seconds until the next token).  The buckets live in memory per worker
process (gunicorn runs a few): the limit a client sees is per worker, which is enough to stop
one client from occupying the tagger, and needs no shared store.  At most
``Limits.rate_limit_clients`` addresses are remembered (the least recently seen are forgotten).

The client address is ``request.remote_addr``: behind a reverse proxy, configure the proxy's
address in gunicorn's ``forwarded_allow_ips`` so that it is the client's, not the proxy's.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from typing import Callable

from flask import current_app, request

from webapp.api.problems import ApiError


class TokenBuckets:
    """Buckets by key; :meth:`take` answers 0.0 (allowed) or the seconds until the next token."""

    def __init__(self, per_minute: float, burst: int, max_keys: int, clock: Callable[[], float] = time.monotonic):
        self.rate = max(per_minute, 0.0) / 60.0
        self.burst = max(1, burst)
        self.max_keys = max(1, max_keys)
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else math.inf
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait


def _buckets() -> TokenBuckets:
    ext = current_app.extensions
    buckets = ext.get("beleidsbank.ratelimit")
    if buckets is None:
        lim = current_app.config["SETTINGS"].limits
        buckets = ext.setdefault("beleidsbank.ratelimit",
                                 TokenBuckets(lim.post_per_minute, lim.post_burst, lim.rate_limit_clients))
    return buckets


def limit_posts() -> None:
    """Take a token for this client, or raise the 429 problem."""
    wait = _buckets().take(request.remote_addr or "onbekend")
    if wait > 0:
        lim = current_app.config["SETTINGS"].limits
        seconds = 24 * 3600 if math.isinf(wait) else max(1, math.ceil(wait))
        per_minute = f"{lim.post_per_minute:g}".replace(".", ",")
        raise ApiError(429, f"Te veel aanvragen: ten hoogste {per_minute} per minuut (en {lim.post_burst} achter elkaar) "
                            f"per client voor deze bewerking. Probeer het over {seconds} seconden opnieuw.",
                       headers={"Retry-After": str(seconds)})
