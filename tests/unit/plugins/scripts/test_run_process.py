"""The Process runner's process handling: streaming, exit codes, kills of the whole group."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from legato.plugins.scripts.process import run_process
from legato.plugins.scripts.runner import join_commands


def _run(
    tmp_path: Path, script: str, kill_after: float | None = None
) -> tuple[int, bool, list[tuple[str, str]]]:
    lines: list[tuple[str, str]] = []
    start = time.monotonic()

    def killed() -> bool:
        return kill_after is not None and time.monotonic() - start > kill_after

    result = run_process(
        ["/bin/sh", "-c", script],
        cwd=tmp_path,
        env=dict(os.environ),
        on_line=lambda stream, line: lines.append((stream, line)),
        is_killed=killed,
    )
    return result.exit_code, result.killed, lines


def test_lines_of_both_streams_arrive_in_order_per_stream(tmp_path: Path) -> None:
    code, killed, lines = _run(tmp_path, "echo one; echo err >&2; echo two; exit 4")
    assert (code, killed) == (4, False)
    assert [line for stream, line in lines if stream == "stdout"] == ["one", "two"]
    assert [line for stream, line in lines if stream == "stderr"] == ["err"]


def test_a_long_line_is_kept_whole(tmp_path: Path) -> None:
    _, _, lines = _run(tmp_path, "head -c 300000 /dev/zero | tr '\\0' x; echo")
    assert lines == [("stdout", "x" * 300000)]


def test_invalid_utf8_is_replaced_not_fatal(tmp_path: Path) -> None:
    code, _, lines = _run(tmp_path, "printf 'a\\377b\\n'")
    assert code == 0 and lines == [("stdout", "a\ufffdb")]


def test_a_kill_ends_the_whole_process_group(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    script = f"sleep 30 & echo $! > {marker}; wait"
    started = time.monotonic()
    _, killed, _ = _run(tmp_path, script, kill_after=0.3)
    assert killed and time.monotonic() - started < 10
    child = int(marker.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie not yet reaped by init counts as ended
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_the_kill_check_is_polled_while_the_process_is_silent(tmp_path: Path) -> None:
    event = threading.Event()
    threading.Timer(0.2, event.set).start()
    started = time.monotonic()
    result = run_process(
        ["/bin/sh", "-c", "sleep 20"],
        cwd=tmp_path,
        env=dict(os.environ),
        on_line=lambda stream, line: None,
        is_killed=event.is_set,
    )
    assert result.killed and result.exit_code != 0
    assert time.monotonic() - started < 5


def test_fail_fast_prefixes_set_e_for_shells_only() -> None:
    assert join_commands(["/bin/sh", "-c"], ["a", "b"], True) == "set -e\na\nb"
    assert join_commands(["bash", "-c"], ["a"], False) == "a"
    assert join_commands(["python", "-c"], ["a"], True) == "a"
