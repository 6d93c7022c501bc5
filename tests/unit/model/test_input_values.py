"""Resolution of execution inputs: defaults, required, dependsOn, expressions, nesting, errors.

Rendering is injected: each test passes a small render function computing its answer from the
variables it receives, so the tests check what resolution hands to the expression engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from pydantic import TypeAdapter

from legato.errors import ExpressionEvaluationError, InputError
from legato.model import inputs
from legato.model.input_values import nest, resolve_inputs

ADAPTER: TypeAdapter[list[Any]] = TypeAdapter(list[inputs.AnyInput])


def define(*items: dict[str, Any]) -> list[inputs.Input]:
    return ADAPTER.validate_python(list(items))


def unused_render(source: str, variables: Mapping[str, Any]) -> Any:
    raise AssertionError(f"nothing should be rendered, got {source}")


def resolve(definitions: list[inputs.Input], given: Mapping[str, Any], **kw: Any) -> Any:
    kw.setdefault("render", unused_render)
    return resolve_inputs(definitions, given, **kw)


def failure(definitions: list[inputs.Input], given: Mapping[str, Any], **kw: Any) -> InputError:
    with pytest.raises(InputError) as info:
        resolve(definitions, given, **kw)
    return info.value


def test_given_values_are_coerced() -> None:
    defs = define({"id": "n", "type": "INT"}, {"id": "d", "type": "DATE"})
    assert resolve(defs, {"n": "3", "d": "2024-01-31"}) == {"n": 3, "d": date(2024, 1, 31)}


def test_unknown_given_inputs_are_ignored() -> None:
    assert resolve(define({"id": "n", "type": "INT"}), {"n": 1, "other": "x"}) == {"n": 1}


def test_no_definitions_no_inputs() -> None:
    assert resolve([], {"a": 1}) == {}
    assert resolve_inputs([], None) == {}


def test_missing_required_input() -> None:
    error = failure(define({"id": "name", "type": "STRING"}), {})
    assert error.message == "Missing required input: 'name' (STRING); give a value"
    assert error.input_id == "name"


def test_null_counts_as_missing() -> None:
    assert (
        "Missing required input: 'name'"
        in failure(define({"id": "name", "type": "STRING"}), {"name": None}).message
    )


def test_optional_missing_input_is_null() -> None:
    defs = define({"id": "name", "type": "STRING", "required": False})
    assert resolve(defs, {}) == {"name": None}


def test_literal_defaults_are_coerced() -> None:
    defs = define(
        {"id": "n", "type": "INT", "defaults": "5"},
        {"id": "flag", "type": "BOOLEAN", "defaults": True},
        {"id": "tags", "type": "ARRAY", "itemType": "STRING", "defaults": ["a", "b"]},
    )
    assert resolve(defs, {}) == {"n": 5, "flag": True, "tags": ["a", "b"]}


def test_given_value_wins_over_defaults() -> None:
    assert resolve(define({"id": "n", "type": "INT", "defaults": 5}), {"n": "7"}) == {"n": 7}


def test_invalid_defaults_are_reported() -> None:
    error = failure(define({"id": "n", "type": "INT", "defaults": "five"}), {})
    assert error.message == "input 'n': expected an integer (INT), got 'five'"


def test_expression_defaults_are_rendered_with_inputs_so_far() -> None:
    seen: list[Mapping[str, Any]] = []

    def render(source: str, variables: Mapping[str, Any]) -> Any:
        seen.append(variables)
        assert source == "{{ inputs.user.name ~ '@example.com' }}"
        return variables["inputs"]["user"]["name"] + "@example.com"

    defs = define(
        {"id": "user.name", "type": "STRING"},
        {"id": "email", "type": "EMAIL", "defaults": "{{ inputs.user.name ~ '@example.com' }}"},
    )
    result = resolve(defs, {"user.name": "ana"}, render=render, variables={"flow": {"id": "f"}})
    assert result == {"user": {"name": "ana"}, "email": "ana@example.com"}
    assert seen[0]["flow"] == {"id": "f"}


def test_rendered_defaults_are_coerced() -> None:
    defs = define({"id": "n", "type": "INT", "defaults": "{{ 40 + 2 }}"})
    assert resolve(defs, {}, render=lambda source, variables: "42") == {"n": 42}


def test_render_failure_is_an_input_error() -> None:
    def render(source: str, variables: Mapping[str, Any]) -> Any:
        raise ExpressionEvaluationError("Missing variable: 'nope'")

    error = failure(define({"id": "n", "type": "INT", "defaults": "{{ nope }}"}), {}, render=render)
    assert error.message == (
        "input 'n': cannot render 'defaults' ({{ nope }}): Missing variable: 'nope'"
    )


def test_all_errors_are_collected() -> None:
    defs = define(
        {"id": "age", "type": "INT"},
        {"id": "name", "type": "STRING"},
        {"id": "ok", "type": "BOOLEAN"},
        {"id": "when", "type": "DATE"},
    )
    error = failure(defs, {"age": "1.5", "ok": "true", "when": "tomorrow"})
    assert error.input_id is None
    assert error.message == (
        "3 invalid inputs:\n"
        "- input 'age': expected an integer (INT), got '1.5'\n"
        "- Missing required input: 'name' (STRING); give a value\n"
        "- input 'when': expected an ISO-8601 date like 2024-01-31 (DATE), got 'tomorrow'"
    )


def test_dotted_ids_become_nested_values() -> None:
    defs = define(
        {"id": "db.host", "type": "STRING"},
        {"id": "db.port", "type": "INT"},
        {"id": "name", "type": "STRING"},
    )
    result = resolve(defs, {"db.host": "h", "db.port": "5432", "name": "n"})
    assert result == {"db": {"host": "h", "port": 5432}, "name": "n"}


def test_dotted_ids_can_be_given_nested() -> None:
    defs = define({"id": "db.port", "type": "INT"})
    assert resolve(defs, {"db": {"port": "1"}}) == {"db": {"port": 1}}


def test_nest_refuses_clashing_ids() -> None:
    with pytest.raises(InputError, match=r"input 'a\.b' clashes with input 'a'"):
        nest({"a": 1, "a.b": 2})
    with pytest.raises(InputError, match=r"input 'a' clashes with inputs under 'a\.'"):
        nest({"a.b": 2, "a": 1})


def cloud_render(source: str, variables: Mapping[str, Any]) -> Any:
    """Renders ``{{ inputs.cloud == 'X' }}`` conditions."""
    expected = source.split("'")[1]
    return variables["inputs"].get("cloud") == expected


def cloud_inputs() -> list[inputs.Input]:
    return define(
        {
            "id": "region",
            "type": "SELECT",
            "values": ["eu-west-1", "us-east-1"],
            "dependsOn": {"inputs": ["cloud"], "condition": "{{ inputs.cloud == 'aws' }}"},
        },
        {"id": "cloud", "type": "SELECT", "values": ["aws", "gcp"]},
    )


def test_depends_on_resolves_dependencies_first() -> None:
    result = resolve(cloud_inputs(), {"cloud": "aws", "region": "us-east-1"}, render=cloud_render)
    assert result == {"region": "us-east-1", "cloud": "aws"}
    assert list(result) == ["cloud", "region"]


def test_false_condition_leaves_the_input_out_even_when_required() -> None:
    result = resolve(cloud_inputs(), {"cloud": "gcp"}, render=cloud_render)
    assert result == {"cloud": "gcp"}


def test_true_text_condition_enables_the_input() -> None:
    defs = define(
        {"id": "a", "type": "STRING"},
        {"id": "b", "type": "STRING", "dependsOn": {"inputs": ["a"], "condition": "{{ x }}"}},
    )
    assert resolve(defs, {"a": "1", "b": "2"}, render=lambda s, v: "TRUE") == {"a": "1", "b": "2"}
    assert resolve(defs, {"a": "1", "b": "2"}, render=lambda s, v: "yes") == {"a": "1"}
    assert resolve(defs, {"a": "1", "b": "2"}, render=lambda s, v: 1) == {"a": "1"}


def test_literal_conditions() -> None:
    on = define({"id": "a", "type": "INT", "dependsOn": {"condition": True}})
    off = define({"id": "a", "type": "INT", "dependsOn": {"condition": False}})
    assert resolve(on, {"a": 1}) == {"a": 1}
    assert resolve(off, {"a": 1}) == {}


def test_disabled_dependency_disables_the_chain() -> None:
    defs = [
        *cloud_inputs(),
        *define({"id": "zone", "type": "STRING", "dependsOn": {"inputs": ["region"]}}),
    ]
    assert resolve(defs, {"cloud": "gcp", "zone": "z"}, render=cloud_render) == {"cloud": "gcp"}
    full = resolve(defs, {"cloud": "aws", "region": "eu-west-1", "zone": "z"}, render=cloud_render)
    assert full == {"cloud": "aws", "region": "eu-west-1", "zone": "z"}


def test_invalid_dependency_reports_once_and_disables_dependents() -> None:
    error = failure(cloud_inputs(), {"cloud": "azure", "region": "x"}, render=cloud_render)
    assert error.input_id == "cloud"
    assert error.message == (
        """input 'cloud': invalid value 'azure', it must be one of ["aws", "gcp"]"""
    )


def test_dependency_cycle_is_an_error() -> None:
    defs = define(
        {"id": "a", "type": "STRING", "dependsOn": {"inputs": ["b"]}},
        {"id": "b", "type": "STRING", "dependsOn": {"inputs": ["c"]}},
        {"id": "c", "type": "STRING", "dependsOn": {"inputs": ["a"]}},
    )
    error = failure(defs, {"a": "1", "b": "2", "c": "3"})
    assert (
        error.message == "inputs depend on each other in a cycle: a -> b -> c -> a; break the cycle"
    )


def test_self_dependency_is_a_cycle() -> None:
    defs = define({"id": "a", "type": "STRING", "dependsOn": {"inputs": ["a"]}})
    assert "cycle: a -> a" in failure(defs, {"a": "1"}).message


def test_unknown_dependency_is_an_error() -> None:
    defs = define({"id": "a", "type": "STRING", "dependsOn": {"inputs": ["ghost"]}})
    error = failure(defs, {"a": "1"})
    assert error.message == "input 'a' depends on unknown input 'ghost'"
    assert error.input_id == "a"


def test_select_expression_gives_the_values() -> None:
    def render(source: str, variables: Mapping[str, Any]) -> Any:
        assert source == "{{ kv('regions') }}"
        return ["eu", "us", None]

    defs = define({"id": "r", "type": "SELECT", "expression": "{{ kv('regions') }}"})
    assert resolve(defs, {"r": "us"}, render=render) == {"r": "us"}
    error = failure(defs, {"r": "asia"}, render=render)
    assert error.message == """input 'r': invalid value 'asia', it must be one of ["eu", "us"]"""


def test_multiselect_expression_gives_the_values() -> None:
    defs = define(
        {"id": "m", "type": "MULTISELECT", "options": ["a"], "expression": "{{ [1, 2] }}"}
    )
    render: Any = lambda source, variables: [1, 2]  # noqa: E731
    assert resolve(defs, {"m": '["1", "2"]'}, render=render) == {"m": ["1", "2"]}
    assert "'a' is not one of" in failure(defs, {"m": ["a"]}, render=render).message


def test_expression_must_render_a_list() -> None:
    defs = define({"id": "r", "type": "SELECT", "expression": "{{ 'eu' }}"})
    error = failure(defs, {"r": "eu"}, render=lambda source, variables: "eu")
    assert error.message == "input 'r': 'expression' must render to a list of values, got 'eu'"


def test_file_store_hook_is_used_for_uploads() -> None:
    def store(definition: inputs.FileInput, value: Any) -> str:
        return f"kestra:///ns/f/executions/e/inputs/{definition.id}/{value}"

    defs = define({"id": "data", "type": "FILE"})
    result = resolve(defs, {"data": "report.csv"}, store_file=store)
    assert result == {"data": "kestra:///ns/f/executions/e/inputs/data/report.csv"}


def test_form_children_resolve_under_the_form_id() -> None:
    defs = define(
        {
            "id": "env",
            "type": "FORM",
            "inputs": [
                {"id": "region", "type": "STRING"},
                {"id": "size", "type": "INT", "defaults": 2},
            ],
        },
    )
    assert resolve(defs, {"env.region": "eu"}) == {"env": {"region": "eu", "size": 2}}
    assert resolve(defs, {"env": {"region": "us", "size": "4"}}) == {
        "env": {"region": "us", "size": 4}
    }
    assert "Missing required input: 'env.region'" in failure(defs, {}).message


def test_default_render_is_the_expression_engine() -> None:
    defs = define(
        {"id": "cloud", "type": "SELECT", "expression": "{{ ['aws', 'gcp'] }}"},
        {
            "id": "region",
            "type": "STRING",
            "dependsOn": {"inputs": ["cloud"], "condition": "{{ inputs.cloud == 'aws' }}"},
        },
        {"id": "user", "type": "STRING"},
        {"id": "email", "type": "EMAIL", "defaults": "{{ inputs.user ~ '@example.com' }}"},
        {"id": "size", "type": "INT", "defaults": "{{ 2 * 3 }}"},
        {"id": "label", "type": "STRING", "defaults": "{{ flow.id }}-{{ inputs.size }}"},
    )
    given = {"cloud": "aws", "region": "eu-west-1", "user": "ana"}
    result = resolve_inputs(defs, given, variables={"flow": {"id": "etl"}})
    assert result == {
        "cloud": "aws",
        "region": "eu-west-1",
        "user": "ana",
        "email": "ana@example.com",
        "size": 6,
        "label": "etl-6",
    }
    without_region = resolve_inputs(
        defs, {**given, "cloud": "gcp"}, variables={"flow": {"id": "f"}}
    )
    assert "region" not in without_region
    with pytest.raises(InputError, match="it must be one of"):
        resolve_inputs(defs, {**given, "cloud": "azure"}, variables={"flow": {"id": "f"}})


def test_engine_errors_become_input_errors() -> None:
    defs = define({"id": "n", "type": "INT", "defaults": "{{ missing_variable }}"})
    error = failure(defs, {}, render=None)
    assert error.input_id == "n"
    assert error.message.startswith(
        "input 'n': cannot render 'defaults' ({{ missing_variable }}): "
    )
    assert "missing_variable" in error.message.split("): ", 1)[1]
