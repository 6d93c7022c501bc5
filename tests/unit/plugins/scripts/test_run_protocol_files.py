"""The ``::{...}::`` protocol and the working-directory files of script tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from plugin_support import fake_run_context

from legato.plugins.scripts import files, protocol
from legato.sdk import input_files
from legato.sdk.run_context import TaskError


def test_a_protocol_line_is_parsed_as_json() -> None:
    line = '::{"outputs": {"a": 1, "b": [true, null]}}::'
    assert protocol.parse_message(line) == {"outputs": {"a": 1, "b": [True, None]}}


@pytest.mark.parametrize(
    "line",
    ["hello", "::{not json}::", '::["a list"]::', ':{"outputs": {}}:', '::{"a": 1}:: tail'],
)
def test_other_lines_are_ordinary(line: str) -> None:
    assert protocol.parse_message(line) is None


def test_outputs_merge_metrics_record_and_logs_log(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    variables: dict[str, Any] = {"a": 0, "keep": "x"}
    message = {
        "outputs": {"a": 2},
        "metrics": [
            {"name": "rows", "type": "counter", "value": 5, "tags": {"t": "1"}},
            {"name": "took", "type": "timer", "value": 1.5},
        ],
        "logs": [{"level": "WARN", "message": "careful"}, {"level": "bogus", "message": "m"}],
    }
    protocol.apply_message(message, ctx, variables)
    assert variables == {"a": 2, "keep": "x"}
    assert ctx.metrics == [("rows", 5.0, "counter"), ("took", 1.5, "timer")]
    assert ctx.logger.lines == [("WARN", "careful"), ("INFO", "m")]


def test_a_metric_without_a_numeric_value_is_ignored_with_a_warning(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    protocol.apply_message({"metrics": [{"name": "n", "value": "many"}]}, ctx, {})
    assert ctx.metrics == []
    assert ctx.logger.lines[0][0] == "WARN"


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a/../../b", ""])
def test_input_file_names_leaving_the_working_dir_are_refused(tmp_path: Path, name: str) -> None:
    ctx = fake_run_context(tmp_path)
    with pytest.raises(TaskError) as info:
        input_files.write_input_files(ctx, {name: "x"}, tmp_path)
    assert info.value.retryable is False


def test_input_files_are_written_with_content_or_fetched_from_storage(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    uri = ctx.storage.put_bytes(b"stored", "data.bin")
    input_files.write_input_files(ctx, {"a/b.txt": "inline", "c.bin": uri}, tmp_path)
    assert (tmp_path / "a" / "b.txt").read_text() == "inline"
    assert (tmp_path / "c.bin").read_bytes() == b"stored"


def test_input_files_may_be_a_json_string(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    assert input_files.input_file_map(ctx, '{"x.txt": "{{ 1 + 1 }}"}') == {"x.txt": "2"}


def test_output_globs_upload_matching_files_keyed_by_relative_path(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.csv").write_text("a")
    (tmp_path / "b.csv").write_text("b")
    (tmp_path / "c.txt").write_text("c")
    outdir = tmp_path / "outputs"
    (outdir / "deep").mkdir(parents=True)
    (outdir / "deep" / "d.json").write_text("{}")
    uploaded = files.collect_output_files(ctx, ["*.csv", "out/*.csv"], tmp_path, outdir)
    assert sorted(uploaded) == ["b.csv", "deep/d.json", "out/a.csv"]
    assert ctx.storage.get_bytes(uploaded["out/a.csv"]) == b"a"


def test_a_glob_matching_nothing_is_named_in_the_error(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    with pytest.raises(TaskError, match=r"'\*\.parquet'"):
        files.collect_output_files(ctx, ["*.parquet"], tmp_path)


def test_an_output_glob_with_dotdot_is_refused(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    with pytest.raises(TaskError, match=r"\.\."):
        files.collect_output_files(ctx, ["../*.csv"], tmp_path)


def test_internal_uris_in_commands_become_local_copies(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    uri = ctx.storage.put_bytes(b"rows", "in.csv")
    text = files.localize_uris(ctx, f"cat {uri} | wc -l", tmp_path)
    local = text.split()[1]
    assert text.startswith("cat ") and "kestra://" not in text
    assert Path(local).read_bytes() == b"rows" and Path(local).parent == tmp_path
