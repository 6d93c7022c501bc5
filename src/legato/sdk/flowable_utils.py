"""Kestra's FlowableUtils: the decisions most flowables are made of, over a ``FlowableContext``.

Invariants:

* A task list runs in order: the next task starts once the previous one ended without failing;
  a failure (FAILED, KILLED, CANCELLED) stops the list. ``errors`` run when the ``tasks`` branch
  failed; ``finally`` runs after ``tasks`` (and ``errors``) ended; the state is the worst of
  ``tasks`` only.
* Branches side by side (Parallel, ForEach) start in order, at most ``limit`` in progress
  (0 = no limit); none starts after a failure (except in a loop told not to stop on failures:
  ``loop_progress(stop_on_failure=False)``, flow.Loop's ``transmitFailed: false``).
* Costs: a sequential list is found by bisection (its runs exist for a prefix of its tasks);
  loops over many values (``LoopBranches``) are decided from per-task state counters and the
  children that just moved, never by scanning every child; other branch lists (Parallel) are
  scanned.
"""

from __future__ import annotations

from collections.abc import Sequence

from legato.model.execution import StateType, TaskRun
from legato.model.tasks import Task
from legato.sdk.flowable import (
    FAILED_STATES,
    Branch,
    FlowableContext,
    LoopBranches,
    NextRun,
    enabled,
    worst,
)


def branch_runs(ctx: FlowableContext, branch: Branch) -> list[TaskRun | None]:
    """The child task run of each task of ``branch`` (None when not created yet)."""
    return [ctx.child(t.id, branch.value, branch.iteration) for t in branch.tasks]


def _prefix(ctx: FlowableContext, branch: Branch) -> tuple[int, TaskRun | None]:
    """``(k, run of task k-1)``: a sequential list creates its runs in order, so the first ``k``
    tasks have a run and the others none; found by bisection in O(log n) lookups."""
    tasks = branch.tasks

    def run_of(index: int) -> TaskRun | None:
        return ctx.child(tasks[index].id, branch.value, branch.iteration)

    last = run_of(len(tasks) - 1)
    if last is not None:
        return len(tasks), last
    low, high = 0, len(tasks) - 1
    while low < high:
        middle = (low + high) // 2
        if run_of(middle) is None:
            high = middle
        else:
            low = middle + 1
    return low, (run_of(low - 1) if low else None)


def sequential_next(ctx: FlowableContext, branch: Branch) -> list[NextRun]:
    """The next task of a sequential list: the first one without a run, once every earlier one
    ended without failing."""
    if not branch.tasks:
        return []
    created, last = _prefix(ctx, branch)
    if created == len(branch.tasks):
        return []
    if last is not None and (
        not last.state.current.is_terminal or last.state.current in FAILED_STATES
    ):
        return []
    return [NextRun(branch.tasks[created], branch.value, branch.iteration)]


def branch_status(ctx: FlowableContext, branch: Branch) -> tuple[bool, StateType]:
    """``(done, worst state)`` of a sequential list: done when every task ended, or when one
    failed (a failure stops the list). The state is only meaningful once done."""
    if not branch.tasks:
        return True, StateType.SUCCESS
    created, last = _prefix(ctx, branch)
    if last is None or not last.state.current.is_terminal:
        return False, StateType.SUCCESS
    if created < len(branch.tasks) and last.state.current not in FAILED_STATES:
        return False, StateType.SUCCESS
    prefix = Branch(branch.tasks[:created], branch.value, branch.iteration)
    runs = branch_runs(ctx, prefix)
    return True, worst([r.state.current for r in runs if r is not None])


def branches_next(ctx: FlowableContext, branches: Sequence[Branch], limit: int) -> list[NextRun]:
    """Next runs of branches run side by side, at most ``limit`` branches in progress (0 = no
    limit); no new branch starts after one failed."""
    nexts: list[NextRun] = []
    busy = 0
    failed = False
    for branch in branches:
        runs = branch_runs(ctx, branch)
        if runs and runs[0] is None:
            if failed or (limit and busy >= limit):
                break
            busy += 1
            nexts.append(NextRun(branch.tasks[0], branch.value, branch.iteration))
            continue
        done, state = branch_status(ctx, branch)
        failed = failed or state in FAILED_STATES
        if not done:
            busy += 1
            nexts.extend(sequential_next(ctx, branch))
    return nexts


def branches_status(ctx: FlowableContext, branches: Sequence[Branch]) -> tuple[bool, StateType]:
    """``(done, worst state)`` of branches run side by side: done when every started branch is
    done and either all started or one failed."""
    states: list[StateType] = []
    all_started = True
    all_done = True
    for branch in branches:
        if ctx.child(branch.tasks[0].id, branch.value, branch.iteration) is None:
            all_started = False
            continue
        done, state = branch_status(ctx, branch)
        states.append(state)
        all_done = all_done and done
    state = worst(states)
    return all_done and (all_started or state in FAILED_STATES), state


def with_handlers(
    ctx: FlowableContext,
    main: tuple[bool, StateType, list[NextRun]],
    errors: Sequence[Task] | None,
    finally_: Sequence[Task] | None,
) -> tuple[list[NextRun], StateType | None]:
    """Chain ``errors`` (when the main branch failed) and ``finally`` after a main branch given
    as ``(done, state, next runs)``; returns the runs to create and the final state when done."""
    done, state, nexts = main
    if not done:
        return nexts, None
    if state in FAILED_STATES and enabled(errors):
        handler = Branch(enabled(errors))
        handled, _ = branch_status(ctx, handler)
        if not handled:
            return sequential_next(ctx, handler), None
    tail = Branch(enabled(finally_))
    if tail.tasks:
        ended, _ = branch_status(ctx, tail)
        if not ended:
            return sequential_next(ctx, tail), None
    return [], state


def sequence_decision(
    ctx: FlowableContext,
    tasks: Sequence[Task],
    errors: Sequence[Task] | None = None,
    finally_: Sequence[Task] | None = None,
) -> tuple[list[NextRun], StateType | None]:
    """Kestra's ``resolveSequentialNexts`` + ``resolveState`` for a plain task list: the runs to
    create and, when everything ended, the state. Children carry no loop value of their own
    (Kestra's ``resolveTasks``): outputs of tasks inside a loop are nested by their ancestors'
    values, and the value is read as ``parent.taskrun.value``."""
    branch = Branch(enabled(tasks))
    if not branch.tasks:
        return with_handlers(ctx, (True, StateType.SUCCESS, []), errors, finally_)
    done, state = branch_status(ctx, branch)
    nexts = [] if done else sequential_next(ctx, branch)
    return with_handlers(ctx, (done, state, nexts), errors, finally_)


def concurrent_decision(
    ctx: FlowableContext,
    branches: Sequence[Branch],
    limit: int,
    errors: Sequence[Task] | None = None,
    finally_: Sequence[Task] | None = None,
) -> tuple[list[NextRun], StateType | None]:
    """Like ``sequence_decision`` for branches run side by side (Parallel, ForEach): a loop's
    ``LoopBranches`` from state counters, any other list branch by branch."""
    if isinstance(branches, LoopBranches):
        return with_handlers(ctx, loop_progress(ctx, branches, limit), errors, finally_)
    kept = [b for b in branches if b.tasks]
    if not kept:
        return with_handlers(ctx, (True, StateType.SUCCESS, []), errors, finally_)
    done, state = branches_status(ctx, kept)
    nexts = [] if done else branches_next(ctx, kept, limit)
    return with_handlers(ctx, (done, state, nexts), errors, finally_)


def loop_progress(
    ctx: FlowableContext, branches: LoopBranches, limit: int, *, stop_on_failure: bool = True
) -> tuple[bool, StateType, list[NextRun]]:
    """A loop's ``(done, worst state, next runs)`` without scanning its branches (their shape
    is known): values start in order, at most ``limit`` in progress (0 = no limit). A failure
    stops new values from starting; with ``stop_on_failure`` False it ends only its own branch
    and the loop goes on (flow.Loop's ``transmitFailed: false``)."""
    if not branches or not branches.tasks:
        return True, StateType.SUCCESS, []
    if len(branches.tasks) == 1:
        return _single_task_branches(ctx, branches, limit, stop_on_failure)
    return _loop_branches(ctx, branches, limit, stop_on_failure)


def _single_task_branches(
    ctx: FlowableContext, branches: Sequence[Branch], limit: int, stop_on_failure: bool
) -> tuple[bool, StateType, list[NextRun]]:
    """The loop of one task over many values, from state counts: branches start in order, so
    the first ``started`` ones exist. O(1) plus the runs created."""
    task = branches[0].tasks[0]
    counts = ctx.child_states(task.id)
    started = sum(counts.values())
    active = sum(n for state, n in counts.items() if not state.is_terminal)
    stopped = stop_on_failure and any(counts.get(state) for state in FAILED_STATES)
    state = worst([s for s, n in counts.items() if n and s.is_terminal])
    nexts: list[NextRun] = []
    if not stopped:
        room = len(branches) - started if not limit else max(limit - active, 0)
        for branch in branches[started : started + room]:
            nexts.append(NextRun(task, branch.value, branch.iteration))
    done = not nexts and active == 0 and (stopped or started == len(branches))
    return done, state, nexts


def _loop_branches(
    ctx: FlowableContext, branches: Sequence[Branch], limit: int, stop_on_failure: bool
) -> tuple[bool, StateType, list[NextRun]]:
    """A loop of several tasks over many values (ForEach), from state counts and the children
    that moved: each value's tasks run in order (the successor of a child that just ended is
    created), values start in order up to ``limit`` in progress. A branch is finished when its
    last task ended or an earlier one failed. O(tasks + moved children)."""
    tasks = branches[0].tasks
    counts = [ctx.child_states(task.id) for task in tasks]
    started = sum(counts[0].values())
    cut_short = sum(n for c in counts[:-1] for state, n in c.items() if state in FAILED_STATES)
    finished = sum(n for state, n in counts[-1].items() if state.is_terminal) + cut_short
    active = sum(n for c in counts for state, n in c.items() if not state.is_terminal)
    failed = any(c.get(state) for c in counts for state in FAILED_STATES)
    stopped = stop_on_failure and failed
    state = worst([s for c in counts for s, n in c.items() if n and s.is_terminal])
    nexts: list[NextRun] = []
    if not stopped:
        nexts.extend(_successors(ctx, tasks))
        in_progress = started - finished
        room = len(branches) - started if not limit else max(limit - in_progress, 0)
        for branch in branches[started : started + room]:
            nexts.append(NextRun(tasks[0], branch.value, branch.iteration))
    done = not nexts and active == 0 and (stopped or finished == len(branches))
    return done, state, nexts


def _successors(ctx: FlowableContext, tasks: Sequence[Task]) -> list[NextRun]:
    """The next task after each child that just ended well, when it has no run yet."""
    position = {task.id: index for index, task in enumerate(tasks)}
    nexts = []
    seen: set[str] = set()
    for child in ctx.moved_children():
        if child.id in seen:
            continue
        seen.add(child.id)
        index = position.get(child.taskId)
        state = child.state.current
        if (
            index is None
            or index + 1 == len(tasks)
            or not state.is_terminal
            or state in FAILED_STATES
        ):
            continue
        following = tasks[index + 1]
        if ctx.child(following.id, child.value, child.iteration) is None:
            nexts.append(NextRun(following, child.value, child.iteration))
    return nexts
