"""Core flowable tasks (executor-decided), one module per family, and ForEachItem's internal
tasks (registered so workers can load the split and merge task runs they are sent)."""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.core.flow import (
    branching,
    dag,
    foreach_item,
    loop,
    loops,
    pause,
    sequential,
    subflow,
    template,
    working_directory,
)

PLUGINS: list[type[Plugin]] = [
    sequential.Sequential,
    sequential.Parallel,
    sequential.AllowFailure,
    branching.If,
    branching.Switch,
    loops.ForEach,
    loop.Loop,
    loops.EachSequential,
    loops.EachParallel,
    loops.LoopUntil,
    subflow.Subflow,
    subflow.ForEachItem,
    *foreach_item.INTERNAL,
    dag.Dag,
    pause.Pause,
    pause.Sleep,
    working_directory.WorkingDirectory,
    template.Template,
]
