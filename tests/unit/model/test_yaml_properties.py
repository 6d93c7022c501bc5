"""Property-based tests: the YAML loader and the flow parser fail only in documented ways.

Whatever text arrives, loading yields documents or located syntax violations, and parsing yields
flows or ``FlowValidationError``; nothing else escapes, and each input finishes in under a second.
"""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from legato.errors import FlowValidationError
from legato.model import parsing
from legato.model.flow import Flow
from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry
from legato.model.yamlsource import BrokenDocument, Document, load_documents

REGISTRY = PluginRegistry.from_entry_points()

YAML_ALPHABET = st.sampled_from([*"abc:-[]{}#&*!|>'\"%@`,?\n\t ", "---\n", "  ", "{{", "}}"])
yaml_like_text = st.lists(YAML_ALPHABET, max_size=80).map("".join)

keys = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


def dump(data: Any) -> str:
    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(data, stream)
    return stream.getvalue()


@settings(deadline=1000, max_examples=300)
@given(yaml_like_text)
def test_loading_any_text_gives_documents_or_located_violations(text: str) -> None:
    for document in load_documents(text, file="x.yaml"):
        assert isinstance(document, Document | BrokenDocument)
        if isinstance(document, BrokenDocument):
            assert document.violations
            assert all(v.line is not None and v.line >= 1 for v in document.violations)


@settings(deadline=1000, max_examples=300)
@given(st.dictionaries(keys, json_like, min_size=1, max_size=5))
def test_dumped_data_loads_back_equal_with_a_position_for_every_key(data: dict[str, Any]) -> None:
    text = dump(data)
    (document,) = load_documents(text)
    assert isinstance(document, Document)
    assert document.data == data
    for key in data:
        line, column = document.positions[(key,)]
        assert 1 <= line <= text.count("\n") + 1
        assert column >= 1


@settings(deadline=1000, max_examples=200)
@given(yaml_like_text)
def test_parsing_any_text_gives_flows_or_flow_validation_errors(text: str) -> None:
    for result in parsing.parse_documents(text, REGISTRY, path="x.yaml"):
        assert isinstance(result, Flow | FlowValidationError)
        if isinstance(result, FlowValidationError):
            assert result.violations


task_like = st.fixed_dictionaries(
    {
        "id": st.text(max_size=8),
        "type": st.one_of(st.sampled_from(REGISTRY.types(PluginKind.TASK)), st.text(max_size=30)),
    },
    optional={"message": json_like, "tasks": st.lists(json_like, max_size=2)},
)


@settings(deadline=1000, max_examples=200)
@given(
    st.fixed_dictionaries(
        {"id": st.text(max_size=12), "namespace": st.text(max_size=12)},
        optional={"tasks": st.lists(task_like, max_size=3), "inputs": json_like},
    )
)
def test_parsing_random_flow_shapes_never_escapes_the_error_tree(data: dict[str, Any]) -> None:
    try:
        parsing.parse_flow(dump(data), REGISTRY, path="x.yaml")
    except FlowValidationError as error:
        assert error.violations
