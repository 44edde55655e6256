"""Held-out shape of issue 11: a parliamentary annual report as text extracted from its PDF.

The same report is read as ``pdftotext -layout`` prints it (columns kept with spaces) and as
plain extraction prints it (single spaces): in both, only the real chapters make the
outline; table rows, the running header, chart captions, footnotes and the signature do not.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus import load_document
from tests.fixtures import pdftext_report as report


@pytest.mark.parametrize("layout", [True, False])
def test_only_real_headings_make_the_outline(tmp_path: Path, layout: bool) -> None:
    text = report.TEXT if layout else "\n".join(re.sub(" {2,}", " ", ln).strip(" ") for ln in report.TEXT.split("\n"))
    (tmp_path / "fjv-2023.txt").write_text(text, encoding="utf-8")
    doc = load_document(tmp_path / "fjv-2023.txt", tmp_path)
    assert [(s.level, s.title) for s in doc.sections if s.level > 0] == report.EXPECTED_OUTLINE
    assert doc.title == report.EXPECTED_TITLE  # from the cover, not its first line "Tweede Kamer ..."
    titles = " ".join(s.title for s in doc.sections)
    for not_heading in report.NOT_HEADINGS:
        assert not_heading not in titles, not_heading
    assert (doc.kamerstuk, doc.date, doc.kind) == ("36 560, nr. 1", "2024-05-15", "jaarverslag")
    kader = next(s for s in doc.sections if s.title == "2 Begroting en uitgavenkader")
    table = next(kader.text[b.start:b.end] for b in kader.blocks if b.kind == "table")
    assert table.split("\n")[:2] == ["| Ontwerpbegroting | Realisatie | Verschil", "Uitgavenplafond | 412,6 | 418,9 | 6,3"]
    economie = next(s for s in doc.sections if s.title == "1 De Nederlandse economie")
    assert [f.text for f in economie.footnotes] == ["Zie de Macro Economische Verkenning 2024 van het Centraal Planbureau."]
    assert "plannen van het kabinet.[1]" in economie.text
    everything = "\n".join(s.text for s in doc.sections)
    assert "vergaderjaar 2023–2024, 36 560" not in everything and "Zie de Macro" not in everything
    assert "2019 | 2020" not in everything  # chart axis labels are no table
