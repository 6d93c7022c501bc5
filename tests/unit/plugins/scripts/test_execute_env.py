"""How a script task's environment is merged: language prefixes before the task's own paths."""

from __future__ import annotations

import os

from legato.plugins.scripts.execute import merge_env


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
