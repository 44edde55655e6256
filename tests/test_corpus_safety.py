"""Hostile corpus files (issue 16, findings 2, 5, 6 and 9): each failed before and is refused or repaired now."""
from __future__ import annotations

import json
import os
import re
import tracemalloc
from pathlib import Path

import pytest

from corpus import Document, ReaderError, iter_corpus, load_document
from corpus.files import read_file, scan
from corpus.limits import ReadLimits


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _laughs(levels: int, indent: str = "") -> str:
    lines = [f'{indent}a0: &a0 "ha"']
    for i in range(1, levels + 1):
        lines.append(f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# -- finding 2: YAML alias bombs ---------------------------------------------------------------------------------
def test_alias_bomb_sidecar_is_refused_without_expanding(tmp_path: Path) -> None:
    write(tmp_path / "nota.txt", "Kop\n\nEen gewone alinea.\n")
    write(tmp_path / "nota.meta.yaml", _laughs(9))
    tracemalloc.start()
    try:
        with pytest.raises(ReaderError, match=r"nota\.meta\.yaml.*aliassen"):
            load_document(tmp_path / "nota.txt", tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # 10**9 "ha"s were never built


def test_alias_bomb_front_matter_is_ignored_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "bom.md", "---\n" + _laughs(8) + "title: Bom\n---\n# Kop\n\nTekst.\n")
    doc = load_document(tmp_path / "bom.md", tmp_path)
    assert doc.metadata == {} and doc.title == "Kop"
    assert any("aliassen" in w for w in doc.warnings)
    assert len(json.dumps(doc.to_dict())) < 5000


def test_metadata_size_and_depth_limits(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Kop\n\nTekst.\n")
    write(tmp_path / "a.meta.yaml", "x: " + "[" * 50 + "]" * 50 + "\n")
    with pytest.raises(ReaderError, match="dieper genest dan 20"):
        load_document(tmp_path / "a.txt", tmp_path)
    write(tmp_path / "a.meta.yaml", "notes: '" + "x" * 70_000 + "'\n")
    with pytest.raises(ReaderError, match="a.meta.yaml.*te groot"):
        load_document(tmp_path / "a.txt", tmp_path)
    (tmp_path / "a.meta.yaml").unlink()
    write(tmp_path / "a.meta.json", "[" * 5000 + "]" * 5000)
    with pytest.raises(ReaderError, match="a.meta.json"):
        load_document(tmp_path / "a.txt", tmp_path)


# -- finding 5: links and special files ----------------------------------------------------------------------------
def test_links_out_of_the_corpus_and_special_files_are_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "echt.txt", "Kop\n\nEen gewone alinea.\n")
    secret = write(tmp_path / "geheim.txt", "root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(secret, corpus / "passwd.txt")
    os.symlink("/dev/zero", corpus / "nul.txt")
    os.symlink(corpus / "echt.txt", corpus / "kopie.txt")  # inside, but that file is read already
    os.symlink(tmp_path, corpus / "map")
    os.mkfifo(corpus / "pijp.txt")
    found = scan(corpus)
    assert [p.name for p in found.paths] == ["echt.txt"]
    reasons = {s.path: s.reason for s in found.skipped}
    assert set(reasons) == {"passwd.txt", "nul.txt", "kopie.txt", "map", "pijp.txt"}
    assert "buiten de corpusmap" in reasons["passwd.txt"] and "buiten de corpusmap" in reasons["nul.txt"]
    assert "FIFO" in reasons["pijp.txt"] and "al gelezen" in reasons["kopie.txt"]
    results = list(iter_corpus(corpus))  # never blocks on the FIFO, never reads /etc-like files
    docs = [r for r in results if isinstance(r, Document)]
    assert [d.source_path for d in docs] == ["echt.txt"]
    assert all("root:x" not in s.text for d in docs for s in d.sections)
    assert {r.path for r in results if isinstance(r, ReaderError)} == set(reasons)
    with pytest.raises(ReaderError, match="FIFO"):
        read_file(corpus / "pijp.txt", corpus, 1000)
    with pytest.raises(ReaderError, match="buiten de corpusmap"):
        read_file(corpus / "passwd.txt", corpus, 1000)


def test_size_and_line_limits(tmp_path: Path) -> None:
    write(tmp_path / "groot.txt", "Woord " * 2000)
    with pytest.raises(ReaderError, match=r"groot\.txt: bestand te groot: 11,7 kB \(grens 10,0 kB"):
        load_document(tmp_path / "groot.txt", tmp_path, limits=ReadLimits(max_file_bytes=10 * 1024))
    write(tmp_path / "lang.txt", "Kop\n\nKorte regel.\n" + "x" * 200_001 + "\n")
    with pytest.raises(ReaderError, match=r"lang\.txt:4: regel van 200\.001 tekens \(grens 100\.000\)"):
        load_document(tmp_path / "lang.txt", tmp_path)


def test_too_much_text_is_worded_alike_for_every_format(tmp_path: Path) -> None:
    """Plain text, Word and PDF readers refuse a document over ``max_text_chars`` with one message
    (corpus.limits.too_much_text) that names the file, the text read and the limit."""
    from tests.fixtures.make_docx import generated_report, libreoffice

    if libreoffice() is None:
        pytest.skip("LibreOffice (make sysdeps) is nodig voor de PDF- en Word-bestanden")
    report = generated_report()
    files = [write(tmp_path / "nota.txt", "Kop\n\n" + "Een gewone alinea met woorden. " * 100), report["docx"],
             report["pdf"]]
    limits = ReadLimits(max_text_chars=1_000)
    for path in files:
        with pytest.raises(ReaderError) as refused:
            load_document(path, path.parent, limits=limits)
        assert re.fullmatch(rf"{re.escape(path.name)}: te veel tekst: ([\d.]+) tekens gelezen, "
                            r"de grens is 1\.000 tekens", str(refused.value)), str(refused.value)
        read = int(re.search(r"([\d.]+) tekens gelezen", str(refused.value)).group(1).replace(".", ""))
        assert read > 1_000, str(refused.value)


# -- finding 6: id collisions ------------------------------------------------------------------------------------
def test_colliding_names_all_survive_with_stable_ids(tmp_path: Path) -> None:
    write(tmp_path / "Beleidsnota 2020.txt", "Kop A\n\nTekst van de eerste nota.\n")
    write(tmp_path / "beleidsnota_2020.md", "# Kop B\n\nTekst van de tweede nota.\n")
    write(tmp_path / "☃☃.md", "# Sneeuw\n\nTekst.\n")
    write(tmp_path / "日本.md", "# Japan\n\nTekst.\n")
    first = [d.id for d in iter_corpus(tmp_path)]
    second = [d.id for d in iter_corpus(tmp_path)]
    assert len(set(first)) == 4 and first == second
    assert set(first) >= {"beleidsnota-2020-txt", "beleidsnota-2020-md"}


# -- finding 9: decoding that tells the truth ---------------------------------------------------------------------
def test_nul_after_64_kib_never_reaches_the_text(tmp_path: Path) -> None:
    body = ("De minister heeft besloten. " * 3000).encode()
    assert len(body) > 65536
    write(tmp_path / "nul.txt", b"Kop\n\n" + body + b"\x00\x01Einde\x07 tekst.\n")
    doc = load_document(tmp_path / "nul.txt", tmp_path)
    text = "".join(s.title + s.text + s.markdown for s in doc.sections)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
    assert any("stuurteken" in w and f"byte {5 + len(body)}" in w for w in doc.warnings)
    json.dumps(doc.to_dict())


def test_invalid_utf8_is_reported_with_offset_not_turned_into_mojibake(tmp_path: Path) -> None:
    data = "Financiële positie\n\nDe financiële positie is goed.\n".encode() + b"Kapot: \xff\xfe einde.\n"
    write(tmp_path / "mix.txt", data)
    doc = load_document(tmp_path / "mix.txt", tmp_path)
    assert doc.encoding == "utf-8" and doc.title == "Financiële positie"  # not "FinanciÃ«le"
    offset = data.index(b"\xff")
    assert any(f"ongeldige UTF-8 op byte {offset}" in w for w in doc.warnings), doc.warnings
    write(tmp_path / "oud.txt", "Financiën\n\nDe financiële positie.\n".encode("cp1252"))
    old = load_document(tmp_path / "oud.txt", tmp_path)
    assert old.encoding == "cp1252" and any("Windows-1252" in w for w in old.warnings)


def test_random_bytes_are_not_text(tmp_path: Path) -> None:
    import random

    rng = random.Random(16)
    write(tmp_path / "ruis.txt", bytes(rng.randrange(33, 256) for _ in range(20_000)))
    with pytest.raises(ReaderError, match=r"ruis\.txt: geen leesbare tekst"):
        load_document(tmp_path / "ruis.txt", tmp_path)
    write(tmp_path / "ruis.pdf", os.urandom(5000))
    with pytest.raises(ReaderError, match=r"ruis\.pdf: geen geldige PDF"):
        load_document(tmp_path / "ruis.pdf", tmp_path)


def test_html_inside_inline_code_is_kept_as_text(tmp_path: Path) -> None:
    write(tmp_path / "code.md", "# Kop\n\nSchrijf `<b>vet</b>` of `a &amp; b`, niet <b>echt</b>.\n")
    doc = load_document(tmp_path / "code.md", tmp_path)
    assert doc.sections[0].text == "Schrijf <b>vet</b> of a &amp; b, niet echt."
    assert "`<b>vet</b>`" in doc.sections[0].markdown  # a code span: the renderer escapes it
