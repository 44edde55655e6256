"""The register of regulations as the ``bb_laws`` component uses it: compiled with the pipeline's tokenizer and cached.

Also the links between the register and the entity index: the official identifiers of a LAW entity,
the BWB id a catalogue law adopts where catalogue and register agree on a name, and the names the
tokenizer keeps whole with their full stop.  Apart from :mod:`kb.tagger.laws` because this is set-up
(once per pipeline), not matching (once per text).
"""
from __future__ import annotations

import hashlib
import logging

from spacy.language import Language
from spacy.strings import hash_string

from kb.laws.compiled import CompiledRegister, compile_code_version, compile_register, load_cached, save_cached
from kb.laws.matcher import END
from kb.laws.register import name_key
from kb.laws.store import InMemoryRegister, RegisterSource

from .index import EntityIndex
from .text import norm_token

log = logging.getLogger("kb.tagger")


def official_refs(index: EntityIndex, kb_id: str | None) -> dict[str, str]:
    """{"bwb": ...} / {"celex": ...} of a LAW entity id: the entity's own refs, or the CELEX number in
    an id derived by rule ("celex-32016l0680")."""
    if not kb_id:
        return {}
    ent = index.entities.get(kb_id)
    if ent is not None:
        return {k: ent.refs[k] for k in ("bwb", "celex") if ent.refs.get(k)}
    if kb_id.startswith("celex-"):
        return {"celex": kb_id[len("celex-"):].upper()}
    return {}


def dotted_names(register: CompiledRegister) -> dict[int, int]:
    """Hash of a one-word name with a full stop -> its entry: the tokenizer keeps some abbreviations whole with
    their full stop ("Grw.", "Vc.", "Pw."), which the name trie (without it) would not find.  Exact names by
    their text, folded names by their NORM (lower case)."""
    out: dict[int, int] = {}
    for root in (register.trie.folded, register.trie.exact):
        for word, node in root.items():
            if END in node:
                out.setdefault(hash_string(word + "."), node[END])
    return out


def adopted_bwb(register: CompiledRegister, forms: list[str]) -> str | None:
    """The BWB id of a catalogue law without one, where the catalogue and the register agree on a name: the
    one regulation whose own name (short title, title) is among the entity's forms ("Wet maatschappelijke
    ondersteuning 2015"), else the one regulation the forms the register resolves name ("Wet Bibob").  Names
    the register finds ambiguous, and abbreviations it only makes by rule ("Woo" is also the initials of the
    Wet overlevering inzake oorlogsmisdrijven) say nothing; two regulations named by the forms, nothing is
    adopted."""
    entries = [register.entries[i] for f in forms if (i := register.keys.get(name_key(f))) is not None]
    official = {e.bwb for e in entries if e.official and e.bwb}
    if official:
        return official.pop() if len(official) == 1 else None
    resolved = {e.bwb for e in entries if e.bwb and not e.needs_reference and not e.made}
    return resolved.pop() if len(resolved) == 1 else None


def compiled_register(register: CompiledRegister | RegisterSource | InMemoryRegister | None, nlp: Language,
                      fingerprint: str) -> CompiledRegister | None:
    """The register compiled with this pipeline's tokenizer: from the cache file in the data directory when
    one exists for the register's digest, the tagger's code (``fingerprint``) and the compiling rules of kb.laws,
    else compiled and cached."""
    if register is None or isinstance(register, CompiledRegister):
        return register
    key = hashlib.sha256(f"{register.digest}|{fingerprint}|{compile_code_version()}".encode()).hexdigest()[:20]
    path = register.cache_dir / f"law-register-{key}.json" if register.cache_dir is not None else None
    if path is not None and path.is_file():
        cached = load_cached(path)
        if cached is not None and cached.digest == register.digest:
            return cached
    regs, rows = register.rows()
    compiled = compile_register(regs, rows, tokenize=lambda s: [t.text for t in nlp.tokenizer(s)], fold=norm_token,
                                digest=register.digest)
    if path is not None:
        for old in path.parent.glob("law-register-*.json"):
            if not old.name.startswith(path.stem):
                old.unlink(missing_ok=True)
        if not save_cached(compiled, path):
            log.info("tagger: register cache not writable in %s; compiled in memory", path.parent)
    return compiled
