"""Script tasks run with the Process runner against a fake ``RunContext`` (real processes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from plugin_support import fake_run_context
from scripts_support import PROCESS, load, run

from legato.sdk.run_context import TaskError, TaskWarning


def test_python_script_sees_json_literals_and_reports_vars_and_files(tmp_path: Path) -> None:
    script = (
        "import json\n"
        "print(json.dumps([true, false, null]))\n"
        "open('r.csv', 'w').write('a')\n"
        "print('::' + json.dumps({'outputs': {'n': 3}}) + '::')\n"
    )
    outputs, ctx = run(
        tmp_path,
        {
            "type": "io.kestra.plugin.scripts.python.Script",
            "taskRunner": PROCESS,
            "outputFiles": ["*.csv"],
            "script": script,
        },
    )
    assert outputs["exitCode"] == 0 and outputs["vars"] == {"n": 3}
    assert outputs["stdOutLineCount"] == 2 and outputs["stdErrLineCount"] == 0
    assert ctx.storage.get_bytes(outputs["outputFiles"]["r.csv"]) == b"a"
    assert ("INFO", "[true, false, null]") in ctx.logger.lines


def test_a_non_zero_exit_fails_with_the_code_and_the_last_stderr_lines(tmp_path: Path) -> None:
    commands = ["echo out", *[f"echo err{i} >&2" for i in range(15)], "exit 7"]
    with pytest.raises(TaskError) as info:
        run(
            tmp_path,
            {
                "type": "io.kestra.plugin.scripts.shell.Commands",
                "taskRunner": PROCESS,
                "commands": commands,
            },
        )
    message = info.value.message
    assert "exit code 7" in message and "err14" in message and "err4" not in message


def test_stderr_lines_are_logged_at_error_and_counted(tmp_path: Path) -> None:
    outputs, ctx = run(
        tmp_path,
        {
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "taskRunner": PROCESS,
            "warningOnStdErr": False,
            "commands": ["echo oops >&2"],
        },
    )
    assert outputs["stdErrLineCount"] == 1
    assert ("ERROR", "oops") in ctx.logger.lines


def test_stderr_never_makes_a_script_warn_even_with_warning_on_stderr(tmp_path: Path) -> None:
    # Kestra 0.23 dropped the WARNING on stderr: only the exit code decides
    outputs, ctx = run(
        tmp_path,
        {
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "taskRunner": PROCESS,
            "warningOnStdErr": True,
            "commands": ['echo \'::{"outputs": {"n": 1}}::\'', "echo oops >&2"],
        },
    )
    assert outputs["vars"] == {"n": 1}
    assert outputs["stdErrLineCount"] == 1
    assert ("ERROR", "oops") in ctx.logger.lines


def test_a_failing_script_keeps_its_vars(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="exit code 3") as caught:
        run(
            tmp_path,
            {
                "type": "io.kestra.plugin.scripts.shell.Commands",
                "taskRunner": PROCESS,
                "commands": ['echo \'::{"outputs": {"done": 2}}::\'', "exit 3"],
            },
        )
    assert caught.value.outputs == {"exitCode": 3, "vars": {"done": 2}}


def test_a_killed_task_run_stops_its_process(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="killed"):
        run(
            tmp_path,
            {
                "type": "io.kestra.plugin.scripts.shell.Commands",
                "taskRunner": PROCESS,
                "commands": ["sleep 20"],
            },
            killed=True,
        )


def test_working_and_output_dirs_render_and_reach_the_environment(tmp_path: Path) -> None:
    outputs, _ = run(
        tmp_path,
        {
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "taskRunner": PROCESS,
            "env": {"WHO": "{{ flow.id }}"},
            "beforeCommands": ['test "$WORKING_DIR" = "{{ workingDir }}"'],
            "commands": [
                'test "$OUTPUT_DIR" = "{{ outputDir }}"',
                'echo "$WHO" > "$OUTPUT_DIR/who.txt"',
            ],
        },
    )
    assert list(outputs["outputFiles"]) == ["who.txt"]


def test_a_docker_task_falls_back_to_a_process_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no docker binary among these in the test env
    outputs, ctx = run(
        tmp_path,
        {
            "type": "io.kestra.plugin.scripts.shell.Commands",
            "containerImage": "alpine:3",
            "commands": ["echo hi"],
        },
    )
    warnings = [m for level, m in ctx.logger.lines if level == "WARN"]
    assert len(warnings) == 1 and "'alpine:3'" in warnings[0]
    assert outputs["exitCode"] == 0


def test_an_explicit_process_runner_logs_no_docker_warning(tmp_path: Path) -> None:
    _, ctx = run(
        tmp_path,
        {
            "type": "io.kestra.plugin.scripts.shell.Script",
            "taskRunner": PROCESS,
            "script": "echo hi",
        },
    )
    assert ctx.logger.lines == [("INFO", "hi")]


def test_legacy_python_requirements_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="not supported yet") as info:
        run(
            tmp_path,
            {
                "type": "io.kestra.core.tasks.scripts.Python",
                "requirements": ["requests"],
                "inputFiles": {"main.py": "print(1)"},
            },
        )
    assert info.value.retryable is False


def test_namespace_files_are_copied_into_the_working_dir(tmp_path: Path) -> None:
    ctx = fake_run_context(tmp_path)
    ctx.storage.namespace_files().put("lib/helper.sh", b"echo helped")
    ctx.storage.namespace_files().put("skip.txt", b"no")
    definition = {
        "id": "t",
        "type": "io.kestra.plugin.scripts.shell.Commands",
        "taskRunner": PROCESS,
        "namespaceFiles": {"enabled": True, "include": ["lib/*"]},
        "commands": ["sh lib/helper.sh", "test ! -e skip.txt"],
    }
    load(definition).run(ctx)
    assert ("INFO", "helped") in ctx.logger.lines


def test_legacy_bash_output_file_keys_become_paths_then_uris(tmp_path: Path) -> None:
    outputs, ctx = run(
        tmp_path,
        {
            "type": "io.kestra.core.tasks.scripts.Bash",
            "outputFiles": ["first"],
            "commands": ["echo one > {{ outputFiles.first }}"],
        },
    )
    assert ctx.storage.get_bytes(outputs["outputFiles"]["first"]) == b"one\n"


def test_legacy_python_runs_main_py_with_its_bin_python(tmp_path: Path) -> None:
    outputs, ctx = run(
        tmp_path,
        {
            "type": "io.kestra.core.tasks.scripts.Python",
            "inputFiles": {"main.py": "print('legacy', 6 * 7)"},
        },
    )
    assert outputs["exitCode"] == 0 and ("INFO", "legacy 42") in ctx.logger.lines


def test_legacy_bash_keeps_its_historic_warning_on_stderr(tmp_path: Path) -> None:
    with pytest.raises(TaskWarning, match="1 line") as caught:
        run(
            tmp_path,
            {
                "type": "io.kestra.core.tasks.scripts.Bash",
                "commands": ['echo \'::{"outputs": {"n": 1}}::\'', "echo oops >&2"],
            },
        )
    assert caught.value.outputs is not None
    assert caught.value.outputs["vars"] == {"n": 1}
    assert caught.value.outputs["stdErrLineCount"] == 1
