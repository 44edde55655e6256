"""Named-entity tagging of Dutch policy text: a spaCy pipeline of catalogue, definition and rule components.

    from kb.tagger import Tagger, TaggedEntity, build_tagger, tag_json

    tagger = build_tagger(definitions=store.definitions())      # catalogue from kb/catalogue
    for e in tagger.tag(text):                                   # char offsets into text, sorted
        print(e.start, e.end, e.label, e.kb_id, e.related, e.value)

kb_id conventions: catalogue id ("ind"); entity from a definition or a rule "<label>-<slug>"
("org-bureau-ict-toetsing", "law-wet-straffen-en-beschermen"); EU act "celex-<celex>"
("celex-32016l0681"); statistical or gazetteer entities "person:<slug>", "loc:<slug>", "org:<slug>";
amounts and dates "money", "percent", "date" with the normalised ``value``.
"""
from .pipeline import TaggedEntity, Tagger, apply_definitions, build_tagger, tag_json

__all__ = ["Tagger", "TaggedEntity", "build_tagger", "tag_json", "apply_definitions"]
