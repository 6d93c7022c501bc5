"""What ``legato run`` shows while an execution runs: a live tree, or a line per change.

On a terminal a rich ``Live`` table lists the task runs as a tree (task id, loop value, state,
attempts, duration) and is refreshed on every change; elsewhere (pipes, CI logs) each task-run
state change and each log line is printed once, in order. Both end with a summary: the
execution's state, duration and outputs. With ``--json`` nothing is shown.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Protocol

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from legato.model.execution import Execution, StateType, TaskRun
from legato.store.protocols import LogEntry

STYLES = {
    StateType.SUCCESS: "green",
    StateType.WARNING: "yellow",
    StateType.FAILED: "red",
    StateType.KILLED: "red",
    StateType.RUNNING: "cyan",
    StateType.PAUSED: "magenta",
    StateType.SKIPPED: "dim",
}


class View(Protocol):
    def update(self, execution: Execution) -> None: ...

    def logs(self, entries: list[LogEntry]) -> None: ...

    def close(self, execution: Execution) -> None: ...


def choose_view(tty: bool, quiet: bool) -> View:
    """The live view on a terminal, plain lines otherwise, nothing when ``quiet``."""
    if quiet:
        return QuietView()
    return LiveView(Console()) if tty else PlainView(Console(highlight=False, soft_wrap=True))


def ordered_runs(execution: Execution) -> list[tuple[int, TaskRun]]:
    """Task runs in tree order (children under their parent) with their depth."""
    children: dict[str | None, list[TaskRun]] = {}
    for run in execution.taskRunList:
        children.setdefault(run.parentTaskRunId, []).append(run)
    known = {run.id for run in execution.taskRunList}
    result: list[tuple[int, TaskRun]] = []

    def walk(parent: str | None, depth: int) -> None:
        for run in children.get(parent, []):
            result.append((depth, run))
            walk(run.id, depth + 1)

    walk(None, 0)
    orphans = [
        r for r in execution.taskRunList if r.parentTaskRunId and r.parentTaskRunId not in known
    ]
    result.extend((0, run) for run in orphans)
    return result


def format_duration(value: timedelta) -> str:
    """A short human duration: ``850ms``, ``3.2s``, ``2m05s``."""
    seconds = value.total_seconds()
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def summary_lines(execution: Execution) -> list[str]:
    """The final report: state, duration, outputs as JSON."""
    lines = [
        f"Execution {execution.id} ({execution.namespace}.{execution.flowId}) "
        f"{execution.state.current} in {format_duration(execution.state.duration)}"
    ]
    if execution.outputs:
        lines.append("Outputs:")
        lines.append(json.dumps(execution.outputs, indent=2, ensure_ascii=False, default=str))
    return lines


def _log_line(entry: LogEntry) -> str:
    stamp = entry.timestamp.strftime("%H:%M:%S.%f")[:-3]
    where = f" [{entry.task_id}]" if entry.task_id else ""
    return f"{stamp} {entry.level:<5}{where} {entry.message}"


class QuietView:
    """Shows nothing (``--json``)."""

    def update(self, execution: Execution) -> None:
        del execution

    def logs(self, entries: list[LogEntry]) -> None:
        del entries

    def close(self, execution: Execution) -> None:
        del execution


class PlainView:
    """A line per task-run state change and per log line."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._seen: dict[str, tuple[StateType, int]] = {}

    def update(self, execution: Execution) -> None:
        for _, run in ordered_runs(execution):
            key = (run.state.current, len(run.attempts))
            if self._seen.get(run.id) == key:
                continue
            self._seen[run.id] = key
            value = f"[{run.value}]" if run.value is not None else ""
            attempt = f" attempt {len(run.attempts)}" if len(run.attempts) > 1 else ""
            self.console.print(f"{run.taskId}{value} {run.state.current}{attempt}", markup=False)

    def logs(self, entries: list[LogEntry]) -> None:
        for entry in entries:
            self.console.print(_log_line(entry), markup=False)

    def close(self, execution: Execution) -> None:
        self.update(execution)
        for line in summary_lines(execution):
            self.console.print(line, markup=False)


class LiveView:
    """A refreshed table of the task-run tree, logs printed above it."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.live = Live(Table(), console=console, auto_refresh=False, transient=False)
        self.live.start()

    def update(self, execution: Execution) -> None:
        self.live.update(task_table(execution), refresh=True)

    def logs(self, entries: list[LogEntry]) -> None:
        for entry in entries:
            self.live.console.print(_log_line(entry), markup=False, highlight=False)

    def close(self, execution: Execution) -> None:
        self.live.update(task_table(execution), refresh=True)
        self.live.stop()
        style = STYLES.get(execution.state.current, "")
        for index, line in enumerate(summary_lines(execution)):
            self.console.print(Text(line, style=style if index == 0 else ""))


def task_table(execution: Execution) -> Table:
    """The task-run tree as a rich table."""
    table = Table(title=f"{execution.namespace}.{execution.flowId} {execution.id}")
    for column in ("task", "value", "state", "attempts", "duration"):
        table.add_column(column)
    for depth, run in ordered_runs(execution):
        state = run.state.current
        table.add_row(
            "  " * depth + run.taskId,
            run.value or "",
            Text(str(state), style=STYLES.get(state, "")),
            str(len(run.attempts)),
            format_duration(run.state.duration),
        )
    return table
