"""The register of regulations on real regulation files: the register stage, `beleidsbank tag --json` against
it (a real subprocess), the cached matcher, and citations stored with their BWB id and article.

The files are a dozen regulations unpacked from the shared collection (tests/_regelgeving.py)."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from beleidsbank.pipeline import _read_regulations, build
from beleidsbank.workers import regulation_text
from corpus.limits import human_bytes
from kb.laws.extract import dated_title_key, read_regulation, title_names
from kb.laws.store import build_register, register_source
from corpus.model import Document, Section
from kb.store import FormatError, Mention, Store
from kb.tagger import build_tagger
from _regelgeving import unpack_slice
from settings import BuildOptions, Settings
from support import EXE

WMG, AWB, BBRA = "BWBR0020078", "BWBR0005537", "BWBR0003630"


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unpack_slice(tmp_path_factory.mktemp("regelgeving"))


@pytest.fixture(scope="module")
def register_data(collection: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    out = subprocess.run([EXE, "build", "--corpus", str(collection), "--data", str(data), "--stage", "register",
                          "--quiet"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "register van regelingen: 12 bestanden (12 gelezen, 0 verwijderd)" in out.stderr
    return data


def _tag(text: str, data: Path) -> list[dict]:
    out = subprocess.run([EXE, "tag", "--json"], input=text, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "BELEIDSBANK_DATA": str(data)})
    assert out.returncode == 0, out.stderr
    return [e for e in json.loads(out.stdout)["entities"] if e["label"] == "LAW"]


def test_read_regulation_file(collection: Path) -> None:
    found = read_regulation(collection / "wet" / f"{WMG}.md")
    assert found.bwb == WMG and found.kind == "wet"
    assert found.title.startswith("Wet van 7 juli 2006, houdende regels inzake marktordening")
    assert found.citeertitels == ["Wet marktordening gezondheidszorg"]
    assert "Wet marktordening gezondheidszorg" in title_names(found.title)
    assert dated_title_key(found.title) == "wet 2006-07-07"
    cites_wmg = read_regulation(collection / "zbo" / "BWBR0034420.md")
    assert any(link.target == WMG and link.abbreviation == "Wmg" for link in cites_wmg.links)
    assert any(link.anchor == "artikel 1 aanhef en onder c, Wmg" and link.path_title == "wet marktordening gezondheidszorg"
               for link in cites_wmg.links)


def test_register_stage_alone_is_incremental(register_data: Path, collection: Path, tmp_path: Path) -> None:
    with sqlite3.connect(Settings(data_dir=register_data).db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0  # no reading or tagging
        regs = dict(conn.execute("SELECT bwb, title FROM laws WHERE in_collection = 1").fetchall())
        assert len(regs) == 12 and regs[BBRA].startswith("Besluit van 1 november 1983")
        names = {r[0] for r in conn.execute("SELECT name FROM law_names WHERE bwb = ?", (BBRA,))}
        assert "Bezoldigingsbesluit Burgerlijke Rijksambtenaren 1984" in names
    # a copy of the collection: unchanged files are not read again, changed and removed ones are noticed
    corpus = tmp_path / "c"
    shutil.copytree(collection, corpus)
    data = tmp_path / "d"
    settings = Settings(data_dir=data, corpus_dir=corpus, spacy_model="none")
    assert build(settings, progress=False, stage="register").register.read == 12
    assert build(settings, progress=False, stage="register").register.read == 0
    (corpus / "zbo" / "BWBR0029142.md").unlink()
    path = corpus / "wet" / "BWBR0033284.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nDeze wet wordt aangehaald als: Wet proefnaam.\n",
                    encoding="utf-8")
    report = build(settings, progress=False, stage="register").register
    assert (report.read, report.removed, report.files) == (1, 1, 11)
    with sqlite3.connect(Settings(data_dir=data).db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM law_names WHERE name = 'Wet proefnaam'").fetchone()[0] == 1
        # a register made by other reading rules (an older version) is read again in full
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'law_register_code'")
    assert build(settings, progress=False, stage="register").register.read == 11


def test_unreadable_regulation_is_reported_by_name(collection: Path, tmp_path: Path) -> None:
    broken = tmp_path / "wet" / "BWBR0000001.md"
    broken.mkdir(parents=True)  # a folder where a file should be
    conn = sqlite3.connect(tmp_path / "kb.sqlite")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    report = build_register(conn, tmp_path, [broken], sha256=lambda p: p.read_bytes().hex(), progress=False)
    assert report.errors and report.errors[0].startswith("wet/BWBR0000001.md: ")


def test_the_register_read_on_two_cores_is_the_register_read_in_turn(collection: Path, tmp_path: Path) -> None:
    """The build reads regulation files in worker processes (results in any order): the same rows, digest
    and reported errors as reading them one by one in the build process."""
    corpus = tmp_path / "c"
    shutil.copytree(collection, corpus)
    limit = max(p.stat().st_size for p in corpus.rglob("*.md")) + 1
    (corpus / "wet" / "BWBR0000002.md").write_text("# Te groot\n\n" + "x " * limit, encoding="utf-8")
    paths = sorted(corpus.rglob("*.md"))
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data",
                        build=replace(BuildOptions(), workers=2), reading=replace(Settings().reading, max_file_bytes=limit))
    sha = lambda p: p.read_bytes().hex()  # noqa: E731
    seen = []
    for way in ("in turn", "two cores"):
        conn = sqlite3.connect(tmp_path / f"{way}.sqlite")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        if way == "in turn":
            report = build_register(conn, corpus, paths, sha256=sha, progress=False,
                                    read_text=lambda p: regulation_text(p, corpus, limit))
        else:
            report = build_register(conn, corpus, paths, sha256=sha, progress=False,
                                    read_many=lambda ps: _read_regulations(settings, corpus, ps, min_per_worker=1))
        rows = [conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("law_files", "laws", "law_names")]
        seen.append((report.read, report.changed, report.digest, report.errors, rows))
    assert seen[0] == seen[1]
    assert seen[0][0] == 12 and seen[0][3] == [f"wet/BWBR0000002.md: bestand te groot: {human_bytes(2 * limit + 12)} "
                                               f"(grens {human_bytes(limit)}, instelbaar met BELEIDSBANK_MAX_FILE_BYTES)"]


def test_tag_json_resolves_against_the_register(register_data: Path) -> None:
    laws = _tag("Gelet op artikel 5, eerste lid, van de Wet marktordening gezondheidszorg en artikel 3:2 van "
                "de Algemene wet bestuursrecht; het Bezoldigingsbesluit Burgerlijke Rijksambtenaren 1984 en "
                "artikel 1 aanhef en onder c, Wmg.", register_data)
    got = [(e["text"], e["refs"], e["article"]) for e in laws]
    assert got == [
        ("artikel 5, eerste lid, van de Wet marktordening gezondheidszorg", {"bwb": WMG}, "5, eerste lid"),
        ("artikel 3:2 van de Algemene wet bestuursrecht", {"bwb": AWB}, "3:2"),
        ("Bezoldigingsbesluit Burgerlijke Rijksambtenaren 1984", {"bwb": BBRA}, None),
        ("artikel 1 aanhef en onder c, Wmg", {"bwb": WMG}, "1 aanhef en onder c"),
    ]
    assert laws[1]["kb_id"] == "awb"  # the catalogue's Awb, which has that BWB id
    # a knowledge base without a register: the same text gives the catalogue's laws only
    assert not any(e["refs"].get("bwb") == WMG for e in _tag("De Wet marktordening gezondheidszorg.", register_data / "x"))


def test_compiled_register_is_cached_by_digest(register_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.tagger.law_register as law_register

    with Store(Settings(data_dir=register_data).db_path, readonly=True) as store:
        source = register_source(store.conn, register_data)
        build_tagger(model=None, register=source)  # compiled now, or read from an earlier cache
        cached = sorted(p.name for p in register_data.glob("law-register-*.json"))
        assert len(cached) == 2  # the matcher and the entity data

        def no_compiling(*args, **kwargs):
            raise AssertionError("the register was compiled again although a cache exists")

        monkeypatch.setattr(law_register, "compile_register", no_compiling)
        tagger = build_tagger(model=None, register=source)
        assert tagger.tag("artikel 2 Wmg")[0].refs == {"bwb": WMG}
        # another register digest is another cache (the old one goes)
        monkeypatch.undo()
        source.digest = "0" * 24
        build_tagger(model=None, register=source)
        assert sorted(p.name for p in register_data.glob("law-register-*.json")) != cached
        assert len(list(register_data.glob("law-register-*.json"))) == 2


def test_build_stores_citations_with_refs(collection: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    for rel in ("zbo/BWBR0034420.md", "zbo/BWBR0020765.md", "AMvB/BWBR0023920.md", "wet/BWBR0033284.md"):
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(collection / rel, corpus / rel)
    settings = Settings(data_dir=tmp_path / "d", corpus_dir=corpus, spacy_model="none")
    report = build(settings, progress=False)
    assert not report.errors and len(report.tagged) == 4
    with Store(settings.db_path, readonly=True) as store:
        wmg = [m for m in store.mentions(document_id="bwbr0034420") if m["refs"].get("bwb") == WMG]
        assert wmg and any(m["article"] for m in wmg)
        entity = store.entity(wmg[0]["entity_id"])
        assert entity is not None and entity["refs"] == {"bwb": WMG} and entity["label"] == "LAW"
    from webapp import create_app

    client = create_app(settings, testing=True).test_client()
    out = client.post("/api/v1/tag", json={"text": "Zie artikel 2 van de Wet marktordening gezondheidszorg."})
    assert out.status_code == 200
    assert out.get_json()["entities"][0]["refs"] == {"bwb": WMG} and out.get_json()["entities"][0]["article"] == "2"
    # the entity page links each cited article to wetten.overheid.nl, the entity itself to the regulation
    page = client.get(f"/entiteiten/{wmg[0]['entity_id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'href="https://wetten.overheid.nl/{WMG}"' in html
    assert f"https://wetten.overheid.nl/jci1.3:c:{WMG}&amp;artikel=" in html
    mentions = client.get(f"/api/v1/entities/{wmg[0]['entity_id']}/mentions").get_json()["mentions"]
    assert any(m["refs"] == {"bwb": WMG} and m["article"] for m in mentions)


def test_a_mention_keeps_its_law_refs_and_article_and_an_older_file_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.sqlite") as store:
        store.put_document(Document(id="d", source_path="d.md", title="D", format="markdown", encoding="utf-8",
                                    sha256="x", sections=[Section(id="d:s", document_id="d", title="S", level=1,
                                                                  parent_id=None, path=["S"], order=0, text="Awb")]))
        store.add_mentions([Mention("awb", "LAW", "d:s", "d", 0, 3, "Awb", refs={"bwb": AWB}, article="1:3")])
        store.conn.commit()
        row = store.conn.execute("SELECT refs, article FROM mentions").fetchone()
        assert json.loads(row["refs"]) == {"bwb": AWB} and row["article"] == "1:3"
        assert [(m["refs"], m["article"]) for m in store.mentions(section_id="d:s")] == [({"bwb": AWB}, "1:3")]
    # a knowledge base from before refs (and before format 2) is not read: the build makes a new one
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mentions (id INTEGER PRIMARY KEY, entity_id TEXT, label TEXT NOT NULL, section_id TEXT"
                 " NOT NULL, document_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, surface TEXT"
                 " NOT NULL, value TEXT, related TEXT NOT NULL DEFAULT '[]')")
    conn.commit()
    conn.close()
    with pytest.raises(FormatError, match="beleidsbank build"):
        Store(path)


def test_a_changed_file_with_the_same_titles_and_names_keeps_the_register(collection: Path, tmp_path: Path) -> None:
    """Appending a paragraph re-reads the file but does not aggregate the register again (its digest, and so
    the tagger built from it, stay); changing its title does."""
    corpus = tmp_path / "c"
    shutil.copytree(collection, corpus)
    conn = sqlite3.connect(tmp_path / "kb.sqlite")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    paths = sorted(corpus.rglob("*.md"))
    sha = lambda p: p.read_bytes().hex()  # noqa: E731
    first = build_register(conn, corpus, paths, sha256=sha, progress=False)
    target = next(p for p in paths if p.stem == WMG)
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "\n\nEen toegevoegde alinea zonder titels of verwijzingen.\n", encoding="utf-8")
    appended = build_register(conn, corpus, paths, sha256=sha, progress=False)
    assert (appended.read, appended.changed, appended.digest) == (1, 0, first.digest)
    stored = conn.execute("SELECT sha256 FROM law_files WHERE source_path LIKE ?", (f"%{WMG}.md",)).fetchone()[0]
    assert stored == sha(target)  # the new hash is kept: the file is not read again next time
    target.write_text(text.replace("Wet marktordening gezondheidszorg", "Wet marktordening zorg", 1), encoding="utf-8")
    retitled = build_register(conn, corpus, paths, sha256=sha, progress=False)
    assert (retitled.read, retitled.changed) == (1, 1) and retitled.digest != first.digest
