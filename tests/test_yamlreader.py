"""The positioned YAML reader: text stays text, positions are kept, YAML traps are located errors."""

from __future__ import annotations

import pytest

from generator.yamlreader import MAX_DEPTH, read_yaml


def read(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_yaml("f.yml", data)


def codes(problems):
    return [(p.code, p.span.line if p.span else None, p.span.column if p.span else None) for p in problems]


def test_scalars_stay_text_and_keep_positions():
    tree, problems = read("a: no\nb: 010\nc: 2024-12-16\nd:\n  - x\n  - 'y'\n")
    assert problems == []
    assert tree.value == {"a": "no", "b": "010", "c": "2024-12-16", "d": ["x", "y"]}
    assert (tree.span(("b",)).line, tree.span(("b",)).column) == (2, 4)
    assert (tree.key_span(("c",)).line, tree.key_span(("c",)).column) == (3, 1)
    assert (tree.span(("d", 1)).line, tree.span(("d", 1)).column) == (6, 5)


def test_empty_value_is_none_and_text_is_nfc():
    decomposed = "Đa\u0309ng"  # "Đảng" typed with a combining hook above
    tree, problems = read(f"a:\nb: {decomposed}\n")
    assert problems == []
    assert tree.value["a"] is None
    assert tree.value["b"] == "Đảng"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: 1\nb: 2\na: 3\n", [("duplicate-key", 3, 1)]),
        ("a: &x 1\nb: *x\n", [("yaml-anchor", 1, 4), ("yaml-alias", 2, 4)]),
        ("base: {x: 1}\nother:\n  <<: {y: 2}\n", [("yaml-merge-key", 3, 3)]),
        ("a: !!python/object:os.system x\n", [("yaml-tag", 1, 4)]),
        ("a:\n\t- x\n", [("tab-indent", 2, 1)]),
        ("a: x\u200by\n", [("invalid-character", 1, 5)]),
        ("a: x\u202ey\n", [("invalid-character", 1, 5)]),
        ("a: x\x07y\n", [("invalid-character", 1, 5)]),
        ("a: §¶ng bé\n", [("legacy-encoding", 1, 4)]),
        ("a: Ñaûng vieân\n", [("legacy-encoding", 1, 4)]),
        ("number: 284-KH/TU #bản chính\n", [("truncated-value", 1, 19)]),
        ("a: [1, 2\n", [("yaml-syntax", 2, 1)]),
        ("a: 1\n---\nb: 2\n", [("multiple-documents", 2, 1)]),
    ],
)
def test_traps_are_located(text, expected):
    tree, problems = read(text)
    assert tree is None
    assert codes(problems) == expected


def test_every_problem_in_a_file_is_reported_at_once():
    _, problems = read("a: 1\na: 2\nb: &x 3\nc: *x\n")
    assert [p.code for p in problems] == ["duplicate-key", "yaml-anchor", "yaml-alias"]


def test_not_utf8_is_located():
    _, problems = read("title: ok\nname: caf".encode() + b"\xe9\n")
    assert codes(problems) == [("not-utf8", 2, 10)]


def test_alias_bomb_is_rejected_without_expanding():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    tree, problems = read("\n".join(lines) + "\n")
    assert tree is None
    assert {p.code for p in problems} == {"yaml-anchor", "yaml-alias"}


def test_deep_nesting_is_one_located_error():
    tree, problems = read("a: " + "[" * 20000 + "]" * 20000 + "\n")
    assert tree is None
    assert codes(problems) == [("too-deep", 1, 3 + MAX_DEPTH)]


def test_oversized_file():
    _, problems = read("a: " + "x" * (1024 * 1024 + 1))
    assert [p.code for p in problems] == ["file-too-large"]


def test_quoted_hash_is_kept():
    tree, problems = read("number: '284-KH/TU #1'\n# a comment line\n")
    assert problems == []
    assert tree.value == {"number": "284-KH/TU #1"}
