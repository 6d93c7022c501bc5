"""A script task's process: language prefixes before the task's own paths; no default shell
when it would only start the script."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from scripts_support import PROCESS
from scripts_support import run as run_task

from legato.plugins.scripts.execute import DEFAULT_SHELL, merge_env, without_shell


def run(tmp_path: Path, definition: dict[str, object]) -> tuple[object, object]:
    return run_task(tmp_path, {"taskRunner": PROCESS, **definition})


def test_path_like_prefixes_go_before_the_tasks_own_value() -> None:
    extra = {"PATH": "/env/bin", "PYTHONPATH": "/boot", "VIRTUAL_ENV": "/env"}
    merged = merge_env(extra, {"PYTHONPATH": "/mine"}, {"PATH": "/usr/bin", "PYTHONPATH": "/w"})
    assert merged == {
        "PATH": f"/env/bin{os.pathsep}/usr/bin",
        "PYTHONPATH": f"/boot{os.pathsep}/mine",
        "VIRTUAL_ENV": "/env",
    }


def test_a_prefix_alone_when_nobody_else_sets_the_variable() -> None:
    assert merge_env({"PYTHONPATH": "/boot"}, {}, {}) == {"PYTHONPATH": "/boot"}


def test_other_task_variables_win_over_the_languages() -> None:
    merged = merge_env({"VIRTUAL_ENV": "/env"}, {"VIRTUAL_ENV": "/mine", "A": "1"}, {})
    assert merged == {"VIRTUAL_ENV": "/mine", "A": "1"}


def test_a_script_skips_the_default_shell_only() -> None:
    env = {"PATH": "/usr/bin:/bin"}
    sh = shutil.which("sh", path=env["PATH"])
    assert sh is not None
    assert without_shell(DEFAULT_SHELL, "sh '/w/script.sh'", env) == [sh, "/w/script.sh"]
    assert without_shell(["/bin/bash", "-c"], "sh '/w/script.sh'", env) is None


def test_a_program_missing_from_path_keeps_the_shell_to_report_it() -> None:
    assert without_shell(DEFAULT_SHELL, "no-such-program-here x", {"PATH": "/usr/bin"}) is None


def test_a_script_without_shell_sees_its_directory_as_pwd(tmp_path: Path) -> None:
    script = "import os\nprint(os.environ['PWD'] == os.getcwd())\n"
    _, ctx = run(tmp_path, {"type": "io.kestra.plugin.scripts.python.Script", "script": script})
    assert ("INFO", "True") in ctx.logger.lines
