"""Plain helpers the test modules share (fixtures live in ``conftest.py``; nothing here is a test).

There is one way to build a knowledge base in the tests: :func:`build_kb`, the product's own
build (readers, tagger, extraction, index) on a corpus folder.  The session builds the shipped
corpus once (``built_settings`` in conftest); a test that must write to a knowledge base gets a
file copy of that one (:func:`copy_kb`), and a test that needs other documents builds its own
small corpus folder with :func:`build_kb`.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from corpus.model import Document
from settings import PROJECT_ROOT, Settings

SHIPPED_CORPUS = PROJECT_ROOT / "corpus" / "documents"
#: The shared collections beside the clone; BELEIDSBANK_SHARED names them elsewhere (a git worktree).
SHARED = Path(os.environ.get("BELEIDSBANK_SHARED") or PROJECT_ROOT.parent / "shared")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
#: The installed command-line program (``make install`` puts it in the project's .venv).
EXE = str(Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / "beleidsbank")
if not Path(EXE).exists():
    EXE = shutil.which("beleidsbank") or EXE
#: The two shipped documents: a multi-year plan and an annual report.
PLAN_ID = "contourennota-migratie-veiligheidsfondsen-2021-2027"
REPORT_ID = "jenv-jaarverslag-2020-beleidsverslag"


def build_kb(corpus_dir: Path, data_dir: Path, **settings: object) -> Settings:
    """Build a knowledge base and index from ``corpus_dir`` into ``data_dir`` with the product's pipeline."""
    from beleidsbank.pipeline import build

    built = Settings(data_dir=data_dir, corpus_dir=corpus_dir, **settings)  # type: ignore[arg-type]
    report = build(built, progress=False, echo=lambda _msg: None)
    assert not report.errors, report.errors
    return built


def copy_kb(settings: Settings, dest_dir: Path):
    """A writable :class:`kb.store.Store` on a copy of a built knowledge base (SQLite's backup API,
    so what is still in the write-ahead log is copied too)."""
    from kb.store import Store

    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / settings.db_path.name
    with closing(sqlite3.connect(f"file:{settings.db_path}?mode=ro", uri=True)) as src, \
            closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    return Store(path)


def load_shipped() -> dict[str, Document]:
    """The shipped documents as the product's reader reads them, by id."""
    from corpus.loader import discover, load_document

    docs = [load_document(p, SHIPPED_CORPUS) for p in discover(SHIPPED_CORPUS)]
    return {d.id: d for d in docs}


def get_html(client, url: str, status: int = 200) -> str:
    """GET a UI page through Flask's test client, checking status and HTML mimetype."""
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    assert resp.mimetype == "text/html"
    return resp.get_data(as_text=True)


def section_dict(blocks: list[str], title: str = "Titel", section_id: str = "doc:sec") -> dict:
    """A store-shaped section whose blocks (paragraphs) are the given texts, a blank line apart."""
    text, spans = "", []
    for b in blocks:
        if text:
            text += "\n\n"
        spans.append([len(text), len(text) + len(b), "paragraph", 0])
        text += b
    return {"id": section_id, "title": title, "text": text, "blocks": spans}


# -- reading UI pages (Flask's test client) ----------------------------------------------------------
#: A script tag as hostile input: pages must show it escaped.
HOSTILE = "<script>alert(1)</script>"


def links(page: str, prefix: str) -> list[str]:
    """The (unescaped) targets of the links on a page that start with ``prefix``."""
    return [html.unescape(h) for h in re.findall(r'href="(' + re.escape(prefix) + r'[^"]*)"', page)]


def result_links(page: str) -> list[str]:
    """The links of the result titles on a search page, in order."""
    return [html.unescape(h) for h in re.findall(r'<h3 class="result-title"[^>]*><a href="([^"]+)"', page)]


def total_of(page: str) -> int:
    """The number of results a search page says it found (0 when it says none)."""
    m = re.search(r'class="result-summary"[^>]*>\s*([\d.]+) resulta', page)
    return int(m.group(1).replace(".", "")) if m else 0


def window_of(store, m: dict[str, Any]) -> str | None:
    """The passage (window, kb.passages) a mention starts in: entity pages list one row per passage."""
    from kb.passages import passage_at

    window = passage_at(store.section(m["section_id"]), m["start"])
    return window.id if window else None


def text_of(fragment: str) -> str:
    """The text an HTML fragment shows: tags removed, entities unescaped."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


#: A handful of small regulations (kind/BWB-id) from ../shared/corpus-regelgeving, one per folder kind.
REGULATIONS = ("rijksKB/BWBR0002011", "rijkswet/BWBR0022980", "pbo/BWBR0014224", "zbo/BWBR0032320",
               "AMvB/BWBR0002891", "circulaire/BWBR0020466", "wet/BWBR0016008", "beleidsregel/BWBR0027847")


#: A fund plan whose allocation sentences give euro amounts, and whose two allocations of one objective
#: differ only in their purpose (the labels of a fund's bars must still tell them apart).
FUND_PLAN = """# Fondsplan Asiel en Migratie

## AMF Asiel en opvang

### Doelstelling Asiel en opvang

Het fonds versterkt de opvang van asielzoekers in Nederland.

### Allocatie middelen Asiel en opvang (indicatief)

38% van AMF (€ 12 miljoen) voor organisaties met een de jure monopolie positie (20% COA / 18% IND)

10% van AMF (€ 3 miljoen) voor het maatschappelijk middenveld

## AMF Terugkeer

### Allocatie middelen Terugkeer (indicatief)

20% van AMF voor organisaties met een de jure monopolie positie (DT&V)

10% van AMF voor het maatschappelijk middenveld
"""
#: A letter without a metadata file that ends with its signature (no heading, no metadata separator).
LETTER = """Voortgang aanpak woningbouw

Den Haag, 14 maart 2024

Het kabinet bouwt in 2024 meer woningen dan in 2023. De gemeenten krijgen € 1,5 miljoen extra voor
de begeleiding van bouwprojecten; 40% daarvan gaat naar kleine gemeenten.

Ik informeer uw Kamer voor de zomer over de voortgang.

De Minister van Volkshuisvesting en Ruimtelijke Ordening,

H.M. de Jonge
"""

#: A note citing articles of two regulations (the Awb twice at 7:1, once in each section).
LAW_NOTE = """# Notitie bestuursrecht

## Bezwaar

Op grond van artikel 7:1 van de Algemene wet bestuursrecht kan bezwaar worden gemaakt. Artikel 6:7 van de
Algemene wet bestuursrecht regelt de termijn.

## Beroep

Volgens artikel 8:1 Awb staat beroep open. Ook artikel 7:1 van de Algemene wet bestuursrecht is van belang,
en artikel 72 van de Grondwet.
"""


def write_mixed_corpus(corpus: Path) -> dict[str, str]:
    """A small collection in every format the readers take (PDF and Word made by LibreOffice, saved web
    pages, Markdown, text), a scan without a text layer and an unknown file type, plus a handful of
    regulations.  Returns what each special file is for (name -> role)."""
    from PIL import Image

    from _regelgeving import unpack_slice
    from tests.fixtures.make_docx import generated_report
    from tests.fixtures.saved_pages import write_pages

    corpus.mkdir(parents=True, exist_ok=True)
    report = generated_report()
    shutil.copy(report["pdf"], corpus / "jaarverslag.pdf")
    shutil.copy(report["docx"], corpus / "jaarverslag-word.docx")
    write_pages(corpus)
    (corpus / "fondsplan.md").write_text(FUND_PLAN, encoding="utf-8")
    (corpus / "brief-woningbouw.txt").write_text(LETTER, encoding="utf-8")
    (corpus / "notitie-bestuursrecht.md").write_text(LAW_NOTE, encoding="utf-8")
    Image.new("RGB", (300, 400), "white").save(corpus / "scan.pdf", "PDF")
    (corpus / "gegevens.xyz").write_text("a,b,c\n", encoding="utf-8")
    unpack_slice(corpus, REGULATIONS)  # corpus/<kind>/<BWB-id>.md: the folder is the kind of regulation
    return {"pdf": "jaarverslag.pdf", "letter": "brief-woningbouw.txt", "fund": "fondsplan.md", "scan": "scan.pdf",
            "unknown": "gegevens.xyz", "laws": "notitie-bestuursrecht.md"}
