"""Every page reachable from the home page answers: no 404, no 500 (issue 15).

A breadth-first crawl through Flask's test client follows every link of every HTML page (``<a href>``
and ``<link href>``: the ``.json`` and ``.csv`` twins, downloads and originals included), on the
shipped collection and on a small mixed one (PDF, Word, saved web pages, Markdown, text, a scan, an
unknown file type and a handful of regulations).

Bounded: a link is followed once (fragment dropped).  Every page without a query string is visited
(every document, passage, entity, fund, reading view and original); of the links that only differ
in their query string or are a page's twin, ``VARIANTS`` are followed per kind of page, set of query
keys and format, and ``KIND_VARIANTS`` per kind of page and format (the facet links of a search page
combine without end, and every passage has marked variants).  At most ``MAX_URLS`` requests per collection: the test fails if that cap is reached
before the crawl ran out of links, so the bound never hides a page silently.
"""
from __future__ import annotations

import html
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from flask.testing import FlaskClient

from settings import Settings
from webapp import create_app

MAX_URLS = 2500
VARIANTS = 3
KIND_VARIANTS = 40
_TWIN = re.compile(r"\.(json|csv)$")
_HREF = re.compile(r'<(?:a|link)\b[^>]*?\bhref="([^"]*)"', re.IGNORECASE)


def _normalise(base: str, href: str) -> str | None:
    """The site-internal URL of a link (fragment dropped, query kept in order), None for other sites."""
    url = urljoin(base, html.unescape(href))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
        return None
    if not parts.path.startswith("/"):
        return None
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + (f"?{query}" if query else "")


def crawl(client: FlaskClient) -> tuple[dict[str, int], Counter, bool]:
    """Status per URL, number of URLs per kind of page, and whether the crawl ran out of links."""
    seen: dict[str, int] = {}
    variants: Counter = Counter()
    kinds: Counter = Counter()
    queue: deque[tuple[str, str]] = deque([("/", "")])
    queued = {"/"}
    while queue and len(seen) < MAX_URLS:
        url, referrer = queue.popleft()
        resp = client.get(url, headers={"Referer": referrer} if referrer else {})
        seen[url] = resp.status_code
        path = urlsplit(url).path
        kinds[re.sub(r"/[^/]+$", "/…", path) if path.count("/") > 1 else path] += 1
        if resp.status_code != 200 or resp.mimetype != "text/html" or "attachment" in resp.headers.get(
                "Content-Disposition", ""):
            continue
        for href in _HREF.findall(resp.get_data(as_text=True)):
            target = _normalise("http://localhost" + url, href)
            if target is None or target in queued:
                continue
            parts = urlsplit(target)
            twin = _TWIN.search(parts.path)
            if parts.query or twin:
                kind = re.sub(r"(?<=.)/[^/]+", "/*", _TWIN.sub("", parts.path))  # "/passages/x" -> "/passages/*"
                fmt = twin.group(1) if twin else "html"
                keys = tuple(sorted({k for k, _ in parse_qsl(parts.query)})) if fmt == "html" else ()
                if variants[(kind, fmt, keys)] >= VARIANTS or variants[(kind, fmt)] >= KIND_VARIANTS:
                    continue
                variants[(kind, fmt, keys)] += 1
                variants[(kind, fmt)] += 1
            queued.add(target)
            queue.append((target, url))
    return seen, kinds, not queue


def _assert_clean(seen: dict[str, int], kinds: Counter, finished: bool) -> None:
    broken = {url: status for url, status in seen.items() if status >= 400}
    assert not broken, f"{len(broken)} links answer an error: {sorted(broken.items())[:20]}"
    assert finished, f"the crawl hit its cap of {MAX_URLS} URLs before it ran out of links"
    # the crawl really went everywhere: every kind of page was reached, and their twins
    for path in ("/", "/zoeken", "/documenten", "/documenten/…", "/passages/…", "/entiteiten", "/entiteiten/…",
                 "/maatregelen", "/fondsen", "/api"):
        assert kinds[path], (path, kinds)
    assert any(u.endswith(".json") or ".json?" in u for u in seen) and any(".csv" in u for u in seen)


def test_shipped_collection_has_no_dead_links(built_settings: Settings) -> None:
    client = create_app(built_settings, testing=True).test_client()
    seen, kinds, finished = crawl(client)
    _assert_clean(seen, kinds, finished)
    assert any(u.startswith("/documenten/") and "/tekst" in u for u in seen)  # the reading views


def test_mixed_collection_has_no_dead_links(mixed_settings: Settings) -> None:
    client = create_app(mixed_settings, testing=True).test_client()
    seen, kinds, finished = crawl(client)
    _assert_clean(seen, kinds, finished)
    originals = [u for u in seen if u.endswith("/origineel")]
    assert len(originals) >= 10, originals  # every read document's original is linked and served
    assert any("/fondsen/AMF" in u for u in seen)


@pytest.mark.parametrize("href, expected", [
    ("/zoeken?q=a&b=1#p2", "/zoeken?q=a&b=1"),
    ("https://wetten.overheid.nl/BWBR0001854", None),
    ("mailto:x@example.org", None),
    ("tekst", "/documenten/x/tekst"),
])
def test_the_crawler_stays_on_the_site(href: str, expected: str | None) -> None:
    assert _normalise("http://localhost/documenten/x/", href) == expected
