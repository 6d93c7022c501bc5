"""The Docker task runner runs script tasks in REAL containers of a locally imported image.

The engine must answer (``.ci/run`` installs ``docker.io`` and starts ``dockerd``): without it
these tests fail, they never skip. The image is busybox (``busybox-static``) imported once per
session with ``docker import`` — nothing is pulled from a registry.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from legato.model.plugin import ParseContext
from legato.model.registry import PluginRegistry
from legato.plugins.core import runner
from legato.plugins.scripts import PLUGINS
from legato.plugins.scripts.docker_image import forget_failed_pulls
from legato.plugins.scripts.docker_run import LABEL
from legato.plugins.scripts.docker_spec import DOCKER_HUB, container_spec, readable_bytes
from legato.sdk import AnyTask, Task
from legato.sdk.run_context import TaskError
from legato.sdk.task_settings import TaskSettings

IMAGE = "legato-busybox:test"
DOCKER = "io.kestra.plugin.scripts.runner.docker.Docker"
REGISTRY = PluginRegistry([*PLUGINS, runner.Process])
_TASK: TypeAdapter[Task] = TypeAdapter(AnyTask)


def _run_support() -> Any:
    if "run_support" in sys.modules:
        return sys.modules["run_support"]
    path = Path(__file__).parents[1] / "core" / "run_support.py"
    spec = importlib.util.spec_from_file_location("run_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_support"] = module
    spec.loader.exec_module(module)
    return module


def busybox_rootfs() -> bytes:
    """A tar of a root filesystem holding a static busybox and its applet links."""
    busybox = shutil.which("busybox", path="/usr/bin:/bin")
    assert busybox, "busybox is missing: apt-get install busybox-static (.ci/run does)"
    applets = subprocess.run([busybox, "--list"], capture_output=True, check=True).stdout.split()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for folder, mode in (("bin", 0o755), ("tmp", 0o1777), ("etc", 0o755)):
            entry = tarfile.TarInfo(folder)
            entry.type, entry.mode = tarfile.DIRTYPE, mode
            tar.addfile(entry)
        tar.add(busybox, arcname="bin/busybox")
        for applet in applets:
            if applet != b"busybox":
                link = tarfile.TarInfo(f"bin/{applet.decode()}")
                link.type, link.linkname = tarfile.SYMTYPE, "busybox"
                tar.addfile(link)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def image() -> str:
    """The local test image (imported once when missing); fails when no engine answers."""
    info = subprocess.run(["docker", "info"], capture_output=True, check=False)
    if info.returncode != 0:
        pytest.fail(
            "No Docker engine answers 'docker info': run .ci/run (it installs docker.io and "
            f"starts dockerd). {info.stderr.decode(errors='replace').strip()}"
        )
    present = subprocess.run(["docker", "image", "inspect", IMAGE], capture_output=True)
    if present.returncode != 0:
        subprocess.run(["docker", "import", "-", IMAGE], input=busybox_rootfs(), check=True)
    return IMAGE


@pytest.fixture(autouse=True)
def fresh_pull_memory() -> Iterator[None]:
    forget_failed_pulls()
    yield
    forget_failed_pulls()


def make(tmp_path: Path, definition: dict[str, Any]) -> tuple[Any, Any]:
    """(task, ctx) of a shell task of ``definition``."""
    ctx = _run_support().FakeRunContext(tmp_path)
    ctx.execution_id = f"docker-{tmp_path.name}"
    task = _TASK.validate_python(
        {"id": "t", "type": "io.kestra.plugin.scripts.shell.Commands", **definition},
        context=ParseContext(REGISTRY),
    )
    return task, ctx


def run(tmp_path: Path, definition: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    task, ctx = make(tmp_path, definition)
    return task.run(ctx), ctx


def lines(ctx: Any, level: str) -> list[str]:
    return [message for lvl, message in ctx.logger.lines if lvl == level]


def containers_of(ctx: Any) -> list[str]:
    found = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label={LABEL}={ctx.execution_id}"],
        capture_output=True,
        check=True,
        text=True,
    )
    return found.stdout.split()


def volumes_of(ctx: Any) -> list[str]:
    found = subprocess.run(
        ["docker", "volume", "ls", "-q", "--filter", f"label={LABEL}={ctx.execution_id}"],
        capture_output=True,
        check=True,
        text=True,
    )
    return found.stdout.split()


def test_commands_run_in_a_container_with_files_env_protocol_and_outputs(
    tmp_path: Path, image: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKER_ONLY", "leaked")
    outputs, ctx = run(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER},
            "env": {"GREETING": "hello"},
            "inputFiles": {"in.txt": "data"},
            "outputFiles": ["*.out"],
            "commands": [
                'echo "$GREETING pid=$$"',  # the shell is the container's first process
                "cat in.txt > copy.out",
                "echo x > $OUTPUT_DIR/extra.txt",
                """echo '::{"outputs": {"n": 2}}::'""",
                "echo oops >&2",
                'echo "pwd=$(pwd) dir={{ workingDir }} env=$WORKING_DIR"',
                'echo "worker=${WORKER_ONLY:-unset}"',
            ],
        },
    )
    working = str(ctx.working_dir())
    assert outputs["exitCode"] == 0 and outputs["vars"] == {"n": 2}
    assert set(outputs["outputFiles"]) == {"copy.out", "extra.txt"}
    assert outputs["stdOutLineCount"] == 4 and outputs["stdErrLineCount"] == 1
    assert lines(ctx, "INFO") == [
        "hello pid=1",
        f"pwd={working} dir={working} env={working}",
        "worker=unset",  # the worker's environment stays outside
    ]
    assert lines(ctx, "ERROR") == ["oops"]
    assert (ctx.working_dir() / "copy.out").read_text() == "data"
    assert containers_of(ctx) == [] and volumes_of(ctx) == []


def test_mount_strategy_binds_the_working_directory(tmp_path: Path, image: str) -> None:
    outputs, ctx = run(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER, "fileHandlingStrategy": "MOUNT"},
            "outputFiles": ["made.txt"],
            "commands": ["echo made > made.txt", "echo $$"],
        },
    )
    assert lines(ctx, "INFO") == ["1"]
    assert list(outputs["outputFiles"]) == ["made.txt"]
    assert containers_of(ctx) == [] and volumes_of(ctx) == []


def test_a_failing_command_fails_with_its_exit_code_and_stderr(tmp_path: Path, image: str) -> None:
    task, ctx = make(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER},
            "commands": ["echo boom >&2", "exit 3"],
        },
    )
    with pytest.raises(TaskError) as info:
        task.run(ctx)
    assert "exit code 3" in info.value.message and "boom" in info.value.message
    assert info.value.outputs["exitCode"] == 3
    assert containers_of(ctx) == []


def test_limits_network_volumes_and_user_reach_the_container(tmp_path: Path, image: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    (shared / "f.txt").write_text("mounted\n")
    _, ctx = run(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {
                "type": DOCKER,
                "memory": {"memory": "64MB"},
                "cpu": {"cpus": 0.5},
                "networkMode": "none",
                "volumes": [f"{shared}:/shared:ro"],
                "user": "1234",
            },
            "commands": [
                "cat /sys/fs/cgroup/memory.max 2>/dev/null"
                " || cat /sys/fs/cgroup/memory/memory.limit_in_bytes",
                "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us",
                "ls /sys/class/net",
                "cat /shared/f.txt",
                "id -u",
            ],
        },
    )
    assert len(lines(ctx, "INFO")) == 5, ctx.logger.lines
    memory, cpu, network, mounted, user = lines(ctx, "INFO")
    assert memory == str(64 * 1024 * 1024)
    assert cpu.split()[0] == "50000"  # half of the default 100000 µs period
    assert network == "lo"
    assert mounted == "mounted" and user == "1234"


def test_a_kill_stops_and_removes_the_container(tmp_path: Path, image: str) -> None:
    task, ctx = make(
        tmp_path,
        {"containerImage": image, "taskRunner": {"type": DOCKER}, "commands": ["sleep 60"]},
    )
    threading.Timer(1.5, lambda: setattr(ctx, "killed", True)).start()
    started = time.monotonic()
    with pytest.raises(TaskError, match="killed"):
        task.run(ctx)
    assert time.monotonic() - started < 15
    assert containers_of(ctx) == [] and volumes_of(ctx) == []


def test_kill_grace_period_lets_the_container_stop_itself(tmp_path: Path, image: str) -> None:
    task, ctx = make(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER, "killGracePeriod": "PT10S"},
            "commands": ["trap 'echo stopping; exit 0' TERM", "echo ready", "sleep 60 & wait"],
        },
    )
    threading.Timer(1.5, lambda: setattr(ctx, "killed", True)).start()
    with pytest.raises(TaskError, match="killed"):
        task.run(ctx)
    assert lines(ctx, "INFO") == ["ready", "stopping"]


def test_delete_false_keeps_the_container(tmp_path: Path, image: str) -> None:
    _, ctx = run(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER, "delete": False, "fileHandlingStrategy": "MOUNT"},
            "commands": ["true"],
        },
    )
    kept = containers_of(ctx)
    subprocess.run(["docker", "rm", "-f", *kept], capture_output=True, check=True)
    assert len(kept) == 1


def test_wait_false_returns_while_the_container_runs(tmp_path: Path, image: str) -> None:
    outputs, ctx = run(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER, "wait": False, "fileHandlingStrategy": "MOUNT"},
            "commands": ["sleep 30"],
        },
    )
    running = containers_of(ctx)
    subprocess.run(["docker", "rm", "-f", *running], capture_output=True, check=True)
    assert outputs["exitCode"] == 0 and len(running) == 1


def test_a_local_image_is_not_pulled_unless_always(tmp_path: Path, image: str) -> None:
    _, ctx = run(tmp_path, {"containerImage": image, "commands": ["echo $$"]})
    assert lines(ctx, "INFO") == ["1"] and lines(ctx, "WARN") == []
    _, ctx = run(
        tmp_path / "always",
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER, "pullPolicy": "ALWAYS"},
            "commands": ["echo $$"],
        },
    )
    [warning] = lines(ctx, "WARN")
    assert f"Could not pull image '{image}' (pullPolicy ALWAYS)" in warning
    assert lines(ctx, "INFO")[-1] == "1"  # the local copy ran


def test_an_image_that_cannot_be_had_applies_the_fallback(tmp_path: Path, image: str) -> None:
    absent = "legato-absent-image:never"
    definition = {
        "containerImage": absent,
        "taskRunner": {"type": DOCKER, "pullPolicy": "NEVER"},
        "commands": ["echo $$"],
    }
    _, ctx = run(tmp_path, definition)
    [warning] = lines(ctx, "WARN")
    assert f"image '{absent}' is not on the Docker engine and pullPolicy is NEVER" in warning
    assert lines(ctx, "INFO") != ["1"]  # a host process
    task, ctx = make(tmp_path / "fail", definition)
    ctx.task_settings = TaskSettings(docker_fallback="fail")
    with pytest.raises(TaskError, match="the Docker fallback is 'fail'") as info:
        task.run(ctx)
    assert info.value.retryable is False


def test_sizes_are_readable_bytes_and_a_bad_one_names_the_property(
    tmp_path: Path, image: str
) -> None:
    assert readable_bytes("512MB", "m") == 512 * 1024**2 and readable_bytes("1024", "m") == 1024
    assert readable_bytes("2g", "m") == 2 * 1024**3
    task, ctx = make(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER, "memory": {"memory": "lots"}},
            "commands": ["true"],
        },
    )
    with pytest.raises(TaskError, match=r"'memory\.memory' is 'lots', not a size"):
        task.run(ctx)


def test_entry_point_items_run_before_the_command_and_unsupported_ones_warn(
    tmp_path: Path, image: str
) -> None:
    _, ctx = run(
        tmp_path,
        {
            "containerImage": image,
            "taskRunner": {"type": DOCKER, "entryPoint": ["env", "MARK=set"], "resume": False},
            "commands": ["echo mark=$MARK"],
        },
    )
    assert lines(ctx, "INFO") == ["mark=set"]
    assert lines(ctx, "WARN") == [
        "The Docker task runner ignores resume: Legato does not support them yet (remove "
        "them, or use another runner)"
    ]


def test_credentials_become_a_docker_config_for_the_image_registry(tmp_path: Path) -> None:
    task, ctx = make(
        tmp_path,
        {
            "containerImage": "registry.example.com:5000/team/tool:1",
            "taskRunner": {
                "type": DOCKER,
                "credentials": {"username": "me", "password": "{{ 'p' ~ 'w' }}"},
                "config": '{"credsStore": "none"}',
            },
            "commands": ["true"],
        },
    )
    spec = container_spec(task, ctx)
    assert spec.registry_config == {
        "credsStore": "none",
        "auths": {"registry.example.com:5000": {"auth": base64.b64encode(b"me:pw").decode()}},
    }
    task, ctx = make(
        tmp_path / "hub",
        {
            "containerImage": "python:3.13-slim",
            "taskRunner": {"type": DOCKER, "credentials": {"registryToken": "tok"}},
            "commands": ["true"],
        },
    )
    assert container_spec(task, ctx).registry_config == {
        "auths": {DOCKER_HUB: {"registrytoken": "tok"}}
    }
