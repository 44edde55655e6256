"""The two shipped documents: complete outline, footnotes, joins, ids (corpus/documents/)."""
from __future__ import annotations

import re
from pathlib import Path

import markdown as md_lib
import pytest

from corpus import Document, iter_corpus, load_document

ROOT = Path(__file__).resolve().parent.parent / "corpus" / "documents"
TXT = ROOT / "jenv-jaarverslag-2020-beleidsverslag.txt"
MD = ROOT / "contourennota-migratie-veiligheidsfondsen-2021-2027.md"

ZORG, VEILIG, MIGRATIE = "1 Zorg voor de rechtsstaat", "2 Een veilige samenleving", "3 Migratie"
TENUIT = "Tenuitvoerlegging sancties"
JEUGD = "Jeugdbescherming en kwaliteit justitiële inrichtingen"
FORENS = "Forensische zorg en gevangeniswezen"
AANSLAG = "Aanslagen voorkomen en terrorisme en extremisme bestrijden"
OVERLAST = "Minder overlast en illegaliteit, meer terugkeer"

# (title, level, parent title) for every heading of the plain-text annual report, in order.
TXT_OUTLINE = [
    ("3.1 Beleidsverslag", 0, None),
    (ZORG, 1, None),
    ("Rechtspraak", 2, ZORG),
    ("Toegang tot het recht: rechtsbijstand", 2, ZORG),
    ("Aanpak ondermijning", 2, ZORG),
    ("Ondermijnende organisaties verbieden", 2, ZORG),
    ("Kinderpornografie en –sekstoerisme", 2, ZORG),
    ("Experiment gesloten coffeeshopketen", 2, ZORG),
    ("Schuldenaanpak", 2, ZORG),
    ("Tegengaan discriminatie", 2, ZORG),
    ("Prostitutiebeleid en seksuele misdrijven", 2, ZORG),
    (VEILIG, 1, None),
    ("DNA veroordeelden/verdachten (DNA-V)", 2, VEILIG),
    ("Versterking opsporing en gebied gebonden politiewerk", 2, VEILIG),
    ("Een moderne en adaptieve politieorganisatie", 2, VEILIG),
    ("Verbetering van de strafrechtketen", 2, VEILIG),
    (TENUIT, 2, VEILIG),
    ("Wet herziening tenuitvoerlegging strafrechtelijke beslissingen", 3, TENUIT),
    ("Wet straffen en beschermen", 3, TENUIT),
    ("Kwetsbare personen, huiselijk geweld en kindermishandeling", 3, TENUIT),
    ("Versterking rechtspositie van slachtoffers", 3, TENUIT),
    ("Beter benutten risicotaxatie- en screeningsinstrumenten", 3, TENUIT),
    (JEUGD, 2, VEILIG),
    ("Jeugdbescherming", 3, JEUGD),
    ("Doorbraakaanpak", 3, JEUGD),
    ("Kwaliteit justitiële inrichtingen", 3, JEUGD),
    (FORENS, 2, VEILIG),
    ("Forensische zorg", 3, FORENS),
    ("Gevangeniswezen", 3, FORENS),
    (AANSLAG, 2, VEILIG),
    ("Detectie reisbewegingen", 3, AANSLAG),
    ("Bestrijding van terroristen en extremisten op het internet", 3, AANSLAG),
    ("Terugkeer, home grown terrorisme en veilige re-integratie", 3, AANSLAG),
    ("Lokale domein", 3, AANSLAG),
    ("Contraterrorisme-strategie (CT)", 3, AANSLAG),
    ("Nationale veiligheidsstrategie en coördinatie nationale veiligheid", 3, AANSLAG),
    ("Nederland digitaal veiliger maken", 3, AANSLAG),
    ("Nederland weerbaar maken tegen dreigingen door statelijke actoren", 3, AANSLAG),
    ("Risico- en crisisbeheersing", 3, AANSLAG),
    ("Bestrijding corona", 3, AANSLAG),
    (MIGRATIE, 1, None),
    ("Robuuste inrichting migratieketen", 2, MIGRATIE),
    ("Gemeenschappelijk Europees Asielstelsel (GEAS)", 2, MIGRATIE),
    ("Versterking capaciteit grensbeheer", 2, MIGRATIE),
    ("Flexibiliteit en effectiviteit van de asielketen", 2, MIGRATIE),
    (OVERLAST, 2, MIGRATIE),
    ("Overlast", 3, OVERLAST),
    ("Aanpak overlastgevende asielzoekers", 3, OVERLAST),
    ("Versoberde opvang", 3, OVERLAST),
    ("Terugkeer", 3, OVERLAST),
    ("Kennismigratie", 3, OVERLAST),
]

C = "Contourennota"
NK = "Nationaal kader voor de inzet van de Migratie- en Veiligheidsfondsen 2021-2027"
ASIEL_M = "Door het Fonds gesteunde maatregelen Asiel en opvang"
LEGAAL_M = "Door het Fonds gesteunde maatregelen Legale migratie en Integratie"
TERUG = "AMF Terugkeer"
TERUG_M = "Door het Fonds gesteunde maatregelen Terugkeer"
ISF1_V = "Verbeteren Informatie-uitwisselingssystemen"
ISF3 = "ISF specifieke doelstelling 3"
BMVI_M = "Door het Fonds gesteunde maatregelen"
VISA_M = "Door het Fonds gesteunde maatregelen Visa Instrument"
OPVOLGING = "3. Opvolging geven aan verkregen aanbevelingen vanuit kwaliteitscontrolemechanismen zoals…"

MD_OUTLINE = [
    (C, 1, None),
    ("Migratie- en Veiligheidsfondsen (2021-2027)", 2, C),
    ("Achtergrond", 2, C),
    ("Organisatie structuur", 2, C),
    ("Afstemmingsproces", 2, C),
    (NK, 2, C),
    ("Prioriteit voor ondersteuning staand beleid", 3, NK),
    ("Prioriteit voor implementatie van EU verordeningen zoals aangegeven in de afzonderlijke fonds verordeningen", 3, NK),
    ("Prioriteit voor grote meerjarige projecten", 3, NK),
    ("Uitvoerings- en controlelasten zo laag mogelijk te houden", 3, NK),
    ("Rekening houdend met bevindingen van acquis evaluaties", 3, NK),
    ("Prioriteit activiteiten met hoge cofinanciering subsidiepercentage (90%)", 3, NK),
    ("Optimaal gebruik maken van Operationele Steun (Operating Support)", 3, NK),
    ("AMF algemeen", 2, C),
    ("AMF Asiel en opvang", 2, C),
    ("Uitgangssituatie Asiel en opvang", 3, "AMF Asiel en opvang"),
    (ASIEL_M, 2, C),
    *[("Artikel 3(2)(a)", 3, ASIEL_M)] * 5,
    *[("Artikel 3(1)", 3, ASIEL_M)] * 3,  # italic-only lines: siblings of the ### articles
    ("Allocatie middelen Asiel en opvang (indicatief)", 2, C),
    ("Partners", 3, "Allocatie middelen Asiel en opvang (indicatief)"),
    ("AMF Legale migratie en Integratie", 2, C),
    ("Uitgangssituatie Legale migratie en Integratie", 3, "AMF Legale migratie en Integratie"),
    ("Doelstelling Legale migratie", 3, "AMF Legale migratie en Integratie"),
    ("Doelstelling Integratie", 3, "AMF Legale migratie en Integratie"),
    (LEGAAL_M, 2, C),
    ("Artikel 3(2)(b)", 3, LEGAAL_M),
    ("Artikel 3(2)(b)", 3, LEGAAL_M),
    ("Artikel 3(1)", 3, LEGAAL_M),
    ("Allocatie middelen Legale migratie en Integratie (indicatief)", 2, C),
    ("Partners", 3, "Allocatie middelen Legale migratie en Integratie (indicatief)"),
    (TERUG, 2, C),
    ("Uitgangssituatie Terugkeer", 3, TERUG),
    ("Doelstelling Terugkeer", 3, TERUG),
    (TERUG_M, 3, TERUG),
    *[("Artikel 3(2)(c)", 4, TERUG_M)] * 4,
    *[("Artikel 3(1)", 4, TERUG_M)] * 4,
    ("Allocatie middelen Terugkeer (indicatief)", 2, C),
    ("Partners", 3, "Allocatie middelen Terugkeer (indicatief)"),
    ("ISF specifieke doelstelling 1", 2, C),
    (ISF1_V, 3, "ISF specifieke doelstelling 1"),
    ("1. PNR", 4, ISF1_V),
    ("2. ECRIS – TCN en internationale preventieve uitwisseling van justitiële documentatie", 4, ISF1_V),
    ("3. Informatie systemen politie", 4, ISF1_V),
    ("4. Bevroings- en confiscatiebevelen", 4, ISF1_V),
    ("5. Verwijzingsportaal Bankgegevens", 4, ISF1_V),
    ("ISF specifieke doelstelling 2", 2, C),
    ("Versterken internationale samenwerking", 3, "ISF specifieke doelstelling 2"),
    (ISF3, 2, C),
    ("Aanpak Bad hosting: Cybercrime/online kinderporno / terroristische content", 3, ISF3),
    ("1. Het op- en inrichten van een competente autoriteit voor de uitvoering van de…", 3, ISF3),
    ("2. Het op- en inrichten van een bevoegde autoriteit die uitvoering gaat geven aan de…", 3, ISF3),
    ("3. Het ondersteunen van systemen die de markt helpen bij het tegengaan van het hosten van…", 3, ISF3),
    # "#### **4. ...**" continues the numbered ### items 1-3, so it is their sibling.
    ("4. Het ondersteunen van zelf regulering op de markt", 3, ISF3),
    ("Nieuwe opsporingstechnieken", 2, C),
    ("Kunstmatige Intelligentie (AI)", 3, "Nieuwe opsporingstechnieken"),
    ("Preventieve dadergerichte aanpak", 2, C),
    ("Bescherming kritieke infrastructuur", 2, C),
    ("BMVI Algemeen", 2, C),
    ("Uitgangspunten", 3, "BMVI Algemeen"),
    ("BMVI Border Management", 2, C),
    ("Uitgangssituatie Border Management", 3, "BMVI Border Management"),
    (BMVI_M, 2, C),
    ("1. De implementatie van de wettelijk verplichte EU verordeningen…", 3, BMVI_M),
    ("2. Het positioneren van LO's is van essentieel belang in bron- en transitlanden waar…", 3, BMVI_M),
    (OPVOLGING, 3, BMVI_M),
    ("BMVI Visa Instrument", 2, C),
    ("Uitgangssituatie Visa Instrument", 3, "BMVI Visa Instrument"),
    (VISA_M, 2, C),
    ("1. Technische aanpassingen die voortkomen uit de implementatie van de VIS- en Interoperabiliteitsverordening", 3, VISA_M),
    ("2. Verbeteren en doorontwikkeling van de methodologie Informatie Ondersteund Beslissen", 3, VISA_M),
    (OPVOLGING, 3, VISA_M),
    ("Ketenpartners", 4, OPVOLGING),
]


@pytest.fixture(scope="module")
def txt_doc() -> Document:
    return load_document(TXT, ROOT)


@pytest.fixture(scope="module")
def md_doc() -> Document:
    return load_document(MD, ROOT)


def outline(doc: Document) -> list[tuple[str, int, str | None]]:
    by_id = {s.id: s for s in doc.sections}
    return [(s.title, s.level, by_id[s.parent_id].title if s.parent_id else None) for s in doc.sections]


def section(doc: Document, title: str, nth: int = 0):
    return [s for s in doc.sections if s.title == title][nth]


def test_txt_outline_is_complete(txt_doc: Document) -> None:
    assert outline(txt_doc) == TXT_OUTLINE


def test_txt_every_short_line_of_the_source_is_a_heading_or_boilerplate(txt_doc: Document) -> None:
    lines = [ln.strip() for ln in TXT.read_text(encoding="utf-8").splitlines() if ln.strip()]
    short = [ln for ln in lines if len(ln) <= 80 and ln[-1] not in ".:;,!?" and not ln.startswith("•")]
    titles = [s.title for s in txt_doc.sections]
    assert [ln for ln in short if ln not in titles] == ["Base description which applies to whole site", "Licence"]


def test_txt_bullets_boilerplate_and_paths(txt_doc: Document) -> None:
    titles = {s.title for s in txt_doc.sections}
    assert not {t for t in titles if t.startswith("•") or t.startswith("voorstellen")}
    assert "Licence" not in titles and "Base description which applies to whole site" not in titles
    assert all("Base description" not in s.text and not s.text.endswith("Licence") for s in txt_doc.sections)
    geas = section(txt_doc, "Gemeenschappelijk Europees Asielstelsel (GEAS)")
    assert geas.list_items == ["voorstellen voor screening aan de buitengrens,",
                               "voorstellen voor verplichte grensprocedure, en",
                               "voorstellen voor een structureel (flexibel) solidariteitsmechanisme."]
    assert geas.paragraphs[0].endswith("Kernstukken zijn:")
    assert section(txt_doc, "Doorbraakaanpak").path == [VEILIG, JEUGD, "Doorbraakaanpak"]
    intro = txt_doc.sections[0]
    assert intro.paragraphs[0].startswith("Sinds maart 2020 houdt de coronapandemie")
    assert len(intro.paragraphs) == 3 and intro.source_line == 3
    assert section(txt_doc, "Kennismigratie").text.endswith("als kennismigrant in Nederland te vinden.")
    # A heading directly followed by a heading is still a section, with empty text.
    assert section(txt_doc, ZORG).text == "" and section(txt_doc, TENUIT).text == ""


def test_txt_document_metadata(txt_doc: Document) -> None:
    assert txt_doc.id == "jenv-jaarverslag-2020-beleidsverslag"
    assert txt_doc.title == "Jaarverslag Justitie en Veiligheid 2020 — Beleidsverslag"
    assert (txt_doc.kind, txt_doc.year, txt_doc.ministry) == ("jaarverslag", 2020, "Ministerie van Justitie en Veiligheid")
    assert txt_doc.format == "text" and txt_doc.encoding == "utf-8" and txt_doc.source_path.endswith(".txt")


def test_md_outline_is_complete(md_doc: Document) -> None:
    assert outline(md_doc) == MD_OUTLINE


def test_md_toc_and_rules_are_not_content(md_doc: Document) -> None:
    titles = [s.title for s in md_doc.sections]
    assert "Inhoud" not in titles
    everything = "\n".join(s.text + s.markdown for s in md_doc.sections)
    assert "....." not in everything and "\t" not in everything
    assert not re.search(r"(^|\n)---", everything)
    assert "Achtergrond" not in section(md_doc, "Migratie- en Veiligheidsfondsen (2021-2027)").text


def test_md_bold_and_italic_lines(md_doc: Document) -> None:
    lead = section(md_doc, "Migratie- en Veiligheidsfondsen (2021-2027)")
    assert lead.paragraphs == ["De inrichting van de Migratie- en Veiligheidsfondsen 2021-2027 behelst de implementatie "
                               "van het Asiel en Migratiefonds (AMF), het Fonds voor Interne Veiligheid (ISF) en het "
                               "Instrument voor Grensbeheer en Visa als onderdeel van het Geïntegreerd Grensbeheerfonds (BMVI)"]
    assert lead.markdown.startswith("*De inrichting") and lead.markdown.endswith("(BMVI)*")
    assert section(md_doc, "ISF specifieke doelstelling 2").paragraphs == [
        "Specific Objective 2: Intensify cross-border operations"]
    assert section(md_doc, "AMF Asiel en opvang").paragraphs[0].startswith("Specific objective: To strengthen")
    algemeen = section(md_doc, "AMF algemeen")
    assert algemeen.list_items == ["Optimaliseren Uitvoeringsprocessen", "Informatie Voorzieningen en digitale transitie",
                                   "(Inter)nationale Samenwerking"]
    first = section(md_doc, "Artikel 3(2)(a)")
    assert first.list_items[0].startswith("(b) het uitvoeren van asielprocedures")
    assert first.markdown.startswith("- *(b) het uitvoeren")
    nested = section(md_doc, "Doelstelling Integratie")
    assert [b.level for b in nested.blocks if b.kind == "list_item"] == [0, 0, 0, 1, 0]


def test_md_page_break_joins(md_doc: Document) -> None:
    border = section(md_doc, "Uitgangssituatie Border Management")
    assert any("Anderzijds kunnen er (verdere) samenwerkingen versterkt worden op het bestrijden" in p
               for p in border.paragraphs)
    assert not any(p.startswith("(verdere)") for p in border.paragraphs)
    bank = section(md_doc, "5. Verwijzingsportaal Bankgegevens")
    assert "a.s. wijziging van de EU Richtlijn 2016/849 inzake de voorkoming" in bank.paragraphs[0]
    hosting = section(md_doc, "Aanpak Bad hosting: Cybercrime/online kinderporno / terroristische content")
    assert "door digitale infrastructuur in Nederland wordt gefaciliteerd." in hosting.paragraphs[1]
    monitor = section(md_doc, "3. Het ondersteunen van systemen die de markt helpen bij het tegengaan van het hosten van…")
    assert "zal verder moeten worden doorontwikkeld en geïmplementeerd" in monitor.text
    # Paragraphs that simply end without a full stop are not glued to the next one.
    acquis = section(md_doc, "Rekening houdend met bevindingen van acquis evaluaties")
    assert acquis.paragraphs[-1].endswith("zijn gegeven")


FOOTNOTES = {
    "1": ("Achtergrond", "het Europees Fonds voor regionale ontwikkeling, het Cohesiefonds"),
    "2": (NK, "huidige Verantwoordelijke Autoriteit AMIF en ISF"),
    "3": ("Rekening houdend met bevindingen van acquis evaluaties", "VERORDENING (EU) Nr. 1053/2013 VAN DE RAAD"),
    "4": ("Artikel 3(2)(b)", "https://www.rijksoverheid.nl/documenten/kamerstukken/2019/02/15/"
                             "tk-beleidsreactie-wodc-rapport-aantrekkelijkheid-van-nederland-voor-kennismigranten"),
    "5": ("Artikel 3(2)(c)", "Directive 2008/115/EC of the European Parliament and of the Council of 16 December 2008"),
    "6": ("1. Het op- en inrichten van een competente autoriteit voor de uitvoering van de…",
          "Rapport Dreigingsbeeld Terrorisme Nederland (DTN 50)"),
    "7": ("1. Het op- en inrichten van een competente autoriteit voor de uitvoering van de…",
          "Voorstel voor een VERORDENING VAN HET EUROPEES PARLEMENT EN DE RAAD"),
}


def test_md_footnotes_attach_to_citing_sections(md_doc: Document) -> None:
    attached = {f.label: (s, f) for s in md_doc.sections for f in s.footnotes}
    assert sorted(attached) == sorted(FOOTNOTES)
    for label, (title, start) in FOOTNOTES.items():
        owner, note = attached[label]
        assert owner.title == title, label
        assert note.text.startswith(start), label
        assert f"[{label}]" in owner.text, label
    assert attached["4"][0] is section(md_doc, "Artikel 3(2)(b)", 1)
    assert attached["5"][0] is section(md_doc, "Artikel 3(2)(c)", 1)
    assert "Directive 2008/115/EC[5];" in attached["5"][0].text
    assert "(OJ L 348, 24.12.2008, p. 98)" in attached["5"][1].text
    bodies = [note.text for _, note in attached.values()]
    for s in md_doc.sections:
        for body in bodies:
            assert body[:40] not in s.text, (s.title, body[:40])
        assert "<sup>" not in s.text + s.markdown


def test_md_long_headings_keep_full_text(md_doc: Document) -> None:
    lo = section(md_doc, "2. Het positioneren van LO's is van essentieel belang in bron- en transitlanden waar…")
    assert lo.blocks[0].kind == "heading_text"
    assert lo.paragraphs[0].startswith("2. Het positioneren van LO's is van essentieel belang")
    assert lo.paragraphs[0].endswith("Het is van belang dit netwerk in stand te houden en waar mogelijk te versterken.")
    assert lo.paragraphs[1].startswith("Voor de implementatie van deze maatregel zijn we voornemens om 7,5%")
    assert all(len(s.title) <= 110 for s in md_doc.sections)
    assert section(md_doc, "1. PNR").blocks[0].kind == "paragraph"


def test_md_inline_markup_converted(md_doc: Document) -> None:
    allocatie = section(md_doc, "Allocatie middelen Terugkeer (indicatief)")
    assert allocatie.text.startswith("20% van AMF")
    hosting = section(md_doc, "Aanpak Bad hosting: Cybercrime/online kinderporno / terroristische content")
    assert "zich actief inzetten om abuse op hun servers" in hosting.text
    assert "*abuse*" in hosting.markdown
    assert "fondsen¹" in section(md_doc, "Achtergrond").markdown
    for s in md_doc.sections:
        rendered = md_lib.markdown(s.markdown)
        assert "<script" not in rendered and "<i>" not in s.markdown and "<sup>" not in rendered


def test_md_document_metadata(md_doc: Document) -> None:
    assert md_doc.id == "contourennota-migratie-veiligheidsfondsen-2021-2027"
    assert md_doc.title == "Contourennota Migratie- en Veiligheidsfondsen 2021-2027"
    assert (md_doc.kind, md_doc.period, md_doc.year) == ("contourennota", "2021-2027", 2020)
    assert md_doc.ministry == "Ministerie van Justitie en Veiligheid"


def test_ids_stable_unique_and_consistent() -> None:
    first = {d.id: d for d in iter_corpus(ROOT)}
    second = {d.id: d for d in iter_corpus(ROOT)}
    assert set(first) == {TXT.stem, MD.stem}
    for doc_id, doc in first.items():
        ids = [s.id for s in doc.sections]
        assert ids == [s.id for s in second[doc_id].sections]
        assert len(ids) == len(set(ids))
        assert all(i.startswith(doc_id + ":") for i in ids)
        assert [s.order for s in doc.sections] == list(range(len(doc.sections)))
        by_id = {s.id: s for s in doc.sections}
        for s in doc.sections:
            assert s.path[-1] == s.title
            if s.parent_id:
                assert by_id[s.parent_id].path + [s.title] == s.path and by_id[s.parent_id].order < s.order
            for b in s.blocks:
                assert s.text[b.start:b.end] == s.text[b.start:b.end].strip() != ""
            assert "\n\n".join(s.paragraphs) == s.text
        assert doc.sha256 == second[doc_id].sha256
    md_ids = [s.id for s in first[MD.stem].sections]
    assert md_ids[17:22] == [f"{MD.stem}:artikel-3-2-a"] + [f"{MD.stem}:artikel-3-2-a-{n}" for n in range(2, 6)]
    assert first[TXT.stem].sections[0].id == f"{TXT.stem}:3-1-beleidsverslag"


def test_source_lines_point_at_headings(txt_doc: Document, md_doc: Document) -> None:
    for doc, path in ((txt_doc, TXT), (md_doc, MD)):
        lines = path.read_text(encoding="utf-8").split("\n")
        for s in doc.sections:
            if s.blocks and s.blocks[0].kind == "heading_text":
                continue
            words = s.title.rstrip("…").split()[:3]
            assert all(w in lines[s.source_line - 1] for w in words), (s.title, s.source_line)
