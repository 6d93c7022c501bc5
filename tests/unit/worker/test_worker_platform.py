"""Expression functions bound to a task run: kv(), secret(), read(), fileURI()… through the
worker's ``WorkerPlatform`` (rendered with the real expression engine)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from worker_support import harness, kv_entry

from legato.errors import ExpressionEvaluationError


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_kv_without_namespace_inherits_from_parent_namespaces(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        h.kv.entries[("company", "region")] = kv_entry("company", "region", "eu")
        assert h.ctx.render("{{ kv('region') }}") == "eu"


def test_kv_with_a_namespace_reads_only_that_namespace(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        h.kv.entries[("company", "region")] = kv_entry("company", "region", "eu")
        with pytest.raises(ExpressionEvaluationError, match="does not exist in the namespace"):
            h.ctx.render("{{ kv('region', 'company.team') }}")
        assert h.ctx.render("{{ kv('region', 'company') }}") == "eu"


def test_kv_keeps_the_value_type_and_may_return_null(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        h.kv.entries[("company.team", "n")] = kv_entry("company.team", "n", 7, "NUMBER")
        assert h.ctx.render("{{ kv('n') }}") == 7
        assert h.ctx.render("{{ kv('missing', errorOnMissing=false) }}") is None


def test_missing_kv_key_fails_by_default(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(ExpressionEvaluationError) as caught:
        h.ctx.render("{{ kv('missing') }}")
    assert "The key 'missing' does not exist in the namespace 'company.team'" in str(caught.value)


def test_secret_is_rendered_and_masked_in_logs(tmp_path: Path) -> None:
    with harness(tmp_path, env={"SECRET_TOKEN": b64("abc123")}) as h:
        value = h.ctx.render_string("Bearer {{ secret('token') }}")
        assert value == "Bearer abc123"
        h.ctx.logger.info(value)
        assert h.log_lines() == [("INFO", "Bearer ******")]


def test_missing_secret_fails_the_render(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(ExpressionEvaluationError, match="SECRET_NOPE"):
        h.ctx.render("{{ secret('nope') }}")


def test_secret_subkey_reads_a_json_secret(tmp_path: Path) -> None:
    env = {"SECRET_DB": b64('{"user": "admin", "password": "pw"}')}
    with harness(tmp_path, env=env) as h:
        assert h.ctx.render("{{ secret('db', subkey='user') }}") == "admin"


def test_read_and_file_functions_on_storage_and_namespace_files(tmp_path: Path) -> None:
    with harness(tmp_path) as h:
        uri = h.ctx.storage.put_bytes(b"hello", "a.txt")
        h.ctx.storage.namespace_files().put("conf/x.yml", b"")
        variables = {"uri": uri}
        assert h.ctx.render("{{ read(uri) }}", variables) == "hello"
        assert h.ctx.render("{{ fileSize(uri) }}", variables) == 5
        assert h.ctx.render("{{ fileExists(uri) }}", variables) is True
        assert h.ctx.render("{{ isFileEmpty('conf/x.yml') }}") is True
        assert h.ctx.render("{{ read('conf/x.yml') }}") == ""
        assert h.ctx.render("{{ fileURI('conf/x.yml') }}") == (
            "kestra:///company/team/_files/conf/x.yml"
        )


def test_read_of_a_missing_namespace_file_fails(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(ExpressionEvaluationError, match="not found"):
        h.ctx.render("{{ read('nope.sql') }}")


def test_current_each_output_follows_parent_values(tmp_path: Path) -> None:
    extra = {
        "parents": [{"taskrun": {"value": "outer"}}],
        "taskrun": {"id": "r", "value": "inner"},
        "outputs": {"t": {"outer": {"inner": {"value": 42}}}},
    }
    with harness(tmp_path, extra_variables=extra) as h:
        assert h.ctx.render("{{ currentEachOutput(outputs.t).value }}") == 42


def test_tasks_with_state_lists_matching_task_runs(tmp_path: Path) -> None:
    extra = {"tasks": {"a": {"state": "FAILED"}, "b": {"v1": {"state": "FAILED"}}, "c": {}}}
    with harness(tmp_path, extra_variables=extra) as h:
        assert h.ctx.render("{{ tasksWithState('failed') }}") == [
            {"taskId": "a", "state": "FAILED"},
            {"taskId": "b", "state": "FAILED", "value": "v1"},
        ]


def test_error_logs_without_a_logs_port_names_the_missing_port(tmp_path: Path) -> None:
    with harness(tmp_path) as h, pytest.raises(ExpressionEvaluationError, match="'logs' port"):
        h.ctx.render("{{ errorLogs() }}")
