"""Official links of a cited regulation: wetten.overheid.nl for a BWB id, EUR-Lex for a CELEX number.

One home for the URL rule, used by the web pages and the API:

    law_url({"bwb": "BWBR0001903"})                   -> https://wetten.overheid.nl/BWBR0001903
    law_url({"bwb": "BWBR0001903"}, "167")            -> https://wetten.overheid.nl/jci1.3:c:BWBR0001903&artikel=167
    law_url({"celex": "32016L0680"})                  -> https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32016L0680

An article is linked with a Juriconnect reference (``jci1.3:c:<BWB-id>&artikel=<nr>``), the form wetten.overheid.nl
resolves to the article in the version in force (checked with the search tool: public code links
``https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=1:1`` and ``jci1.3:c:BWBR0001840&artikel=1``).  The
article number is the regulation's own ("4:49" in the Awb, "658" in Book 7 of the Civil Code).  A reference
without an article number ("afdeling 3.4") links the regulation.  EUR-Lex gets no article anchor.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from .citation import article_number
from .extract import BWB_ID

WETTEN_BASE = "https://wetten.overheid.nl/"
EURLEX_BASE = "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:"
_CELEX = re.compile(r"^[0-9][0-9]{4}[A-Z]{1,2}[0-9]{4}$")


def law_url(refs: dict[str, str] | None, article: str | None = None) -> str | None:
    """The official URL of a regulation (at the article, where the citation names one); None without refs."""
    refs = refs or {}
    bwb = (refs.get("bwb") or "").strip()
    if bwb and BWB_ID.match(bwb):
        number = article_number(article)
        if number:
            return f"{WETTEN_BASE}jci1.3:c:{bwb}&artikel={quote(number, safe=':.')}"
        return f"{WETTEN_BASE}{bwb}"
    celex = (refs.get("celex") or "").strip().upper()
    if celex and _CELEX.match(celex):
        return f"{EURLEX_BASE}{celex}"
    return None
