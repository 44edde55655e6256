"""The small test catalogue of the tagger tests (test_tagger_*.py) and helpers to read what the tagger
found.  The catalogue is real YAML, written to a temporary directory and loaded and validated by
kb.catalogue, so the tests do not depend on the shipped catalogue's content; the fixtures that build it
(``catalogue_dir``, ``tagger``) live in conftest.py."""
from __future__ import annotations

from kb.tagger import TaggedEntity, Tagger

TINY_CATALOGUE = {
    "organisations.yaml": """
- id: ind
  label: ORG
  name: Immigratie- en Naturalisatiedienst
  aliases: [IND]
- id: dtenv
  label: ORG
  name: Dienst Terugkeer en Vertrek
  aliases: ["DT&V"]
- id: jenv
  label: ORG
  name: Ministerie van Justitie en Veiligheid
  aliases: [JenV, "J&V"]
- id: raad-van-state
  label: ORG
  name: Raad van State
- id: tweede-kamer
  label: ORG
  name: Tweede Kamer
- id: rechtspraak
  label: ORG
  name: Rechtspraak
  case_sensitive: [Rechtspraak]
""",
    "systems.yaml": """
- id: vis
  label: SYSTEM
  name: Visuminformatiesysteem
  aliases: [VIS, Visa Information System]
- id: sis
  label: SYSTEM
  name: Schengeninformatiesysteem
  aliases: [SIS, Schengen Informatie Systeem]
- id: ecris
  label: SYSTEM
  name: European Criminal Records Information System
  aliases: [ECRIS]
- id: ecris-tcn
  label: SYSTEM
  name: ECRIS voor onderdanen van derde landen
  aliases: [ECRIS-TCN]
- id: ees
  label: SYSTEM
  name: Entry-Exit System
  aliases: [EES]
- id: pnr
  label: SYSTEM
  name: Passenger Name Record
  aliases: [PNR]
""",
    "funds.yaml": """
- id: amif
  label: FUND
  name: Fonds voor Asiel, Migratie en Integratie
  aliases: [AMIF]
- id: amf
  label: FUND
  name: Asiel- en Migratiefonds
  aliases: [AMF]
- id: isf
  label: FUND
  name: Fonds voor Interne Veiligheid
  aliases: [ISF]
""",
}


def ents(tagger: Tagger, text: str, labels: tuple[str, ...] | None = None) -> list[TaggedEntity]:
    out = tagger.tag(text)
    check_offsets(text, out)
    return [e for e in out if labels is None or e.label in labels]


def check_offsets(text: str, found: list[TaggedEntity]) -> None:
    last_end = -1
    for e in found:
        assert text[e.start:e.end] == e.text, e
        assert e.start >= last_end, f"overlap or unsorted at {e}"
        last_end = e.end


def by_text(found: list[TaggedEntity]) -> dict[str, TaggedEntity]:
    return {e.text: e for e in found}


NAMED = ("ORG", "LAW", "SYSTEM", "FUND", "PROGRAMME")
