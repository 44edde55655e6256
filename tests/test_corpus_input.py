"""Awkward input: encodings, empty/binary/huge files, metadata, discovery, hostile HTML."""
from __future__ import annotations

import json
import time
from html.parser import HTMLParser
from pathlib import Path

import markdown as md_lib
import pytest

from corpus import Document, ReaderError, discover, iter_corpus, load_document
from corpus.decoding import decode_bytes
from corpus.ids import slugify
from corpus.limits import ReadLimits


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_windows_1252_is_decoded_and_reported(tmp_path: Path) -> None:
    text = "Financiën\n\nDe financiële positie van het Rijk is in 2020 verslechterd – zie € 20 mld.\n"
    write(tmp_path / "cp.txt", text.encode("cp1252"))
    doc = load_document(tmp_path / "cp.txt", tmp_path)
    assert doc.encoding == "cp1252"
    assert doc.sections[0].title == "Financiën"
    assert doc.sections[0].text == "De financiële positie van het Rijk is in 2020 verslechterd – zie € 20 mld."


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    write(tmp_path / "bom.md", b"\xef\xbb\xbf---\ntitle: Met BOM\n---\n# Kop\n\nTekst over financi\xc3\xable zaken.\n")
    doc = load_document(tmp_path / "bom.md", tmp_path)
    assert doc.encoding == "utf-8-sig" and doc.title == "Met BOM"
    assert doc.sections[0].title == "Kop" and doc.sections[0].text == "Tekst over financiële zaken."


def test_decode_bytes_newlines_and_soft_hyphens() -> None:
    text, enc = decode_bytes("rege\u00adringsjaar\r\nregel twee\rdrie\u00ad\nvier".encode(), "x.txt")
    assert enc == "utf-8"
    assert text == "regeringsjaar\nregel twee\ndrie\u00ad\nvier"  # end-of-line soft hyphen is joined by readers


@pytest.mark.parametrize("payload", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), bytes(range(0, 32)) * 40])
def test_binary_file_is_refused_with_its_name(tmp_path: Path, payload: bytes) -> None:
    write(tmp_path / "plaatje.txt", payload)
    with pytest.raises(ReaderError) as err:
        load_document(tmp_path / "plaatje.txt", tmp_path)
    assert "plaatje.txt" in str(err.value) and err.value.path == "plaatje.txt"


def test_empty_file_error_and_iter_corpus_continues(tmp_path: Path) -> None:
    write(tmp_path / "a-leeg.txt", b"")
    write(tmp_path / "b-spaties.md", b"  \n\n \t\n")
    write(tmp_path / "c-binair.txt", b"\x00\x01\x02" * 100)
    write(tmp_path / "d-goed.txt", "Titel\n\nEen gewone alinea met tekst.\n")
    results = list(iter_corpus(tmp_path))
    assert [type(r).__name__ for r in results] == ["ReaderError", "ReaderError", "ReaderError", "Document"]
    assert "a-leeg.txt" in str(results[0]) and "leeg bestand" in str(results[0])
    assert "b-spaties.md" in str(results[1]) and "c-binair.txt" in str(results[2])
    assert results[3].sections[0].paragraphs == ["Een gewone alinea met tekst."]


def _generated_report(chapters: int, topics: int = 25, paragraphs: int = 30) -> bytes:
    paragraph = ("De minister heeft in het verslagjaar maatregelen genomen om de uitvoering van het beleid te "
                 "verbeteren en de dienstverlening aan burgers en bedrijven te versterken. ") * 4
    parts = []
    for c in range(1, chapters + 1):
        parts.append(f"{c} Hoofdstuk over beleidsterrein {c}\n")
        for t in range(1, topics + 1):
            parts.append(f"Onderwerp {c}-{t} van het verslag\n")
            parts.extend(f"{paragraph}Alinea {c}.{t}.{p}.\n" for p in range(paragraphs))
    return "\n".join(parts).encode("utf-8")


def test_large_generated_file_reads_in_linear_time(tmp_path: Path) -> None:
    """A 20 MB report is refused by the default text limit, with a clear message; with a higher limit
    it is read completely, and reading it costs about 8 times what an eighth of it
    costs (CPU time of this process, two sizes in one run: a quadratic reader would cost ~64 times;
    absolute speed is measured in bench/, not here)."""
    small_chapters, chapters, topics = 5, 40, 25
    write(tmp_path / "klein.txt", _generated_report(small_chapters))
    data = _generated_report(chapters)
    assert len(data) > 20_000_000
    write(tmp_path / "groot.txt", data)
    with pytest.raises(ReaderError, match=r"groot\.txt: te veel tekst: [\d.]+ tekens gelezen, de grens is 8\.000\.000 tekens"):
        load_document(tmp_path / "groot.txt", tmp_path)  # the default limit refuses it, with a clear message
    limits = ReadLimits(max_text_chars=25_000_000)
    load_document(tmp_path / "klein.txt", tmp_path, limits=limits)  # warm up (imports, caches)
    cost = {}
    for name in ("klein.txt", "groot.txt"):
        start = time.process_time()
        doc = load_document(tmp_path / name, tmp_path, limits=limits)
        cost[name] = time.process_time() - start
    assert cost["groot.txt"] < 20 * max(cost["klein.txt"], 0.01), cost
    assert len(doc.sections) == chapters * (topics + 1)
    assert doc.sections[1].title == "Onderwerp 1-1 van het verslag" and doc.sections[1].level == 2
    assert len(doc.sections[1].blocks) == 30
    assert len({s.id for s in doc.sections}) == len(doc.sections)


def test_sidecar_wins_over_front_matter_and_is_hashed(tmp_path: Path) -> None:
    body = "---\ntitle: Uit front matter\nkind: nota\nauteur: BZK\ndatum: 2021-03-04\n---\n# Kop\n\nTekst.\n"
    write(tmp_path / "nota-2021.md", body)
    plain = load_document(tmp_path / "nota-2021.md", tmp_path)
    assert (plain.title, plain.kind, plain.year) == ("Uit front matter", "nota", 2021)
    assert plain.metadata == {"auteur": "BZK"} and plain.date == "2021-03-04"  # "datum" is the date field
    json.dumps(plain.to_dict())  # metadata survives JSON
    write(tmp_path / "nota-2021.meta.yaml", "title: Uit sidecar\nyear: 2019\nperiod: [2019, 2022]\nlicence: CC0\nextra: 1\n")
    doc = load_document(tmp_path / "nota-2021.md", tmp_path)
    assert (doc.title, doc.kind, doc.year, doc.period, doc.licence) == ("Uit sidecar", "nota", 2019, "2019-2022", "CC0")
    assert doc.metadata["extra"] == 1 and doc.metadata["auteur"] == "BZK"
    assert doc.sha256 != plain.sha256
    assert [p.name for p in discover(tmp_path)] == ["nota-2021.md"]


def test_json_sidecar_and_bad_sidecar(tmp_path: Path) -> None:
    write(tmp_path / "x.txt", "Kop\n\nTekst van het document.\n")
    write(tmp_path / "x.json", json.dumps({"title": "Via JSON", "ministry": "BZK"}))
    doc = load_document(tmp_path / "x.txt", tmp_path)
    assert (doc.title, doc.ministry) == ("Via JSON", "BZK")
    (tmp_path / "x.json").unlink()
    write(tmp_path / "x.meta.yaml", "title: goed\nkind: [niet\n  gesloten\n")
    with pytest.raises(ReaderError) as err:
        load_document(tmp_path / "x.txt", tmp_path)
    assert "x.meta.yaml" in str(err.value) and err.value.line is not None


def test_derived_title_year_and_period(tmp_path: Path) -> None:
    write(tmp_path / "jaarverslag-2020.txt", "Base description which applies to whole site\n\n"
                                            "Beleidsverslag van het ministerie\n\nTekst.\n\nLicence\n")
    doc = load_document(tmp_path / "jaarverslag-2020.txt", tmp_path)
    assert (doc.title, doc.year, doc.period) == ("Beleidsverslag van het ministerie", 2020, None)
    write(tmp_path / "fondsen-2021-2027.md", "Alleen een alinea zonder kop, over de periode.\n")
    doc = load_document(tmp_path / "fondsen-2021-2027.md", tmp_path)
    assert (doc.title, doc.year, doc.period) == ("Fondsen 2021-2027", None, "2021-2027")
    assert [(s.id, s.title, s.level) for s in doc.sections] == [("fondsen-2021-2027:inleiding", "Inleiding", 0)]


def test_discover_skips_furniture(tmp_path: Path) -> None:
    for name in ["a.txt", "b.md", "c.markdown", "README.md", "LICENSE.md", "readme.txt", "d.meta.yaml", "e.yaml",
                 "f.json", "g.pdf", ".verborgen.md", ".git/h.md", "__pycache__/i.md", "sub/j.txt", "sub/.k/l.md"]:
        write(tmp_path / name, "Tekst.\n")
    assert [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)] == ["a.txt", "b.md", "c.markdown", "g.pdf",
                                                                              "sub/j.txt"]


def test_duplicate_stems_get_path_ids(tmp_path: Path) -> None:
    write(tmp_path / "index.md", "# Start\n\nTekst.\n")
    write(tmp_path / "deel" / "index.md", "# Deel\n\nTekst.\n")
    write(tmp_path / "uniek.md", "# Uniek\n\nTekst.\n")
    assert [d.id for d in iter_corpus(tmp_path)] == ["deel-index", "index", "uniek"]


def test_intro_and_empty_sections(tmp_path: Path) -> None:
    write(tmp_path / "doc.md", "Voor de eerste kop.\n\n# Een\n## Twee\n\nTekst twee.\n\n## Twee\n\nNog eens.\n")
    doc = load_document(tmp_path / "doc.md", tmp_path)
    assert [(s.id, s.title, s.level, s.text) for s in doc.sections] == [
        ("doc:inleiding", "Inleiding", 0, "Voor de eerste kop."), ("doc:een", "Een", 1, ""),
        ("doc:twee", "Twee", 2, "Tekst twee."), ("doc:twee-2", "Twee", 2, "Nog eens.")]
    assert doc.sections[2].path == ["Een", "Twee"] and doc.sections[2].source_line == 4


def test_slugify() -> None:
    assert slugify("Financiële positie & België") == "financiele-positie-en-belgie"
    assert slugify("Het positioneren van LO's") == "het-positioneren-van-los"
    assert slugify("3.1 Beleidsverslag") == "3-1-beleidsverslag"


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        self.attrs.extend(attrs)


HOSTILE = """---
title: Vijandig
---
# Kop <script>alert('kop')</script>

Gewone tekst <script>alert(1)</script> en <img src=x onerror="alert(2)"> en <b>vet</b>.

<div onclick="alert(3)"><p>In een div</p><iframe src="https://evil.example"></iframe></div>

<script>
document.write('<p>meer</p>')
</script>

Een [link](javascript:alert(4)) en <a href="javascript:alert(5)">nog een</a> en <marquee onmouseover=alert(6)>m</marquee>.

<style>body { display: none }</style>
<svg onload=alert(7)><circle/></svg>
"""


def test_hostile_html_never_survives(tmp_path: Path) -> None:
    write(tmp_path / "vijandig.md", HOSTILE)
    doc = load_document(tmp_path / "vijandig.md", tmp_path)
    assert [s.title for s in doc.sections] == ["Kop"]
    section = doc.sections[0]
    assert section.paragraphs == ["Gewone tekst en en vet.", "In een div", "Een link en nog een en m."]
    rendered = md_lib.markdown(section.markdown)
    tags = TagCollector()
    tags.feed(rendered)
    assert tags.seen <= {"p", "strong", "em", "a"}, tags.seen
    assert all(not k.startswith("on") and "javascript" not in (v or "") for k, v in tags.attrs), tags.attrs
    for bad in ("<script", "<img", "<iframe", "onerror", "onclick", "javascript:", "<marquee", "<svg", "<style"):
        assert bad not in section.text
        assert bad not in rendered, bad
    for removed in ("alert(1)", "alert(2)", "alert(3)", "alert(4)", "alert(5)", "alert(7)", "display: none"):
        assert removed not in section.text + section.markdown, removed
    assert "&lt;marquee" in section.markdown  # an unknown tag is shown escaped, never interpreted
    assert "**vet**" in section.markdown


def test_loader_reports_unknown_extension_and_broken_pdf(tmp_path: Path) -> None:
    write(tmp_path / "x.pdf", b"%PDF-1.4")
    with pytest.raises(ReaderError, match="x.pdf: geen geldige PDF"):
        load_document(tmp_path / "x.pdf", tmp_path)
    write(tmp_path / "x.xyz", "Tekst.\n")
    with pytest.raises(ReaderError, match="x.xyz: geen lezer voor bestandstype .xyz"):
        load_document(tmp_path / "x.xyz", tmp_path)
    assert isinstance(load_document(write(tmp_path / "y.txt", "Kop\n\nTekst.\n"), tmp_path), Document)


PIECES = ["# Kop", "## **Vet**", "*Schuin*", "- item", "  - sub", "1. een", "• bol", "---", "| a | b |", "|---|---|",
          "```", "~~~", '!!! note "T"', "    inspring", "\ttab", "<div>", "</div>", "<script>x", "</script>", "<!--",
          "-->", "[^1]: voet", "tekst[^1]", "<sup>2</sup> body", "3 Body met tekst van voetnoot", "Tekst zonder punt",
          "(vervolg) tekst.", "Inhoud", "Hoofdstuk .....\t3", "===", "", "", "> quote", "\f", "1 Inleiding", "1.1 Sub",
          "Pagina 1 van 2", "12", "rege-", "ringsjaar.", "x\u00ad", "[link](javascript:x)", "**", "*", "<", "&"]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_random_garbage_never_breaks_a_reader(tmp_path: Path, suffix: str) -> None:
    import random

    rng = random.Random(20240601)
    for n in range(150):
        lines = [rng.choice(PIECES) + rng.choice(["", " ", " woord", ".", ":"]) for _ in range(rng.randint(1, 30))]
        path = write(tmp_path / f"f{n}{suffix}", "x\n" + "\n".join(lines))
        doc = load_document(path, tmp_path)
        for s in doc.sections:
            assert all(s.text[b.start:b.end].strip() == s.text[b.start:b.end] != "" for b in s.blocks)
            assert "<script" not in md_lib.markdown(s.markdown, extensions=["fenced_code", "tables"]).lower()
            assert "\u00ad" not in s.text + s.title
