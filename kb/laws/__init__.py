"""Citations of regulations: a register of regulations built from a collection, and the rules to resolve a
cited name (with its article) to a BWB id.

    extract.py    what one regulation file says: BWB id, title, short titles, its links (anchor -> BWB id)
    citation.py   the article-reference grammar ("artikel 49, eerste lid, van de ..."), books of a code
    register.py   name evidence from a collection: own names, mined anchor names, link-target titles, dates
    made.py       abbreviations made by rule from own names: initials, "RVV 1990", "Gemw"
    resolve.py    which names identify one regulation (purity, books, ambiguity)
    compiled.py   the tagger's form of the register (name trie, entries, entity data), cached in the data dir
    matcher.py    the token trie itself
    store.py      the register in the knowledge base and the build's register stage
    urls.py       refs + article -> wetten.overheid.nl / EUR-Lex

The tagger component that uses it is :mod:`kb.tagger.laws` (with :mod:`kb.tagger.law_context`); EU acts
get their CELEX number by rule in :mod:`kb.tagger.catalogue_matcher` (``act_celex``).
"""
