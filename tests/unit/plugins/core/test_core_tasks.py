"""Runnable core tasks: Kestra's defaults, required properties, enums and keyword aliases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from core_support import task, task_errors

C = "io.kestra.plugin.core."


def _t(type_name: str, **props: Any) -> dict[str, Any]:
    return {"id": "t", "type": C + type_name, **props}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (_t("log.Log", message="m"), {"level": "INFO"}),
        (_t("log.Fetch"), {"level": "INFO", "executionId": None}),
        (_t("debug.Echo", format="m"), {"level": "INFO"}),
        (_t("execution.Fail"), {"errorMessage": "Task failure", "condition": None}),
        (_t("execution.Exit"), {"state": "SUCCESS"}),
        (
            _t("execution.PurgeExecutions", endDate="2024-01-01"),
            {"purgeExecution": True, "purgeLog": True, "purgeMetric": True, "purgeStorage": True},
        ),
        (
            _t("kv.Set", key="k", value="v"),
            {"namespace": "{{ flow.namespace }}", "overwrite": True, "ttl": None},
        ),
        (_t("kv.Get", key="k"), {"errorOnMissing": False, "namespace": "{{ flow.namespace }}"}),
        (_t("kv.Delete", key="k"), {"errorOnMissing": False}),
        (_t("storage.Concat", files=["a"]), {"extension": ".tmp", "separator": None}),
        (_t("storage.Delete", uri="kestra:///a"), {"errorOnMissing": False}),
        (
            _t("storage.FilterItems", **{"from": "kestra:///a", "filterCondition": "true"}),
            {"filterType": "INCLUDE", "errorOrNullBehavior": "FAIL"},
        ),
        (
            _t("namespace.UploadFiles", namespace="n", files=["a"]),
            {"destination": "/", "conflict": "OVERWRITE"},
        ),
        (_t("http.Request", uri="https://x"), {"method": "GET", "encryptBody": False}),
        (_t("http.Download", uri="https://x"), {"method": "GET", "failOnEmptyResponse": True}),
        (_t("trigger.Toggle", trigger="s"), {"enabled": False}),
        (_t("state.Get"), {"name": "default", "namespace": False, "errorOnMissing": False}),
        (_t("flow.Sleep", duration="PT5M"), {"duration": timedelta(minutes=5)}),
        (_t("execution.SetVariables", variables={"a": 1}), {"overwrite": True}),
        (_t("execution.UnsetVariables", variables=["a"]), {"ignoreMissing": False}),
    ],
    ids=lambda v: v["type"].rsplit("core.", 1)[-1] if isinstance(v, dict) and "type" in v else "",
)
def test_defaults_are_kestras(raw: dict[str, Any], expected: dict[str, Any]) -> None:
    validated = task(raw)
    assert {name: getattr(validated, name) for name in expected} == expected


def test_common_task_defaults_apply_to_core_tasks() -> None:
    validated = task(_t("log.Log", message="m"))
    assert (validated.disabled, validated.allowFailure, validated.runIf) == (False, False, "true")


@pytest.mark.parametrize(
    ("raw", "missing"),
    [
        (_t("log.Log"), "message"),
        (_t("log.PurgeLogs"), "endDate"),
        (_t("execution.Assert"), "conditions"),
        (_t("execution.Labels"), "labels"),
        (_t("execution.Count"), "expression"),
        (_t("execution.PurgeExecutions"), "endDate"),
        (_t("flow.Sleep"), "duration"),
        (_t("kv.Set", key="k"), "value"),
        (_t("kv.Set", value="v"), "key"),
        (_t("kv.Get"), "key"),
        (_t("storage.Write"), "content"),
        (_t("storage.Split"), "from"),
        (_t("storage.Size"), "uri"),
        (_t("storage.DeduplicateItems", **{"from": "kestra:///a"}), "expr"),
        (_t("namespace.UploadFiles", files=["a"]), "namespace"),
        (_t("namespace.DownloadFiles", namespace="n"), "files"),
        (_t("http.Request"), "uri"),
        (_t("templating.TemplatedTask"), "spec"),
        (_t("trigger.Toggle"), "trigger"),
    ],
)
def test_required_property_missing_is_reported_at_its_name(
    raw: dict[str, Any], missing: str
) -> None:
    assert task_errors(raw) == [((missing,), "Field required")]


def test_missing_id_is_reported() -> None:
    assert task_errors({"type": C + "log.Log", "message": "m"}) == [(("id",), "Field required")]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (_t("log.Log", message="m", level="NOTICE"), "level"),
        (_t("execution.Exit", state="DONE"), "state"),
        (_t("http.Request", uri="https://x", method="FETCH"), "method"),
        (_t("kv.Set", key="k", value="v", kvType="TEXT"), "kvType"),
        (
            _t(
                "storage.FilterItems", **{"from": "a", "filterCondition": "c", "filterType": "KEEP"}
            ),
            "filterType",
        ),
        (_t("namespace.UploadFiles", namespace="n", files=["a"], conflict="MERGE"), "conflict"),
    ],
)
def test_enum_values_outside_kestras_are_rejected(raw: dict[str, Any], field: str) -> None:
    assert {loc[0] for loc, _ in task_errors(raw)} == {field}


def test_log_message_may_be_a_list() -> None:
    assert task(_t("log.Log", message=["a", "b"])).message == ["a", "b"]


def test_from_is_read_and_written_under_its_kestra_name() -> None:
    split = task(_t("storage.Split", **{"from": "kestra:///a", "rows": 10}))
    assert split.from_ == "kestra:///a"
    dumped = split.model_dump(by_alias=True, exclude_unset=True)
    assert dumped["from"] == "kestra:///a"
    assert "from_" not in dumped


@pytest.mark.parametrize("rows", [0, -1])
def test_split_rows_must_be_positive(rows: int) -> None:
    errors = task_errors(_t("storage.Split", **{"from": "a", "rows": rows}))
    assert {loc[0] for loc, _ in errors} == {"rows"}
    assert "Input should be greater than 0" in [message for _, message in errors]


def test_labels_accept_a_map_or_a_key_value_list() -> None:
    as_map = task(_t("execution.Labels", labels={"env": "prod"}))
    as_list = task(_t("execution.Labels", labels=[{"key": "env", "value": "prod"}]))
    assert as_map.labels == {"env": "prod"}
    assert [(label.key, label.value) for label in as_list.labels] == [("env", "prod")]


@pytest.mark.parametrize(
    "labels", [{"system.correlationId": "x"}, [{"key": "system.username", "value": "x"}]]
)
def test_system_labels_are_refused(labels: Any) -> None:
    [(loc, message)] = task_errors(_t("execution.Labels", labels=labels))
    assert loc == ("labels",)
    assert "reserved" in message and "system." in message


def test_system_read_only_label_is_allowed() -> None:
    assert task(_t("execution.Labels", labels={"system.readOnly": "true"})).labels


def test_label_list_entries_need_key_and_value() -> None:
    errors = task_errors(_t("execution.Labels", labels=[{"key": "env"}]))
    assert (("labels", "list[Label]", 0, "value"), "Field required") in errors


def test_worker_group_is_refused_as_enterprise_only() -> None:
    [(loc, message)] = task_errors(_t("log.Log", message="m", workerGroup={"key": "gpu"}))
    assert loc == ("workerGroup",)
    assert "Enterprise" in message


def test_http_options_are_kept_as_given() -> None:
    options = {
        "auth": {"type": "BASIC", "username": "u", "password": "p"},
        "followRedirects": False,
    }
    assert task(_t("http.Request", uri="https://x", options=options)).options == options


def test_count_flows_need_namespace_and_flow_id() -> None:
    errors = task_errors(_t("execution.Count", expression="true", flows=[{"namespace": "n"}]))
    assert errors == [(("flows", 0, "flowId"), "Field required")]


def test_reverse_and_purge_files_defaults() -> None:
    reverse = task(_t("storage.Reverse", **{"from": "kestra:///a"}))
    assert (reverse.separator, reverse.charset) == ("\n", "UTF-8")
    purge = task(_t("storage.PurgeCurrentExecutionFiles"))
    assert (purge.includeChildExecutions, purge.includeStates) == (False, False)


def test_http_content_type_defaults_to_json() -> None:
    assert task(_t("http.Request", uri="https://x")).contentType == "application/json"


def test_upload_files_accepts_a_destination_map() -> None:
    upload = task(
        _t("namespace.UploadFiles", namespace="dev", files={"/scripts/main.py": "kestra:///f"})
    )
    assert upload.files == {"/scripts/main.py": "kestra:///f"}


def test_output_values_may_be_any_json_value() -> None:
    values = {"number_value": 42, "array_value": ["a", 1], "nested_object": {"key1": "v"}}
    assert task(_t("output.OutputValues", values=values)).values == values


def test_toggle_enabled_is_a_plain_boolean() -> None:
    assert {
        loc[0] for loc, _ in task_errors(_t("trigger.Toggle", trigger="s", enabled="maybe"))
    } == {"enabled"}


def test_expressions_are_accepted_where_properties_are_dynamic() -> None:
    sleep = task(_t("flow.Sleep", duration="{{ inputs.wait }}"))
    assert sleep.duration == "{{ inputs.wait }}"
    labels = task(_t("execution.Labels", labels="{{ outputs.compute.value }}"))
    assert labels.labels == "{{ outputs.compute.value }}"


def test_a_malformed_expression_in_a_dynamic_property_is_reported() -> None:
    errors = task_errors(_t("flow.Sleep", duration="{{ inputs.wait "))
    assert {loc[0] for loc, _ in errors} == {"duration"}
    assert any(message.startswith("invalid expression") for _, message in errors)
