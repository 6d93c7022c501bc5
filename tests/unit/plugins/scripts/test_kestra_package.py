"""The PyPI ``kestra`` package inside Python script tasks: its messages round-trip into vars,
metrics and logs, it reads the execution context file, the user's packages win over it, and a
failed install only warns.

The package is installed once for this module into a temporary ``LEGATO_HOME`` (from uv's
cache when it has it, else from PyPI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scripts_support import PROCESS
from scripts_support import run as run_task
from test_run_python_env import make_wheel

from legato.plugins.scripts import kestra_package
from legato.plugins.scripts.context_file import CONTEXT_FILE
from legato.plugins.scripts.execute import python_executable
from legato.sdk.run_context import TaskError


@pytest.fixture(scope="module")
def support_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kestra-home")


@pytest.fixture
def home(support_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("LEGATO_HOME", str(support_home))
    yield support_home


@pytest.fixture
def offline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh ``LEGATO_HOME`` where the ``kestra`` package cannot be installed (uv offline,
    empty cache)."""
    monkeypatch.setenv("LEGATO_HOME", str(tmp_path / "offline-home"))
    monkeypatch.setenv("UV_OFFLINE", "1")
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "empty-cache"))


def run(base: Path, definition: dict[str, Any], **ctx_args: Any) -> tuple[Any, Any]:
    """Run a task on a fake context: (outputs, ctx)."""
    return run_task(base, {"taskRunner": PROCESS, **definition}, **ctx_args)


def python_script(script: str, **extra: Any) -> dict[str, Any]:
    return {"type": "io.kestra.plugin.scripts.python.Script", "script": script, **extra}


def test_outputs_metrics_and_log_levels_round_trip(home: Path, tmp_path: Path) -> None:
    script = (
        "from kestra import Kestra\n"
        "Kestra.outputs({'rows': 3, 'name': 'orders'})\n"
        "Kestra.outputs({'rows': 4})\n"
        "Kestra.counter('loaded', 7, {'table': 'orders'})\n"
        "Kestra.timer('duration', 1.25)\n"
        "log = Kestra.logger()\n"
        "log.debug('dbg'); log.info('inf'); log.warning('wrn'); log.error('err')\n"
    )
    outputs, ctx = run(tmp_path, python_script(script, warningOnStdErr=False))
    assert outputs["vars"] == {"rows": 4, "name": "orders"}
    assert ctx.metrics == [("loaded", 7.0, "counter"), ("duration", 1.25, "timer")]
    script_logs = [(level, m.rsplit(" - ", 1)[-1]) for level, m in ctx.logger.lines[-4:]]
    assert script_logs == [("DEBUG", "dbg"), ("INFO", "inf"), ("WARN", "wrn"), ("ERROR", "err")]
    assert outputs["stdOutLineCount"] == 6 and outputs["stdErrLineCount"] == 2


def test_python_commands_import_it_too(home: Path, tmp_path: Path) -> None:
    definition = {
        "type": "io.kestra.plugin.scripts.python.Commands",
        "inputFiles": {"main.py": "from kestra import Kestra\nKestra.outputs({'ok': True})\n"},
        "commands": ["python main.py"],
    }
    outputs, _ = run(tmp_path, definition)
    assert outputs["vars"] == {"ok": True}


def test_the_execution_context_file_is_read_then_removed(home: Path, tmp_path: Path) -> None:
    script = (
        "import os, kestra\n"
        "os.chdir('/')\n"
        "c = kestra.context\n"
        "kestra.Kestra.outputs({'flow': c.flow.id, 'execution': c.execution.id,\n"
        "    'env': c.labels.env, 'taskrun': c.taskrun.id, 'keys': sorted(c)})\n"
    )
    variables = {
        "labels": {"env": "prod"},
        "taskrun": {"id": "tr1", "attemptsCount": 0},
        "envs": {"secret_ish": "x"},
        "globals": {"g": 1},
    }
    definition = python_script(script, executionContext=True, outputFiles=["*"])
    outputs, _ = run(tmp_path, definition, variables=variables)
    assert outputs["vars"] == {
        "flow": "flow",
        "execution": "exec1",
        "env": "prod",
        "taskrun": "tr1",
        "keys": ["execution", "flow", "labels", "taskrun"],
    }
    assert CONTEXT_FILE not in outputs["outputFiles"]
    assert not (tmp_path / "work" / CONTEXT_FILE).exists()


def test_without_execution_context_there_is_no_file(home: Path, tmp_path: Path) -> None:
    script = (
        "import os, kestra\n"
        "print(os.path.exists('.kestra-execution-context.json'))\n"
        "try:\n    kestra.context\nexcept FileNotFoundError:\n    print('no context')\n"
    )
    _, ctx = run(tmp_path, python_script(script))
    assert ("INFO", "False") in ctx.logger.lines and ("INFO", "no context") in ctx.logger.lines


def test_any_script_task_can_ask_for_the_context_file(home: Path, tmp_path: Path) -> None:
    definition = {
        "type": "io.kestra.plugin.scripts.shell.Commands",
        "executionContext": True,
        "commands": ['echo "::{\\"outputs\\": $(cat "$KESTRA_EXECUTION_CONTEXT_FILE")}::"'],
    }
    outputs, _ = run(tmp_path, definition)
    assert outputs["vars"]["flow"] == {"namespace": "company.team", "id": "flow"}


def test_the_package_comes_after_site_packages(home: Path, tmp_path: Path) -> None:
    script = (
        "import sys, kestra\n"
        "lib = sys.path.index(kestra.__file__.rsplit('/', 1)[0])\n"
        "sites = [i for i, p in enumerate(sys.path) if p.endswith('site-packages')]\n"
        "print('after' if sites and lib > max(sites) else sys.path)\n"
    )
    _, ctx = run(tmp_path, python_script(script))
    assert ("INFO", "after") in ctx.logger.lines


def test_a_kestra_in_the_task_dependencies_wins(home: Path, tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, name="kestra", version="9.9.9", body="WHO = 'user'\n")
    script = "import kestra\nprint(kestra.WHO)\n"
    _, ctx = run(tmp_path, python_script(script, dependencies=[str(wheel)]))
    assert ("INFO", "user") in ctx.logger.lines


def test_the_users_sitecustomize_and_pythonpath_still_work(home: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "sitecustomize.py").write_text("import builtins\nbuiltins.MARK = 'user site'\n")
    (mine / "helper.py").write_text("NAME = 'helper'\n")
    script = "import helper, kestra\nprint(MARK, helper.NAME, kestra.Kestra.__name__)\n"
    _, ctx = run(tmp_path, python_script(script, env={"PYTHONPATH": str(mine)}))
    assert ("INFO", "user site helper Kestra") in ctx.logger.lines


@pytest.mark.usefixtures("offline_home")
def test_a_failed_install_warns_and_the_script_still_runs(tmp_path: Path) -> None:
    script = "print('ran')\nimport kestra\n"
    for attempt in ("first", "second"):
        with pytest.raises(TaskError, match="No module named 'kestra'"):
            run(tmp_path / attempt, python_script(script))
    support = kestra_package.kestra_support(python_executable())
    assert support.directory is None and "failed" in support.problem


@pytest.mark.usefixtures("offline_home")
def test_a_failed_install_is_tried_once_and_warned_per_task(tmp_path: Path) -> None:
    for attempt in ("first", "second"):
        _, ctx = run(tmp_path / attempt, python_script("print('ran')"))
        warnings = [m for level, m in ctx.logger.lines if level == "WARN"]
        preparing = [m for _, m in ctx.logger.lines if m.startswith("Preparing")]
        assert len(warnings) == 1 and "kestra==" in warnings[0] and "PyPI" in warnings[0]
        assert ("INFO", "ran") in ctx.logger.lines
        assert len(preparing) == (1 if attempt == "first" else 0)


def test_an_unwritable_home_is_a_warning_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "a-file"
    home.write_text("not a directory")
    monkeypatch.setenv("LEGATO_HOME", str(home))
    _, ctx = run(tmp_path / "run", python_script("print('ran')"))
    [warning] = [m for level, m in ctx.logger.lines if level == "WARN"]
    assert "cannot write" in warning and str(home) in warning
    assert ("INFO", "ran") in ctx.logger.lines


def test_the_boot_module_is_python_appending_the_library(tmp_path: Path) -> None:
    text = kestra_package.boot_module(tmp_path / "lib")
    assert f"_sys.path.append({str(tmp_path / 'lib')!r})" in text
    compile(text, "sitecustomize.py", "exec")


def test_the_installed_layout(home: Path) -> None:
    support = kestra_package.kestra_support(python_executable())
    assert support.directory is not None, support.problem
    assert support.directory.name.startswith(f"kestra-{kestra_package.KESTRA_VERSION}-")
    assert (support.directory / "lib" / "kestra.py").is_file()
    assert (support.directory / "boot" / "sitecustomize.py").is_file()
    assert not support.directory.with_name(support.directory.name + ".partial").exists()
