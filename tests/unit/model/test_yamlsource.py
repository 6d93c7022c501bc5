"""YAML loading: plain data, positions of keys and items, documents, syntax errors."""

from __future__ import annotations

from legato.model.yamlsource import BrokenDocument, Document, load_documents, split_documents

FLOW = """\
# a comment
id: hello
namespace: company.team
tasks:
  - id: first
    type: io.test.log.Log
    message:
      - one
      - two
"""


def only(source: str) -> Document:
    (document,) = load_documents(source)
    assert isinstance(document, Document)
    return document


def test_positions_of_keys_and_items_are_one_based() -> None:
    document = only(FLOW)
    assert document.positions[("id",)] == (2, 1)
    assert document.positions[("tasks",)] == (4, 1)
    assert document.positions[("tasks", 0)] == (5, 5)
    assert document.positions[("tasks", 0, "type")] == (6, 5)
    assert document.positions[("tasks", 0, "message", 1)] == (9, 9)
    assert document.positions[()] == (2, 1)


def test_position_falls_back_to_the_nearest_enclosing_location() -> None:
    document = only(FLOW)
    assert document.position(("tasks", 0, "missing")) == (5, 5)
    assert document.position(("nothing", "here")) == (2, 1)


def test_violation_is_located_and_names_the_file() -> None:
    (document,) = load_documents(FLOW, file="flows/a.yml")
    assert isinstance(document, Document)
    violation = document.violation(("tasks", 0, "type"), "tasks[0].type", "bad")
    assert (violation.line, violation.column, violation.file) == (6, 5, "flows/a.yml")


def test_data_is_plain_python() -> None:
    data = only("a: 1\nb: 1.5\nc: true\nd: null\ne: [x, 2]\nf: {g: h}\ns: |\n  text\n").data
    assert data == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": ["x", 2],
        "f": {"g": "h"},
        "s": "text\n",
    }
    assert type(data) is dict and type(data["e"]) is list and type(data["f"]) is dict
    assert type(data["a"]) is int and type(data["b"]) is float and type(data["c"]) is bool
    assert type(data["s"]) is str


def test_yaml_1_1_words_and_dates_stay_strings() -> None:
    data = only("a: on\nb: no\nc: yes\nd: 2024-01-01\ne: 2024-01-01T10:00:00Z\nf: True\n").data
    assert data == {
        "a": "on",
        "b": "no",
        "c": "yes",
        "d": "2024-01-01",
        "e": "2024-01-01T10:00:00Z",
        "f": True,
    }


def test_non_string_keys_become_java_style_strings() -> None:
    assert only("2: a\ntrue: b\n2.5: c\n").data == {"2": "a", "true": "b", "2.5": "c"}


def test_tags_keep_their_text() -> None:
    assert only("a: !secret value\n").data == {"a": "value"}


def test_duplicate_key_is_a_violation_at_the_repeat() -> None:
    (document,) = load_documents("id: a\nnamespace: b\nid: c\n", file="f.yml")
    assert isinstance(document, BrokenDocument)
    (violation,) = document.violations
    assert violation.message == "duplicate key 'id': a key may appear only once in a mapping"
    assert (violation.line, violation.column, violation.file) == (3, 1, "f.yml")


def test_nested_duplicate_key_is_located() -> None:
    (document,) = load_documents("tasks:\n  - id: a\n    type: x\n    id: b\n")
    assert isinstance(document, BrokenDocument)
    assert (document.violations[0].line, document.violations[0].column) == (4, 5)


def test_syntax_error_is_a_violation_with_a_position() -> None:
    (document,) = load_documents("id: a\ntasks: [one\nnamespace: b\n")
    assert isinstance(document, BrokenDocument)
    (violation,) = document.violations
    assert violation.message.startswith("invalid YAML:")
    assert violation.line == 3


def test_documents_are_split_and_keep_file_lines() -> None:
    source = "id: a\n---\n# only a comment\n---\nid: b\nx: 1\n--- \nid: c\n"
    documents = load_documents(source)
    assert [d.data for d in documents if isinstance(d, Document)] == [
        {"id": "a"},
        {"id": "b", "x": 1},
        {"id": "c"},
    ]
    second = documents[1]
    assert isinstance(second, Document)
    assert second.first_line == 4
    assert second.positions[("x",)] == (6, 1)
    assert second.text == "---\nid: b\nx: 1\n"


def test_a_broken_document_does_not_hide_the_others() -> None:
    documents = load_documents("id: a\n---\nid: [\n---\nid: c\n")
    assert [type(d).__name__ for d in documents] == ["Document", "BrokenDocument", "Document"]
    broken = documents[1]
    assert isinstance(broken, BrokenDocument)
    assert broken.violations[0].line is not None and broken.violations[0].line >= 3


def test_split_keeps_separator_lines_with_their_document() -> None:
    assert split_documents("a: 1\n---\nb: 2\n") == [(0, "a: 1\n"), (1, "---\nb: 2\n")]
    assert split_documents("---\na: 1\n") == [(0, "---\na: 1\n")]


def test_directives_stay_with_their_document() -> None:
    source = "%YAML 1.2\n# header\n---\nid: a\n---\nid: b\n"
    assert split_documents(source) == [
        (0, "%YAML 1.2\n# header\n---\nid: a\n"),
        (4, "---\nid: b\n"),
    ]
    first, second = load_documents(source)
    assert isinstance(first, Document) and first.data == {"id": "a"}
    assert first.positions[("id",)] == (4, 1)
    assert isinstance(second, Document) and second.positions[("id",)] == (6, 1)


def test_empty_text_has_no_document() -> None:
    assert load_documents("") == []
    assert load_documents("# nothing\n\n") == []


def test_anchors_aliases_and_merge_keys_become_plain_data() -> None:
    source = (
        "base: &b\n  x: &t true\n  n: &n 1\n  f: &f 1.5\n  s: &s text\n"
        "child:\n  <<: *b\n  y: 2\ncopy: *t\nnull: 1\n"
    )
    document = only(source)
    data = document.data
    assert data == {
        "base": {"x": True, "n": 1, "f": 1.5, "s": "text"},
        "child": {"y": 2, "x": True, "n": 1, "f": 1.5, "s": "text"},
        "copy": True,
        "null": 1,
    }
    assert [type(v) for v in data["base"].values()] == [bool, int, float, str]
    assert type(data["copy"]) is bool
    assert document.positions[("child", "y")] == (8, 3)
    assert document.position(("child", "x")) == (6, 1)


def test_core_schema_numbers_and_explicit_tags() -> None:
    data = only(
        "h: 0x1F\no: 0o17\ninf: -.inf\nq: '42'\ns: !!str 42\ni: !!int '7'\n"
        "f: !!float '2'\nb: !!bool 'True'\nn: !!null ''\ne: 1e3\nt: !custom {a: 1}\n"
    ).data
    assert data["h"] == 31 and data["o"] == 15 and data["inf"] == float("-inf")
    assert (data["q"], data["s"], data["i"], data["f"]) == ("42", "42", 7, 2.0)
    assert (data["b"], data["n"], data["e"], data["t"]) == (True, None, 1000.0, {"a": 1})


def test_a_value_that_does_not_match_its_tag_is_located() -> None:
    (document,) = load_documents("a: 1\nb: !!int twelve\n")
    assert isinstance(document, BrokenDocument)
    (violation,) = document.violations
    assert "does not match its tag" in violation.message
    assert (violation.line, violation.column) == (2, 4)


def test_a_recursive_alias_is_refused() -> None:
    (document,) = load_documents("a: &x\n  - *x\n")
    assert isinstance(document, BrokenDocument)
    assert "refers to a node that contains it" in document.violations[0].message


def test_alias_expansion_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    (document,) = load_documents("\n".join(lines) + "\n")
    assert isinstance(document, BrokenDocument)
    assert "expands to more than" in document.violations[0].message


def test_a_merge_key_needs_mappings() -> None:
    (document,) = load_documents("a: 1\nb:\n  <<: [1, 2]\n")
    assert isinstance(document, BrokenDocument)
    assert "merge key" in document.violations[0].message
