"""Human-readable rendering of a search result (the CLI's non-JSON output)."""
from __future__ import annotations

import html
import re
import textwrap
from typing import Any


def _plain_snippet(snippet: str) -> str:
    """HTML snippet -> plain text with the matches marked «…»."""
    s = snippet.replace("<mark>", "«").replace("</mark>", "»")
    s = re.sub(r"<[^>]+>", "", s)
    return html.unescape(s)


def format_results(result: dict[str, Any], *, width: int = 100) -> str:
    lines: list[str] = []
    total = result.get("total", 0)
    q = result.get("query", "")
    shown = len(result.get("results", []))
    passages = result.get("passages", total)
    counted = f"{total} passage(s)" if passages == total else f"{total} sectie(s) met {passages} passage(s)"
    lines.append(f"{counted} voor «{q}»" + (f", {shown} getoond" if shown and shown < total else "")
                 + (f" ({result['took_ms']:.0f} ms)" if result.get("took_ms") is not None else ""))
    if result.get("interpreted"):
        lines.append(f"  {result['interpreted']}")
    if result.get("suggestion"):
        lines.append(f"  Bedoelde u: {result['suggestion']}?")
    for i, r in enumerate(result.get("results", []), start=1):
        lines.append("")
        lines.append(f"{i}. {r.get('title') or '(zonder titel)'}")
        path = r.get("path") or []
        if len(path) > 1:
            lines.append(f"   {' › '.join(path)}")
        meta = [r.get("document_title") or r.get("document") or ""]
        if r.get("year"):
            meta.append(str(r["year"]))
        meta.append(f"score {r.get('score', 0):.2f}")
        lines.append(f"   {' · '.join(m for m in meta if m)}")
        snippet = _plain_snippet(r.get("snippet") or "") or (r.get("text") or "")[:240]
        for ln in textwrap.wrap(snippet, width=width - 3):
            lines.append(f"   {ln}")
        more = (r.get("more_in_section") or {}).get("count")
        if more:
            lines.append(f"   + {more} meer uit deze sectie")
    return "\n".join(lines)
