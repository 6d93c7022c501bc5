"""Plugin group core: Kestra's built-in tasks, triggers, conditions and the Process runner.

Declarations only (properties with Kestra's names, types, defaults and legacy aliases, plus the
validation rules Kestra applies to them); running them is the engine's job. ``PLUGINS`` lists
every class; it is published under the ``legato.plugins`` entry point ``core``.
"""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.core import (
    conditions,
    debug,
    execution,
    flow,
    http,
    kv,
    log,
    namespace,
    output,
    runner,
    state,
    storage,
    templating,
    toggle,
    triggers,
)

TASKS: list[type[Plugin]] = [
    log.Log,
    log.Fetch,
    log.PurgeLogs,
    debug.Return,
    debug.Echo,
    output.OutputValues,
    execution.Fail,
    execution.Exit,
    execution.Assert,
    execution.Labels,
    execution.Resume,
    execution.Count,
    execution.PurgeExecutions,
    execution.SetVariables,
    execution.UnsetVariables,
    *flow.PLUGINS,
    kv.Set,
    kv.Get,
    kv.GetKeys,
    kv.Delete,
    storage.Write,
    storage.Concat,
    storage.Split,
    storage.Delete,
    storage.Size,
    storage.FilterItems,
    storage.DeduplicateItems,
    storage.Reverse,
    storage.LocalFiles,
    storage.PurgeCurrentExecutionFiles,
    namespace.UploadFiles,
    namespace.DownloadFiles,
    namespace.DeleteFiles,
    http.Request,
    http.Download,
    templating.TemplatedTask,
    toggle.Toggle,
    state.Set,
    state.Get,
    state.Delete,
]

PLUGINS: list[type[Plugin]] = [
    *TASKS,
    *triggers.PLUGINS,
    http.Trigger,
    *conditions.PLUGINS,
    runner.Process,
]

__all__ = ["PLUGINS", "TASKS"]
