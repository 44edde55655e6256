"""The entity catalogue (kb/catalogue/*.yaml): the real data validates and says what it must, and the
validator fails loudly on the mistakes it exists to catch."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from kb.catalogue import (
    CATALOGUE_DIR,
    ENTITY_LABELS,
    Catalogue,
    CatalogueError,
    Entity,
    is_acronym,
    load_catalogue,
    normalise_alias,
)


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def resolve(cat: Catalogue, form: str) -> str | None:
    """The id a surface form links to, using the loader's own keying (case-sensitive key first)."""
    index = cat.alias_index()
    cs = index.get("CS:" + re.sub(r"\s+", " ", form.strip()))
    return cs if cs is not None else index.get(normalise_alias(form))


def rel(cat: Catalogue, source: str, rtype: str) -> set[str]:
    return {r["target"] for r in cat.get(source).relations if r["type"] == rtype}


# --------------------------------------------------------------------------------------------------
# The real catalogue
# --------------------------------------------------------------------------------------------------

def test_real_catalogue_validates_and_is_large(cat):
    assert len(cat) > 100
    labels = {e.label for e in cat}
    for label in ("ORG", "LAW", "SYSTEM", "FUND", "PROGRAMME"):
        assert label in labels, label
    assert labels <= set(ENTITY_LABELS)


def test_every_file_has_a_comment_header():
    files = sorted(CATALOGUE_DIR.glob("*.yaml"))
    names = {p.name for p in files}
    assert {"organisations.yaml", "laws.yaml", "systems.yaml", "funds.yaml", "programmes.yaml"} <= names
    for path in files:
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("#"), f"{path.name} must start with a comment header"


def test_every_entity_has_a_description_and_sits_in_its_label_file(cat):
    file_of = {"ORG": "organisations.yaml", "LAW": "laws.yaml", "SYSTEM": "systems.yaml", "FUND": "funds.yaml",
               "PROGRAMME": "programmes.yaml", "LOC": "places.yaml", "PERSON": "persons.yaml"}
    for ent in cat:
        assert ent.description, ent.id
        assert ent.source_file == file_of[ent.label], (ent.id, ent.source_file)


@pytest.mark.parametrize(
    "form, expected",
    [
        ("IND", "ind"),
        ("Immigratie- en Naturalisatiedienst", "ind"),
        ("Immigratie - en Naturalisatiedienst", "ind"),
        ("JenV", "jenv"),
        ("J&V", "jenv"),
        ("Ministerie van Justitie en Veiligheid", "jenv"),
        ("ministerie van Justitie en Veiligheid", "jenv"),
        ("EES", "ees"),
        ("Entry-Exit System", "ees"),
        ("in- en uitreissysteem", "ees"),
        ("in- en uitreisysteem", "ees"),  # the contourennota's misspelling
        ("ETIAS", "etias"),
        ("European Travel Information and Authorization System", "etias"),
        ("informatie- en reisautorisatiesysteem", "etias"),
        ("SIS", "sis"),
        ("Schengen Informatie Systeem", "sis"),
        ("Schengeninformatiesysteem", "sis"),
        ("VIS", "vis"),
        ("Visum Informatiesysteem", "vis"),
        ("ECRIS", "ecris"),
        ("ECRIS-TCN", "ecris-tcn"),
        ("ECRIS – TCN", "ecris-tcn"),
        ("AMF", "amf"),
        ("Asiel en Migratiefonds", "amf"),
        ("Fonds voor asiel en migratie", "amf"),
        ("AMIF", "amif"),
        ("Fonds voor Asiel, Migratie en Integratie", "amif"),
        ("ISF", "isf"),
        ("Fonds voor Interne Veiligheid", "isf"),
        ("ISF Grenzen", "isf-grenzen"),
        ("BMVI", "bmvi"),
        ("Instrument voor Grensbeheer en Visa", "bmvi"),
        ("Geïntegreerd Grensbeheerfonds", "geintegreerd-grensbeheerfonds"),
        ("CPR", "cpr"),
        ("Common Provisions Regulation", "cpr"),
        ("MFK", "mfk"),
        ("Wet SenB", "wet-straffen-en-beschermen"),
        ("Wet straffen en beschermen", "wet-straffen-en-beschermen"),
        ("DT&V", "dtenv"),
        ("KMar", "kmar"),
        ("Koninklijke Marechaussee", "kmar"),
        ("Europese Commissie", "europese-commissie"),
        ("Commissie", "europese-commissie"),
        ("UVB", "uvb"),
        ("richtlijn 2016/681", "richtlijn-2016-681"),
        ("ECRIS-TCN-verordening 2019/816", "ecris-tcn-verordening"),
        ("Verwijzingsportaal Bankgegevens", "verwijzingsportaal-bankgegevens"),
        ("Integrale Migratieagenda", "integrale-migratieagenda"),
        ("Programma Grenzen en Veiligheid", "programma-grenzen-en-veiligheid"),
        ("HashCheckService", "hashcheckservice"),
        ("Stop-It-Now", "stop-it-now"),
        ("politie", "politie"),
    ],
)
def test_alias_links_to_entity(cat, form, expected):
    assert resolve(cat, form) == expected


@pytest.mark.parametrize(
    "form, eid, label",
    [
        ("Meerjarig Financieel Kader", "mfk", "FUND"),
        ("Common Provisions Regulation", "cpr", "LAW"),
        ("Integrale Migratieagenda", "integrale-migratieagenda", "PROGRAMME"),
        ("ISF Grenzen", "isf-grenzen", "FUND"),
        ("Verwijzingsportaal Bankgegevens", "verwijzingsportaal-bankgegevens", "SYSTEM"),
        ("Geïntegreerd Grensbeheerfonds", "geintegreerd-grensbeheerfonds", "FUND"),
        ("JenV-Beleidsagenda 2020", "jenv-beleidsagenda-2020", "PROGRAMME"),
        ("multidisciplinair interventieteam", "mit", "ORG"),
    ],
)
def test_label_conventions(cat, form, eid, label):
    assert resolve(cat, form) == eid
    assert cat.get(eid).label == label


@pytest.mark.parametrize(
    "a, b",
    [("AMF", "AMIF"), ("VIS", "SIS"), ("ECRIS", "ECRIS-TCN"), ("EES", "ETIAS"), ("ISF", "AMF"), ("ESF", "ESF+"),
     ("BMVI", "Geïntegreerd Grensbeheerfonds"), ("ISF", "ISF Grenzen")],
)
def test_confusable_aliases_stay_apart(cat, a, b):
    ida, idb = resolve(cat, a), resolve(cat, b)
    assert ida and idb and ida != idb, (a, ida, b, idb)


def test_relations_between_related_entities(cat):
    assert "ecris" in rel(cat, "ecris-tcn", "part_of")
    assert "amif" in rel(cat, "amf", "succeeds")
    assert "geintegreerd-grensbeheerfonds" in rel(cat, "bmvi", "part_of")
    assert "ecris-tcn" in rel(cat, "ecris-tcn-verordening", "regulates")
    assert "pnr" in rel(cat, "richtlijn-2016-681", "regulates")
    assert "vis" in rel(cat, "vis-verordening", "regulates")
    assert {"ees", "etias", "sis", "vis", "eurodac"} <= rel(cat, "programma-grenzen-en-veiligheid", "implements")
    assert "szw" in rel(cat, "uvb", "part_of")
    assert "jenv" in rel(cat, "verantwoordelijke-autoriteit", "part_of")
    assert "financien" in rel(cat, "adr", "part_of")
    assert "esf" in rel(cat, "esf-plus", "succeeds")


def test_case_sensitive_forms_do_not_catch_ordinary_words(cat):
    # these lower-case forms are ordinary Dutch and must not link to anything
    for form in ("commissie", "halt", "veilig thuis", "justitie en veiligheid", "buitenlandse zaken", "rechtspraak",
                 "defensie", "financiën", "grondwet", "reclassering"):
        assert resolve(cat, form) is None, form
    # while the capitalised proper names do
    assert resolve(cat, "Halt") == "halt"
    assert resolve(cat, "Veilig Thuis") == "veilig-thuis"
    assert resolve(cat, "Rechtspraak") == "rechtspraak"


def test_no_risky_generic_alias(cat):
    """Words that are too generic to be an alias in any case (see the file headers)."""
    generic = {"kamer", "kabinet", "minister", "ministerie", "raad", "unie", "rijk", "fonds", "programma", "wet",
               "de minister", "het ministerie", "hof van justitie", "migratiepact", "nationale uitvoeringswet",
               "breed offensief", "gi", "aa", "ec"}
    for ent in cat:
        for form in ent.surface_forms:
            assert normalise_alias(form) not in generic, (ent.id, form)


# --------------------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------------------

_CELEX = re.compile(r"^3(\d{4})([LR])(\d{4})$")
_TYPE_WORDS = {"L": ("richtlijn", "directive"), "R": ("verordening", "regulation")}


def celex_problems(ent: Entity) -> list[str]:
    """Why an entity's CELEX number does not follow from an act number in its name or aliases ([] if it does)."""
    celex = ent.refs.get("celex")
    if celex is None:
        return []
    m = _CELEX.match(celex)
    if not m:
        return [f"{ent.id}: {celex!r} is not a sector-3 directive/regulation CELEX number"]
    year, kind, num = m.group(1), m.group(2), str(int(m.group(3)))
    number = re.compile(rf"(?<!\d)(?:{year}/{num}|{num}/{year})(?!\d)")
    for form in ent.surface_forms:
        if number.search(form) and any(w in form.lower() for w in _TYPE_WORDS[kind]):
            return []
    return [f"{ent.id}: no name or alias cites {_TYPE_WORDS[kind][0]} {year}/{num} (or {num}/{year}) for CELEX {celex}"]


def test_every_celex_matches_a_cited_act_number(cat):
    problems = [p for ent in cat for p in celex_problems(ent)]
    assert not problems, problems
    assert sum(1 for ent in cat if "celex" in ent.refs) >= 20


def test_celex_check_catches_mismatches():
    good = Entity(id="x", label="LAW", name="PNR-richtlijn", aliases=["richtlijn 2016/681"], refs={"celex": "32016L0681"})
    assert celex_problems(good) == []
    wrong_year = Entity(id="x", label="LAW", name="ECRIS-richtlijn", aliases=["ECRIS-richtlijn 2018/884"],
                        refs={"celex": "32019L0884"})
    assert celex_problems(wrong_year)
    wrong_type = Entity(id="x", label="LAW", name="PNR-richtlijn", aliases=["richtlijn 2016/681"],
                        refs={"celex": "32016R0681"})
    assert celex_problems(wrong_type)
    old_style = Entity(id="x", label="LAW", name="Visumcode", aliases=["Verordening (EG) nr. 810/2009"],
                       refs={"celex": "32009R0810"})
    assert celex_problems(old_style) == []


def test_known_wrong_citations_carry_no_celex(cat):
    # the texts cite "ECRIS-richtlijn 2018/884" (is (EU) 2019/884) and "Richtlijn 2016/849" (is (EU) 2015/849)
    assert resolve(cat, "ECRIS-richtlijn 2018/884") == "ecris-richtlijn"
    assert "celex" not in cat.get("ecris-richtlijn").refs
    assert resolve(cat, "Richtlijn 2016/849") == "vierde-anti-witwasrichtlijn"
    assert "celex" not in cat.get("vierde-anti-witwasrichtlijn").refs


def test_verified_refs_say_where_they_were_verified():
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(bwb|site|url|eli):", line):
                assert "# verified:" in line, f"{path.name}:{n}: unverified reference: {line.strip()}"
            if re.match(r"^\s*bwb:", line):
                assert re.search(r"bwb:\s*BWBR\d{7}\b", line), f"{path.name}:{n}: malformed BWB id"


# --------------------------------------------------------------------------------------------------
# The validator fails loudly
# --------------------------------------------------------------------------------------------------

def write(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_one_alias_naming_two_entities_raises_naming_alias_and_file(tmp_path):
    write(tmp_path, "a.yaml", """\
        - id: vis
          label: SYSTEM
          name: Visuminformatiesysteem
          aliases: [VIS]
        """)
    write(tmp_path, "b.yaml", """\
        - id: sis
          label: SYSTEM
          name: Schengeninformatiesysteem
          aliases: [SIS, VIS]
        """)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(tmp_path)
    message = str(err.value)
    assert "'VIS'" in message
    assert "b.yaml" in message and "a.yaml" in message


def test_spelling_variants_of_one_alias_collide(tmp_path):
    write(tmp_path, "orgs.yaml", """\
        - id: ind
          label: ORG
          name: Immigratie- en Naturalisatiedienst
        - id: other
          label: ORG
          name: Andere dienst
          aliases: ["Immigratie - en Naturalisatiedienst"]
        """)
    with pytest.raises(CatalogueError, match=r"Immigratie - en Naturalisatiedienst.*orgs\.yaml"):
        load_catalogue(tmp_path)


def test_acronym_and_lower_case_word_do_not_collide(tmp_path):
    # "AP" (case-sensitive acronym) and "ap" as an ordinary case-insensitive form are different keys
    write(tmp_path, "x.yaml", """\
        - id: ap
          label: ORG
          name: Autoriteit Persoonsgegevens
          aliases: [AP]
        - id: other
          label: ORG
          name: Andere
          aliases: [Stop It Now]
          case_sensitive: [Stop It Now]
        - id: third
          label: PROGRAMME
          name: stop it now
        """)
    cat = load_catalogue(tmp_path)
    assert len(cat) == 3


def test_unknown_label_raises(tmp_path):
    write(tmp_path, "x.yaml", """\
        - id: thing
          label: ORGANISATION
          name: Iets
        """)
    with pytest.raises(CatalogueError, match=r"x\.yaml.*'thing'.*label 'ORGANISATION'"):
        load_catalogue(tmp_path)


@pytest.mark.parametrize("bad_id", ["IND", "my id", "-ind", "ind_2", "", "ïnd"])
def test_bad_id_raises(tmp_path, bad_id):
    write(tmp_path, "x.yaml", f"""\
        - id: "{bad_id}"
          label: ORG
          name: Iets
        """)
    with pytest.raises(CatalogueError, match=r"x\.yaml.*lower-case slug"):
        load_catalogue(tmp_path)


def test_unknown_relation_target_raises(tmp_path):
    write(tmp_path, "x.yaml", """\
        - id: ecris-tcn
          label: SYSTEM
          name: ECRIS-TCN
          relations:
            - {type: part_of, target: ecris}
        """)
    with pytest.raises(CatalogueError, match=r"x\.yaml.*'ecris-tcn'.*unknown entity 'ecris'"):
        load_catalogue(tmp_path)


def test_unknown_relation_type_raises(tmp_path):
    write(tmp_path, "x.yaml", """\
        - id: a
          label: ORG
          name: A
        - id: b
          label: ORG
          name: B
          relations:
            - {type: owns, target: a}
        """)
    with pytest.raises(CatalogueError, match=r"x\.yaml.*'b'.*relation"):
        load_catalogue(tmp_path)


def test_duplicate_id_across_files_raises(tmp_path):
    write(tmp_path, "a.yaml", "- {id: ind, label: ORG, name: IND}\n")
    write(tmp_path, "b.yaml", "- {id: ind, label: ORG, name: Immigratie- en Naturalisatiedienst}\n")
    with pytest.raises(CatalogueError, match=r"duplicate id 'ind'"):
        load_catalogue(tmp_path)


def test_malformed_celex_and_unknown_ref_kind_raise(tmp_path):
    write(tmp_path, "a.yaml", "- {id: x, label: LAW, name: X, refs: {celex: '2016/681'}}\n")
    with pytest.raises(CatalogueError, match=r"CELEX"):
        load_catalogue(tmp_path)
    write(tmp_path, "a.yaml", "- {id: x, label: LAW, name: X, refs: {wikipedia: 'https://nl.wikipedia.org/'}}\n")
    with pytest.raises(CatalogueError, match=r"refs keys"):
        load_catalogue(tmp_path)


def test_invalid_yaml_names_file_and_line(tmp_path):
    write(tmp_path, "broken.yaml", "- id: x\n  label: ORG\n  name: [unclosed\n")
    with pytest.raises(CatalogueError, match=r"broken\.yaml:\d+: invalid YAML"):
        load_catalogue(tmp_path)


def test_is_acronym_matches_documented_examples():
    for form in ("IND", "DT&V", "ESF+", "JenV", "VB1", "S&I"):
        assert is_acronym(form), form
    for form in ("Halt", "Rechtspraak", "Entry-Exit System", "politie"):
        assert not is_acronym(form), form
