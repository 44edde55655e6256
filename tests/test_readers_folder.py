"""A build over a folder of mixed formats: everything readable is read, everything else is reported and stored."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from settings import Settings
from beleidsbank.pipeline import build
from kb.store import Store
from tests.fixtures.make_docx import generated_report, libreoffice
from tests.fixtures.saved_pages import write_pages


def _scan_pdf(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (300, 400), "white").save(path, "PDF")


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (make sysdeps) is nodig")
def test_mixed_folder_reads_all_formats_and_reports_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report = generated_report()
    shutil.copy(report["pdf"], corpus / "jaarverslag.pdf")
    shutil.copy(report["docx"], corpus / "jaarverslag-word.docx")
    write_pages(corpus)
    (corpus / "notitie.txt").write_text("Notitie over toezicht\n\nDe inspectie houdt toezicht op de uitvoering.\n",
                                        encoding="utf-8")
    (corpus / "nota.md").write_text("# Nota wonen\n\nHet kabinet bouwt meer woningen.\n", encoding="utf-8")
    _scan_pdf(corpus / "scan.pdf")
    (corpus / "gegevens.xyz").write_text("a,b,c\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    messages: list[str] = []
    result = build(settings, progress=False, echo=messages.append)
    assert sorted(result.unread) == [
        ("gegevens.xyz", "onbekend bestandstype .xyz (gelezen worden: .docx, .htm, .html, .markdown, .md, .pdf, .txt, "
                         ".xhtml)"),
        ("scan.pdf", "geen tekstlaag (gescande PDF?); OCR staat uit")]
    assert any(m.startswith("niet gelezen: scan.pdf") for m in messages)
    with Store(settings.db_path, readonly=True) as store:
        docs = {d["source_path"]: d for d in store.documents()}
        assert set(docs) == {"jaarverslag.pdf", "jaarverslag-word.docx", "kst-36741-3.html", "kamerbrief-woningbouw.html",
                             "commissiedebat.html", "notitie.txt", "nota.md"}
        assert [(u["source_path"], u["reason"][:15]) for u in store.unread()] == [
            ("gegevens.xyz", "onbekend bestan"), ("scan.pdf", "geen tekstlaag ")]
        pdf = docs["jaarverslag.pdf"]
        assert (pdf["format"], pdf["date"], pdf["kamerstuk"]) == ("pdf", "2025-05-21", "36 740, nr. 1")
        original = settings.data_dir / pdf["original"]
        assert pdf["original"] == f"originals/{pdf['id']}.pdf" and original.read_bytes() == report["pdf"].read_bytes()
        pages = {b[4] for s in store.sections(pdf["id"]) for b in s["blocks"]}
        assert None not in pages and min(pages) == 1 and max(pages) == 7  # the last page of the report
        reloaded = store.load_document(pdf["id"])
        assert reloaded.kamerstuk == "36 740, nr. 1" and reloaded.sections[1].blocks[0].page == 2

    # Removing a file removes its kept original too; the unread list follows the folder.
    (corpus / "scan.pdf").unlink()
    (corpus / "notitie.txt").unlink()
    build(settings, progress=False, echo=messages.append)
    with Store(settings.db_path, readonly=True) as store:
        assert [u["source_path"] for u in store.unread()] == ["gegevens.xyz"]
        assert not (settings.data_dir / "originals" / "notitie.txt").exists()
        assert sorted(p.name for p in (settings.data_dir / "originals").iterdir()) == sorted(
            Path(d["original"]).name for d in store.documents())


def test_empty_or_unreadable_folder_builds_a_working_empty_knowledge_base(tmp_path: Path) -> None:
    from indexer.searcher import Searcher

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "leeg.pdf").write_bytes(b"")
    (corpus / "plaatje.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    messages: list[str] = []
    result = build(settings, progress=False, echo=messages.append)  # crashed in indexer/build.py before
    assert result.counts["documents"] == 0 and result.index_rebuilt
    assert any(m.startswith("lege kennisbank: geen leesbaar document") for m in messages)
    # by file name, whatever order the workers finished in (they start with the largest file)
    assert [u for u, _ in result.unread] == ["leeg.pdf", "plaatje.png"]
    assert [e.split(":")[0] for e in result.errors] == ["leeg.pdf", "plaatje.png"]
    with Store(settings.db_path, readonly=True) as store:
        assert store.documents() == [] and len(store.unread()) == 2
    with Store(settings.db_path, readonly=True) as store:
        hits = Searcher(settings.index_dir, store).search("woningbouw")
    assert (hits["total"], hits["results"]) == (0, [])  # the empty index opens and answers
    again = build(settings, progress=False, echo=messages.append)
    assert not again.index_rebuilt


def test_colliding_file_names_both_stored_and_not_retagged(tmp_path: Path) -> None:
    """Issue 16, finding 6: "Beleidsnota 2020.txt" and "beleidsnota_2020.md" got one id; each build kept one."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "Beleidsnota 2020.txt").write_text("Kop A\n\nDe eerste nota over toezicht.\n", encoding="utf-8")
    (corpus / "beleidsnota_2020.md").write_text("# Kop B\n\nDe tweede nota over wonen.\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    messages: list[str] = []
    first = build(settings, progress=False, echo=messages.append)
    assert sorted(first.read) == ["beleidsnota-2020-md", "beleidsnota-2020-txt"]
    assert any("id wordt 'beleidsnota-2020-md'" in m for m in messages)
    second = build(settings, progress=False, echo=messages.append)
    assert second.read == [] and second.tagged == [] and len(second.unchanged) == 2
    with Store(settings.db_path, readonly=True) as store:
        assert sorted(d["source_path"] for d in store.documents()) == ["Beleidsnota 2020.txt", "beleidsnota_2020.md"]
