"""The plain-prose shortcut of corpus.inline.render gives exactly what the full rendering gives.

``render`` and ``plain_text`` skip the ~25 passes of the full rendering for blocks without a
character any pass reacts to (``_NOT_PLAIN_PROSE``).  These tests compare them with the full
rendering (``_render_slow``, ``markdown_to_text(to_markdown(...))``) on generated strings that mix
safe text, every special character and whitespace variants, on witnesses for every special
character, and on every block the Markdown reader renders from real documents.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus.readers.markdown as markdown_reader
from corpus import decoding, inline, load_document
from corpus.inline import _NOT_PLAIN_PROSE, _render_plain_prose, _render_slow, markdown_to_text, plain_text, render, to_markdown

from _regelgeving import unpack_slice
from support import SHARED, SHIPPED_CORPUS

LABELS = (frozenset(), frozenset({"1", "2", "a"}))
SAFE = ["a", "Z", "wet", "é", "ß", "0", "1", "42", ".", ",", ":", ";", "(", ")", "'", '"', "#", "|", "-", "+", "/",
        "=", "%", "?", "§", "…", "m", "http", "x:", "fa"]
SPECIAL = list(_NOT_PLAIN_PROSE) + ["\ue000", "\ue001", "\ue010", "\ue011", "\ue012", "\ue013", "\ue014", "\uf0e0"]
WHITESPACE = [" ", "  ", "   ", "\t", " \t ", "\n", "  \n", " \n ", "\n\n", "\u00a0", "\u2009", "\u3000", "\r", "\x0b",
              "\x0c", "\x1c", "\x85", "\u2028", "\u2003", "\u202f", "\ufeff"]
# Multi-character pieces that make the patterns of the full rendering actually match.
PIECES = ["**", "__", "~~", "``", "***", "\\\n", "\u00ad\n", "[^1]", "[^a]", "[x]", "](", "](http://e.nl)", "![",
          "[a](b)", "<b>", "</b>", "<sup>1</sup>", "<sup>", "</sup>", "<br>", "<script>", "<!--", "-->", "<http://e.nl>",
          "&amp;", "&#32;", "&nbsp;", "&lt;b&gt;", "{: .x}", "{.y}", ":material-home:", ":fa-x:", "\\*", "\ue0001\ue001",
          "`a  b`", "javascript:", "[[a](#)](u)", "[a][b]", "<a", "</", "<!", "<?x", "a>"]
# Each kind of token is as likely as any other, so special characters meet letters, spaces and each other often.
TOKEN = st.one_of(*(st.sampled_from(kind) for kind in (SAFE, SPECIAL, WHITESPACE, PIECES)))


def outcome(fn: Callable[..., Any], *args: Any) -> Any:
    """A result, or the type of the exception raised: both paths must fail alike too."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - comparing failures is the point
        return type(exc)


def assert_same(src: str) -> None:
    for labels in LABELS:
        assert outcome(render, src, labels) == outcome(_render_slow, src, labels), (src, labels)
    assert outcome(plain_text, src) == outcome(lambda s: markdown_to_text(to_markdown(s)), src), src


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKEN, max_size=30).map("".join))
def test_shortcut_equals_full_rendering_on_mixed_strings(src: str) -> None:
    assert_same(src)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SAFE + WHITESPACE), max_size=30).map("".join))
def test_plain_prose_with_any_whitespace_takes_the_shortcut_and_equals_it(src: str) -> None:
    assert _render_plain_prose(src) is not None or ":" in src
    assert_same(src)


# For every character the full rendering reacts to, a block that it changes because of that character:
# drop the character from _NOT_PLAIN_PROSE and the block's shortcut result differs.
WITNESSES = {
    "\u00ad": "rege\u00adring", "`": "x `y` z", "<": "a <b>c</b> d", "[": "zie [artikel](http://e.nl) 3",
    "{": "kop {: .klasse}", "*": "een *nadruk* hier", "_": "een _nadruk_ hier", "~": "a ~~weg~~ b",
    "\\": "a \\* b", "&": "a &amp; b", "\ue000": "m\ue0002\ue001", ":": "huis :material-home: hier",
}


@pytest.mark.parametrize("char", sorted(WITNESSES))
def test_every_special_character_has_a_witness_the_full_rendering_changes(char: str) -> None:
    src = WITNESSES[char]
    assert char in src
    assert _render_slow(src)[:2] != (src.strip(), src.strip())  # the full rendering does react to it
    assert _render_plain_prose(src) is None
    assert_same(src)


def test_whitespace_cases() -> None:
    for src in ["  a  b  ", "a\tb", "a  \nb", "a   \n  b", "a \u00a0\n\u00a0b", "a\u00a0\u00a0b", "\u3000a\u3000",
                "a  \n  \nb", "a\n\n\nb", "a  \n", "\n  a", "a \t \n \t b", "a\u2028b", "a\rb\r\n c"]:
        assert _render_plain_prose(src) is not None
        assert_same(src)


def blocks_read(root: Path, files: list[Path], monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, frozenset[str]]]:
    """Every source the Markdown reader renders (render, and _plain via plain_text) while reading ``files``."""
    seen: list[tuple[str, frozenset[str]]] = []

    def recording_render(src: str, labels: Any = frozenset()) -> Any:
        seen.append((src, frozenset(labels)))
        return render(src, labels)

    def recording_plain(src: str) -> str:
        seen.append((src, frozenset()))
        return plain_text(src)

    monkeypatch.setattr(markdown_reader, "render", recording_render)
    monkeypatch.setattr(markdown_reader, "plain_text", recording_plain)
    for path in files:
        try:
            load_document(path, root)
        except Exception:  # noqa: BLE001 - unreadable files are other tests' business; blocks seen so far count
            pass
    monkeypatch.undo()
    return seen


def assert_blocks_same(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".markdown"))
    seen = blocks_read(root, files, monkeypatch)
    assert seen, f"no Markdown blocks read under {root}"
    for src, labels in seen:
        assert render(src, labels) == _render_slow(src, labels), src
        assert plain_text(src) == markdown_to_text(to_markdown(src)), src


def test_every_block_of_the_shipped_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    assert_blocks_same(SHIPPED_CORPUS, monkeypatch)


def test_every_block_of_algoritmekader(monkeypatch: pytest.MonkeyPatch) -> None:
    root = SHARED / "corpus-extra" / "algoritmekader"
    if not root.is_dir():
        pytest.skip(f"{root} not present")
    assert_blocks_same(root, monkeypatch)


def test_every_block_of_a_regulation_slice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_blocks_same(unpack_slice(tmp_path), monkeypatch)


def test_module_keeps_the_full_rendering_callable() -> None:
    assert inline._render_slow("a *b*") == ("a b", "a *b*", [])


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["a", "Inleiding", "1", "12", "2024", "١", "²", "½", ".", "..", "...", "…", "……", " .",
                                 " ", "\t", "\u00a0", "\u2003", "\x0b", "§"]), max_size=15).map("".join))
def test_toc_line_shortcut_equals_the_search(line: str) -> None:
    assert markdown_reader._is_toc_line(line) == (markdown_reader.TOC_LINE_RE.search(line.rstrip()) is not None)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["wet", "Één", "ß", "x1", "1", "1.5", "€3", "(a)", "a-b", "_", "a_b", "²", "١", "ǅ",
                                 "\u0301", "a\u0301", "’s", "[1]", "#", "k#9}Q@t", "ab.", "\ufffd"]), max_size=40))
def test_wordlike_count_equals_matching_every_token(tokens: list[str]) -> None:
    assert decoding._count_wordlike(tokens) == sum(1 for t in tokens if decoding._WORDLIKE.match(t))


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=300))
def test_control_byte_count_equals_the_loop(data: bytes) -> None:
    sample = data + b"text"
    assert decoding._looks_binary(sample) == (b"\x00" in sample
                                              or sum(1 for b in sample if b in decoding._CONTROL) / len(sample) > 0.02)
