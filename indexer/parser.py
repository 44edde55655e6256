"""The query language: clean a raw query and parse it into a tree of :class:`Node`.

Query language (Dutch UI, English operators)::

    asielaanvragen terugkeer          words: all words preferred, any word accepted
    "exact phrase"                    phrase (word bigrams; stop words ignored on both sides)
    a OR b, a AND b, NOT a, -a, +a    boolean operators (upper case), grouping with ( )
    document:ID  type:jaarverslag  entiteit:IND  jaar:2020  jaar:2019-2021  jaar:>2019
    uitspraak:toezegging              passages holding a commitment (result, probleem, maatregel)
    sectie:DOC:SECTIE                 the passages of one section ("meer uit deze sectie")
    asiel*  kinderporrno~  kinderporrno~2   prefix and fuzzy terms

The parser never fails: whatever it cannot use it skips and records as a note.  Its cost is
linear in the query, and the query is first cut to ``Limits.max_query_chars``, so parsing is
bounded whatever the input (tests/test_search_query.py counts it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from indexer.explain import Explanation
from settings import Limits

MAX_QUERY_CHARS = Limits().max_query_chars
MAX_GROUP_DEPTH = 8  # deeper parentheses are read as words

FIELD_ALIASES = {
    "document": "document", "doc": "document", "documents": "document",
    "type": "type", "soort": "type", "kind": "type",
    "entiteit": "entity", "entity": "entity", "entiteiten": "entity",
    "entiteittype": "entity_type", "entity_type": "entity_type", "label": "entity_type",
    "jaar": "year", "year": "year",
    "titel": "title", "title": "title",
    "uitspraak": "statement", "statement": "statement",
    "sectie": "section", "section": "section",
}


@dataclass
class Node:
    kind: str  # words | phrase | prefix | fuzzy | filter | group | or | not
    text: str = ""
    field: str = ""
    children: list["Node"] = dc_field(default_factory=list)
    required: bool = False
    dist: int = 1


_CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_LEX_RE = re.compile(
    r'(?P<field>[A-Za-z_]+):(?P<fval>"[^"]*"?|\([^)]*\)?|[^\s()"]+)'
    r'|(?P<quote>"[^"]*"?)'
    r"|(?P<lpar>\()|(?P<rpar>\))"
    r"|(?P<word>[^\s()\"]+)"
)
_FUZZY_RE = re.compile(r"(.+?)~(\d?)")
_OPERATORS = {"OR": "or", "||": "or", "|": "or", "AND": "and", "&&": "and", "NOT": "not"}


def sanitize(q: str, explain: Explanation) -> str:
    """Drop soft hyphens and control characters, cut to ``MAX_QUERY_CHARS``, squeeze spaces."""
    q = q.replace("\u00ad", "")
    if _CTRL_RE.search(q):
        q = _CTRL_RE.sub(" ", q)
        explain.note("control_chars_removed")
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        q = q[: q.rfind(" ")] if " " in q[-50:] else q
        explain.note("truncated_chars", limit=MAX_QUERY_CHARS)
    return re.sub(r"\s+", " ", q).strip()


def tokenize(q: str, explain: Explanation) -> list[tuple[str, str, str]]:
    """(type, value, field) tokens of a cleaned query."""
    tokens: list[tuple[str, str, str]] = []
    if q.count('"') % 2:
        explain.note("unclosed_quote")
    for m in _LEX_RE.finditer(q):
        if m.group("field") is not None:
            name = m.group("field").lower()
            val = m.group("fval")
            if name in FIELD_ALIASES:
                tokens.append(("field", val.strip('"()'), FIELD_ALIASES[name]))
            else:
                tokens.append(("word", f"{m.group('field')} {val.strip(chr(34))}", ""))
        elif m.group("quote") is not None:
            tokens.append(("phrase", m.group("quote").strip('"'), ""))
        elif m.group("lpar"):
            tokens.append(("lpar", "(", ""))
        elif m.group("rpar"):
            tokens.append(("rpar", ")", ""))
        else:
            w = m.group("word")
            tokens.append((_OPERATORS[w], w, "") if w in _OPERATORS else ("word", w, ""))
    return tokens


class Parser:
    """Recursive descent over the tokens: OR binds loosest, then AND/juxtaposition, then NOT."""

    def __init__(self, q: str, explain: Explanation) -> None:
        self.explain = explain
        self.tokens = tokenize(q, explain)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        nodes = []
        while self.peek() is not None:
            n = self.parse_or()
            if n is not None:
                nodes.append(n)
            tok = self.peek()
            if tok and tok[0] == "rpar":
                self.explain.note("unmatched_paren")
                self.i += 1
        return Node("group", children=nodes)

    def parse_or(self) -> Node | None:
        left = self.parse_and()
        alts = [left] if left is not None else []
        while (tok := self.peek()) is not None and tok[0] == "or":
            self.i += 1
            right = self.parse_and()
            if right is not None:
                alts.append(right)
            if left is None or right is None:
                self.explain.note("dangling_operator", operator="OR", missing="both")
        if not alts:
            return None
        return alts[0] if len(alts) == 1 else Node("or", children=alts)

    def parse_and(self) -> Node | None:
        items: list[Node] = []
        pending_and = False
        while (tok := self.peek()) is not None and tok[0] not in ("or", "rpar"):
            if tok[0] == "and":
                self.i += 1
                if not items:
                    self.explain.note("dangling_operator", operator="AND", missing="before")
                    continue
                pending_and = True
                continue
            n = self.parse_unary()
            if n is None:
                continue
            if pending_and:
                items[-1].required = True
                n.required = True
                pending_and = False
            items.append(n)
        if pending_and:
            self.explain.note("dangling_operator", operator="AND", missing="after")
        if not items:
            return None
        return items[0] if len(items) == 1 else Node("group", children=items)

    def parse_unary(self) -> Node | None:
        tok = self.peek()
        if tok[0] == "not":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt[0] in ("or", "and", "rpar", "not"):
                self.explain.note("dangling_operator", operator="NOT", missing="term")
                return None
            inner = self.parse_unary()
            return Node("not", children=[inner]) if inner is not None else None
        if tok[0] == "word" and tok[1].startswith("-") and len(tok[1]) > 1 and tok[1][1] not in "-":
            self.i += 1
            inner = self.word_node(tok[1][1:])
            return Node("not", children=[inner]) if inner is not None else None
        if tok[0] == "word" and tok[1].startswith("+") and len(tok[1]) > 1:
            self.i += 1
            inner = self.word_node(tok[1][1:])
            if inner is not None:
                inner.required = True
            return inner
        return self.parse_atom()

    def parse_atom(self) -> Node | None:
        kind, val, fld = self.peek()
        self.i += 1
        if kind == "lpar":
            if self.depth > MAX_GROUP_DEPTH:
                return None
            self.depth += 1
            inner = self.parse_or()
            self.depth -= 1
            nxt = self.peek()
            if nxt is not None and nxt[0] == "rpar":
                self.i += 1
            else:
                self.explain.note("unclosed_paren")
            return inner
        if kind == "phrase":
            return Node("phrase", text=val) if val.strip() else None
        if kind == "field":
            if fld == "title":
                return Node("words", text=val, field="title") if val.strip() else None
            if not val.strip():
                self.explain.note("empty_filter", field=fld)
                return None
            return Node("filter", text=val, field=fld)
        if kind == "word":
            return self.word_node(val)
        if kind in ("or", "and"):
            self.explain.note("lone_operator", operator=val)
        return None

    def word_node(self, w: str) -> Node | None:
        m = _FUZZY_RE.fullmatch(w)
        if m and re.search(r"\w", m.group(1)):
            text = m.group(1)
            dist = int(m.group(2) or 0) or (1 if len(text) < 6 else 2)
            return Node("fuzzy", text=text, dist=min(dist, 2))
        if w.endswith("*") and re.search(r"\w", w):
            stem = w.rstrip("*")
            if len(stem) >= 2:
                return Node("prefix", text=stem)
            self.explain.note("short_prefix", text=w)
            w = stem
        if not re.search(r"[^\W_]", w):
            if w.strip() in ("-", "+", "*", "~"):
                self.explain.note("lone_symbol", symbol=w.strip())
            return None
        return Node("words", text=w)


def merge_words(node: Node) -> Node:
    """Adjacent plain word nodes in a group become one run (so entities and ellipses span words)."""
    if node.kind in ("group", "or", "not"):
        merged: list[Node] = []
        run: list[str] = []  # words of the run being merged (joined once: linear in the query)

        def close_run() -> None:
            if run:
                merged[-1] = Node("words", text=" ".join(run))
                run.clear()

        for ch in node.children:
            ch = merge_words(ch)
            plain = ch.kind == "words" and not ch.required and not ch.field
            if node.kind == "group" and plain and merged and run:
                run.append(ch.text)
                continue
            close_run()
            merged.append(ch)
            if node.kind == "group" and plain:
                run.append(ch.text)
        close_run()
        node.children = merged
    return node


def parse(clean: str, explain: Explanation) -> Node:
    """The query tree of a cleaned query; a plain query's filters end up at the top level."""
    tree = merge_words(Parser(clean, explain).parse())
    # the parser wraps a plain query in two groups: unwrap, so its filters are top-level
    # (facets, and filter-only queries such as "entiteit:IND jaar:2020")
    while (tree.kind == "group" and len(tree.children) == 1 and tree.children[0].kind == "group"
           and not tree.children[0].required):
        tree = tree.children[0]
    return tree
