"""Regulations as the BWB conversion writes them: "##Title" headings, unit labels with their kop one level
down, the kind in the folder name, the BWB id in the file name, the citeertitel in the text (issue 11, 13).

The first tests use a regulation written here in the collection's layout; the last reads a few real files
unpacked from ``../shared/corpus-regelgeving`` (never copied into the repository).
"""
from __future__ import annotations

from pathlib import Path

import markdown as md_lib
import pytest

from corpus import Document, iter_corpus, load_document
from corpus.kinds import folder_kind, is_regulation, kind_name
from corpus.outline_units import unit_label
from corpus.regulations import citeertitels, own_citeertitel

from _regelgeving import unpack_slice

#: A regulation in the layout of the collection (first line a raw meta tag, no space after the hashes,
#: labels at one level with their kop one level down, an italic sub-heading, an example quoted in
#: italics after a colon, the citeertitel in the last article, an annex).
BESLUIT = """<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />

##Besluit van 1 maart 2020, houdende regels over een proef met digitale loketten (Besluit proef digitale loketten) 

Wij Willem-Alexander, bij de gratie Gods, Koning der Nederlanden.

Hebben goedgevonden en verstaan:    
### Hoofdstuk  1  

####Algemene bepalingen 

### Artikel  1  

####Begripsbepalingen

In dit besluit wordt verstaan onder loket: een digitale voorziening voor aanvragen.

###Artikel 2 

Dit besluit is van toepassing op gemeenten die deelnemen aan de proef.

### Hoofdstuk  2  

####De proef

### §  2.1  

####Aanmelding

### Artikel  3  

1.  Een gemeente meldt zich aan bij Onze Minister.  
2.  In de aanmelding staat de naam van het loket, als volgt geformuleerd: *Deze regeling wordt aangehaald als: Regeling voorbeeldloket.*

### *Voorbeeld* 

Een gemeente meldt het loket Burgerzaken aan.

### §  2.2  

####Evaluatie

### Artikel  4  

Onze Minister evalueert de proef binnen twee jaar.

### Hoofdstuk  3  

####Slotbepalingen

### Artikel  5  

####Citeertitel

Dit besluit wordt aangehaald als: Besluit proef digitale loketten.

### Bijlage  1  

####Model aanmeldformulier

Naam van de gemeente en van het loket.
"""
INTITULE = ("Besluit van 1 maart 2020, houdende regels over een proef met digitale loketten "
            "(Besluit proef digitale loketten)")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def besluit(tmp_path: Path) -> Document:
    return load_document(write(tmp_path / "AMvB" / "BWBR0000000.md", BESLUIT), tmp_path)


def test_title_is_the_citeertitel_and_the_heading_is_kept(besluit: Document) -> None:
    assert besluit.title == "Besluit proef digitale loketten"
    assert besluit.metadata["citeertitel"] == "Besluit proef digitale loketten"
    assert besluit.metadata["intitule"] == INTITULE  # the first heading in full, with its descriptive clause
    assert besluit.metadata["bwb"] == "BWBR0000000"  # from the file name, by rule
    assert (besluit.date, besluit.year) == ("2020-03-01", 2020)  # the date its heading gives it


def test_kind_comes_from_the_folder_with_its_dutch_name(besluit: Document) -> None:
    assert besluit.kind == "AMvB"  # not "regeling" from the word "Besluit" in the title
    assert kind_name(besluit.kind) == "algemene maatregel van bestuur" and is_regulation(besluit.kind)


def test_outline_nests_units_and_joins_each_label_with_its_kop(besluit: Document) -> None:
    paths = [s.path[1:] for s in besluit.sections if s.level > 0][1:]  # below the title heading
    assert paths == [
        ["Hoofdstuk 1 Algemene bepalingen"],
        ["Hoofdstuk 1 Algemene bepalingen", "Artikel 1 Begripsbepalingen"],
        ["Hoofdstuk 1 Algemene bepalingen", "Artikel 2"],  # "###Artikel 2", no space after the hashes
        ["Hoofdstuk 2 De proef"],
        ["Hoofdstuk 2 De proef", "§ 2.1 Aanmelding"],
        ["Hoofdstuk 2 De proef", "§ 2.1 Aanmelding", "Artikel 3"],
        ["Hoofdstuk 2 De proef", "§ 2.1 Aanmelding", "Artikel 3", "Voorbeeld"],  # italic: a sub-heading
        ["Hoofdstuk 2 De proef", "§ 2.2 Evaluatie"],
        ["Hoofdstuk 2 De proef", "§ 2.2 Evaluatie", "Artikel 4"],
        ["Hoofdstuk 3 Slotbepalingen"],
        ["Hoofdstuk 3 Slotbepalingen", "Artikel 5 Citeertitel"],
        ["Bijlage 1 Model aanmeldformulier"],  # an annex stands beside the chapters
    ]
    title = besluit.sections[0] if besluit.sections[0].level else besluit.sections[1]
    assert title.path == [title.title] and title.text.startswith(INTITULE)  # a long heading keeps its full text
    assert title.paragraphs[1] == "Wij Willem-Alexander, bij de gratie Gods, Koning der Nederlanden."
    assert not any("meta" in s.text for s in besluit.sections)  # the stray meta tag is no text
    article = next(s for s in besluit.sections if s.title == "Artikel 1 Begripsbepalingen")
    assert article.text == "In dit besluit wordt verstaan onder loket: een digitale voorziening voor aanvragen."


def test_headings_without_a_space_are_headings_in_any_markdown(tmp_path: Path) -> None:
    text = "#Nota over loketten\n\nInleidende tekst.\n\n##Aanpak\n\nDe aanpak.\n\n####### Geen kop\n"
    doc = load_document(write(tmp_path / "nota.md", text), tmp_path)
    assert doc.title == "Nota over loketten"
    assert [(s.level, s.title) for s in doc.sections] == [(1, "Nota over loketten"), (2, "Aanpak")]
    assert doc.sections[1].text == "De aanpak.\n\n####### Geen kop"
    html = md_lib.markdown(text)  # the page renders what the reader reads: Python-Markdown agrees
    assert "<h1>Nota over loketten</h1>" in html and "<h2>Aanpak</h2>" in html


def test_a_document_of_unit_headings_only_has_no_unit_for_title(tmp_path: Path) -> None:
    text = "### 1  \n\n####Inleiding\n\nVervallen.\n\n### 1.1  \n\n####Indeling\n\nVervallen.\n"
    doc = load_document(write(tmp_path / "pbo" / "BWBR0000001.md", text), tmp_path)
    assert doc.title == "BWBR0000001"  # no heading names the document: the file name, not "1 Inleiding"
    assert [s.path for s in doc.sections] == [["1 Inleiding"], ["1 Inleiding", "1.1 Indeling"]]


@pytest.mark.parametrize("text, unit", [
    ("Artikel  7:12a", "artikel"), ("Eerste  afdeeling", "afdeling"), ("§ 3.1", "paragraaf"), ("Enig artikel", "artikel"),
    ("Hoofdstuk IIA", "hoofdstuk"), ("Bijlage", "bijlage"), ("3.1", "nummer2"), ("II", "nummer1"),
    ("Artikel 1 Begripsbepalingen", None), ("Inleiding", None), ("Artikelen", None), ("1-1", None),
])
def test_unit_labels(text: str, unit: str | None) -> None:
    label = unit_label(text)
    assert (label.unit if label else None) == unit


def test_citeertitel_only_from_a_sentence_of_its_own() -> None:
    assert own_citeertitel("Artikel 5\n\nDit besluit wordt aangehaald als: Besluit X.") == "Besluit X"
    assert own_citeertitel("7.1 Dit besluit wordt aangehaald als ‘Reglement Y’ en treedt in werking.") == "Reglement Y"
    assert own_citeertitel("Het loket is in werking. Deze regeling kan worden aangehaald als Regeling Z.") == "Regeling Z"
    assert own_citeertitel("1\\. Deze wet wordt aangehaald als: Wet op de diploma’s 2020.") == "Wet op de diploma’s 2020"
    # quoted: after a colon, or in italics (an article of another regulation in a handbook)
    assert own_citeertitel("als volgt geformuleerd: Deze wet wordt aangehaald als: Wet Q.") is None
    assert own_citeertitel("1. *Deze Rijkswet kan worden aangehaald als ‘Rijkswet R’.*") is None
    assert own_citeertitel("De minister bepaalt dat deze wet wordt aangehaald als Wet S.") is None
    # a link's text is read as text: the statement may be split by its brackets
    assert own_citeertitel("Dit besluit wordt [aange](#a)haald als: Besluit L.") == "Besluit L"
    assert own_citeertitel("Dit besluit wordt aangehaald als: [Besluit M](#m).") == "Besluit M"
    assert citeertitels("Deze wet wordt aangehaald als: Wet N.\nDit besluit kan worden aangehaald als Besluit O.") \
        == ["Wet N", "Besluit O"]
    assert citeertitels("Deze wet wordt genoemd: Wet N.") == []


def test_only_regulations_take_their_citeertitel_as_title(tmp_path: Path) -> None:
    note = "# Notitie citeertitels\n\nDeze wet wordt aangehaald als: Wet voorbeeld.\n"
    doc = load_document(write(tmp_path / "notities" / "notitie.md", note), tmp_path)
    assert doc.title == "Notitie citeertitels" and "citeertitel" not in doc.metadata and "bwb" not in doc.metadata


def test_folder_kind_rule(tmp_path: Path) -> None:
    body = "# Beleidsregel subsidie\n\nDe minister verleent subsidie.\n"
    write(tmp_path / "regelgeving" / "beleidsregel" / "2020" / "a.md", body)  # nearest kind folder counts
    write(tmp_path / "Circulaires" / "b.md", body)  # a folder alias, any case
    write(tmp_path / "AMvB" / "c.md", body)
    write(tmp_path / "AMvB" / "c.meta.yaml", "soort: nota\n")  # the document's own metadata wins
    write(tmp_path / "overig" / "d.md", body)  # no kind folder: the kind its words give
    kinds = {Path(d.source_path).name: d.kind for d in iter_corpus(tmp_path) if isinstance(d, Document)}
    assert kinds == {"a.md": "beleidsregel", "b.md": "circulaire", "c.md": "nota", "d.md": "regeling"}
    assert folder_kind("wet-BES/x.md") == "wet-BES" and folder_kind("x.md") is None
    assert kind_name("zbo") == "regeling van een zelfstandig bestuursorgaan" and kind_name("onbekend") == "onbekend"


# -- real regulations from the shared collection ------------------------------------------------------
#: The Awb (hoofdstuk > titel > afdeling > artikel, a citeertitel), the Code of Criminal Procedure of 1921
#: (boek > titel > afdeeling > artikel, old spelling, no citeertitel), two small regulations.
REAL = ("wet/BWBR0005537", "wet/BWBR0001903", "zbo/BWBR0020765", "pbo/BWBR0025676")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    root = unpack_slice(tmp_path_factory.mktemp("regelgeving"), REAL)
    docs = [d for d in iter_corpus(root)]
    assert all(isinstance(d, Document) for d in docs), docs
    return {Path(d.source_path).stem: d for d in docs}  # type: ignore[union-attr]


def test_real_regulations_titles_kinds_and_bwb(real: dict[str, Document]) -> None:
    awb, sv = real["BWBR0005537"], real["BWBR0001903"]
    assert (awb.title, awb.kind, awb.metadata["bwb"]) == ("Algemene wet bestuursrecht", "wet", "BWBR0005537")
    assert awb.metadata["intitule"].startswith("Wet van 4 juni 1992, houdende algemene regels van bestuursrecht")
    assert awb.date == "1992-06-04"
    assert (sv.title, sv.kind) == ("Wet van 15 januari 1921", "wet")  # its first heading, as the file gives it
    assert real["BWBR0020765"].kind == "zbo" and real["BWBR0025676"].kind == "pbo"
    for doc in real.values():
        assert doc.title != doc.metadata["bwb"] and unit_label(doc.title) is None
        assert not doc.title.startswith(("Artikel", "Hoofdstuk")), doc.title


def test_real_regulations_outline(real: dict[str, Document]) -> None:
    awb = {s.title: s for s in real["BWBR0005537"].sections}
    assert awb["Artikel 4:1"].path[1:] == ["Hoofdstuk 4 Bijzondere bepalingen over besluiten", "Titel 4.1 Beschikkingen",
                                           "Afdeling 4.1.1 De aanvraag", "Artikel 4:1"]
    assert awb["Artikel 7:1"].path[1:] == [
        "Hoofdstuk 7 Bijzondere bepalingen over bezwaar en administratief beroep",
        "Afdeling 7.1 Bezwaarschrift voorafgaand aan beroep bij de bestuursrechter", "Artikel 7:1"]
    sv = {s.title: s for s in real["BWBR0001903"].sections}
    assert sv["Artikel 1"].path[1:] == ["Eerste Boek – Algemeene bepalingen", "Titel I – Strafvordering in het algemeen",
                                        "Eerste afdeeling – Inleidende bepaling", "Artikel 1"]
    # every kop joined its label: none stands as a section of its own under a bare label
    assert not {"Inleidende bepalingen", "Definities en reikwijdte", "Beschikkingen"} & set(awb)
    assert not {"Algemeene bepalingen", "Strafvordering in het algemeen", "Inleidende bepaling"} & set(sv)
