"""The `beleidsbank` command as users and the evaluation call it (a real subprocess)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path


from settings import Settings
from support import EXE


def run(*args: str, data: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args, "--data", str(data)], input=stdin, capture_output=True, text=True, timeout=300)


def test_show_outline(built_settings: Settings) -> None:
    out = run("show", data=built_settings.data_dir)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.strip() == "1 Zorg voor de rechtsstaat" for line in lines)
    assert any(line.strip() == "Verbeteren Informatie-uitwisselingssystemen" for line in lines)
    # indentation follows the level: a topic is indented deeper than its chapter
    chapter = next(line for line in lines if line.strip() == "1 Zorg voor de rechtsstaat")
    topic = next(line for line in lines if line.strip() == "Aanpak ondermijning")
    assert len(topic) - len(topic.lstrip()) > len(chapter) - len(chapter.lstrip())
    one = run("show", "contourennota-migratie-veiligheidsfondsen-2021-2027", data=built_settings.data_dir)
    assert one.returncode == 0 and "Rechtspraak" not in one.stdout and "BMVI Visa Instrument" in one.stdout
    missing = run("show", "bestaat-niet", data=built_settings.data_dir)
    assert missing.returncode != 0 and "onbekend document" in missing.stderr


def test_search_json_contract(built_settings: Settings) -> None:
    out = run("search", "--json", "--limit", "3", "IND achterstanden", data=built_settings.data_dir)
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert {"query", "total", "results", "facets", "suggestion"} <= payload.keys()
    assert payload["query"] == "IND achterstanden" and 0 < len(payload["results"]) <= 3
    for r in payload["results"]:
        assert {"id", "document", "title", "path", "score", "snippet", "text", "entities"} <= r.keys()
    assert "achterstanden" in payload["results"][0]["text"].lower()


def test_tag_json_contract(built_settings: Settings) -> None:
    text = "De Immigratie- en Naturalisatiedienst (IND) werkt samen met het COA."
    out = run("tag", "--json", data=built_settings.data_dir, stdin=text)
    assert out.returncode == 0, out.stderr
    ents = json.loads(out.stdout)["entities"]
    for e in ents:
        assert text[e["start"]:e["end"]] == e["text"]
    ids = {e["text"]: e["kb_id"] for e in ents}
    assert ids["IND"] == ids["Immigratie- en Naturalisatiedienst"]
    assert ids["COA"] != ids["IND"]


def test_commands_need_a_built_data_dir(tmp_path: Path) -> None:
    out = run("search", "--json", "IND", data=tmp_path / "leeg")
    assert out.returncode != 0 and "beleidsbank build" in out.stderr


def test_build_with_own_corpus_and_data_dir(tmp_path: Path) -> None:
    corpus = tmp_path / "stukken"
    corpus.mkdir()
    (corpus / "notitie-2023.txt").write_text(
        "Notitie over toezicht\n\nInleiding\n\nDe Nationale Voedselautoriteit (NVA) houdt toezicht. "
        "De NVA rapporteert jaarlijks.\n", encoding="utf-8")
    out = subprocess.run([EXE, "build", "--data", str(tmp_path / "d"), "--corpus", str(corpus), "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "pijplijn:" in out.stderr
    # the build speaks Dutch (issue 15, defect 2), also when it warns, and names no internal module
    for english in ("WARNING", "is not installed", "documents:", "statements:", "kb.tagger"):
        assert english not in out.stderr, (english, out.stderr)
    import importlib.util

    if importlib.util.find_spec("nl_core_news_sm") is None:
        assert "waarschuwing: spaCy-pijplijn 'nl_core_news_sm' is niet geïnstalleerd" in out.stderr
    # its counts are the ones the pages show (Store.collection_counts)
    counts = next(line for line in out.stderr.splitlines() if line.startswith("documenten: "))
    assert counts.startswith("documenten: 1, secties: ") and "genoemd (van " in counts and "uitspraken: " in counts
    shown = run("show", data=tmp_path / "d")
    assert "Notitie over toezicht" in shown.stdout
    found = json.loads(run("search", "--json", "Voedselautoriteit", data=tmp_path / "d").stdout)
    assert found["total"] >= 1
