from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from legato._kernel.clock import FixedClock
from legato._kernel.ids import sequential_ids
from legato.errors import InputError
from legato.model.execution import Execution, State, StateType, TaskRun, TaskRunAttempt
from legato.model.registry import PluginRegistry
from legato.runtime import events
from legato.services.executions import (
    CORRELATION_ID,
    ExecutionNotFoundError,
    ExecutionService,
    ExecutionStateError,
    NewExecution,
    correlation_id,
)
from legato.services.flows import FlowService
from legato.store.bundle import Store
from legato.store.memory import memory_store

NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)

FLOW = """id: inputs
namespace: unit.svc
labels:
  team: data
  system.readOnly: "true"
inputs:
  - id: name
    type: STRING
  - id: count
    type: INT
    defaults: 2
  - id: doc
    type: FILE
    required: false
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.name }}"
"""

PAUSING = """id: pausing
namespace: unit.svc
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after
"""


class Files:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    async def put_file(self, uri: str, source_path: str) -> str:
        self.data[uri] = Path(source_path).read_bytes()
        return uri


def service() -> tuple[ExecutionService, Store, Files]:
    store = memory_store(FixedClock(NOW))
    flows = FlowService(store.flows, PluginRegistry.from_entry_points())
    files = Files()
    ids = sequential_ids("ex")
    svc = ExecutionService(
        store.executions,
        store.executor,
        flows,
        files,
        FixedClock(NOW),
        ids,  # type: ignore[arg-type]
    )
    return svc, store, files


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_create_resolves_inputs_labels_and_queues_the_start() -> None:
    svc, store, _ = service()

    async def scenario() -> Execution:
        await svc.flows.deploy(FLOW)
        return await svc.create(
            NewExecution("unit.svc", "inputs", inputs={"name": "Ada"}, labels=[("run", "1")])
        )

    execution = run(scenario())
    assert execution.inputs == {"name": "Ada", "count": 2, "doc": None}
    assert execution.state.current == StateType.CREATED
    assert execution.flowRevision == 1
    labels = [(label.key, label.value) for label in execution.labels]
    assert labels == [("team", "data"), ("run", "1"), (CORRELATION_ID, execution.id)]
    claimed = run(store.executor.claim_events("x", NOW))
    assert [(e.id, [s.payload["event"] for s in stored]) for e, stored in claimed] == [
        (execution.id, ["ExecutionCreated"])
    ]


def test_a_child_keeps_the_correlation_id_it_is_given() -> None:
    svc, _, _ = service()

    async def scenario() -> Execution:
        await svc.flows.deploy(FLOW)
        return await svc.build(
            NewExecution("unit.svc", "inputs", inputs={"name": "x"}, correlation_id="root-id")
        )

    child = run(scenario())
    assert correlation_id(child) == "root-id"


def test_missing_required_input_stores_nothing() -> None:
    svc, store, _ = service()

    async def scenario() -> None:
        await svc.flows.deploy(FLOW)
        await svc.create(NewExecution("unit.svc", "inputs"))

    with pytest.raises(InputError, match="name"):
        run(scenario())
    assert run(store.executions.unfinished()) == []


def test_a_local_file_input_is_uploaded_under_the_execution(tmp_path: Path) -> None:
    svc, _, files = service()
    local = tmp_path / "data.csv"
    local.write_text("a,b\n")

    async def scenario() -> Execution:
        await svc.flows.deploy(FLOW)
        return await svc.create(
            NewExecution("unit.svc", "inputs", inputs={"name": "x", "doc": str(local)})
        )

    execution = run(scenario())
    expected = f"kestra:///unit/svc/inputs/executions/{execution.id}/inputs/doc/data.csv"
    assert execution.inputs is not None and execution.inputs["doc"] == expected
    assert files.data[expected] == b"a,b\n"


def test_a_missing_local_file_is_an_input_error(tmp_path: Path) -> None:
    svc, _, _ = service()

    async def scenario() -> None:
        await svc.flows.deploy(FLOW)
        await svc.create(
            NewExecution("unit.svc", "inputs", inputs={"name": "x", "doc": str(tmp_path / "no")})
        )

    with pytest.raises(InputError, match="no file at"):
        run(scenario())


def test_kill_queues_a_request_and_refuses_ended_executions() -> None:
    svc, store, _ = service()

    async def scenario() -> list[str]:
        await svc.flows.deploy(FLOW)
        execution = await svc.create(NewExecution("unit.svc", "inputs", inputs={"name": "x"}))
        await svc.kill(execution.id)
        claimed = await store.executor.claim_events("x", NOW)
        return [s.payload["event"] for _, stored in claimed for s in stored]

    assert run(scenario()) == ["ExecutionCreated", "KillRequested"]
    with pytest.raises(ExecutionNotFoundError):
        run(svc.kill("unknown"))


def _ended(execution: Execution, state: StateType) -> Execution:
    return execution.model_copy(update={"state": execution.state.with_state(state, NOW)})


def test_kill_of_an_ended_execution_is_refused() -> None:
    svc, store, _ = service()

    async def scenario() -> None:
        await svc.flows.deploy(FLOW)
        execution = await svc.create(NewExecution("unit.svc", "inputs", inputs={"name": "x"}))
        await store.executor.commit(_ended(execution, StateType.SUCCESS), [])
        await svc.kill(execution.id)

    with pytest.raises(ExecutionStateError, match="already ended SUCCESS"):
        run(scenario())


def test_resume_coerces_on_resume_values() -> None:
    svc, store, _ = service()

    async def scenario() -> dict[str, object]:
        await svc.flows.deploy(PAUSING)
        execution = await svc.create(NewExecution("unit.svc", "pausing"))
        paused_run = TaskRun(
            id="run1",
            executionId=execution.id,
            namespace="unit.svc",
            flowId="pausing",
            taskId="wait",
            state=State.of(StateType.PAUSED, NOW),
        )
        paused = execution.model_copy(
            update={"state": State.of(StateType.PAUSED, NOW), "taskRunList": (paused_run,)}
        )
        await store.executor.commit(paused, [])
        await svc.resume(execution.id, {"approved": "true"})
        claimed = await store.executor.claim_events("x", NOW)
        payloads = [s.payload for _, stored in claimed for s in stored]
        return payloads[-1]

    payload = run(scenario())
    assert events.event_from_json(payload) == events.ResumeRequested(inputs={"approved": True})


def test_resume_refuses_an_execution_that_is_not_paused() -> None:
    svc, _, _ = service()

    async def scenario() -> None:
        await svc.flows.deploy(FLOW)
        execution = await svc.create(NewExecution("unit.svc", "inputs", inputs={"name": "x"}))
        await svc.resume(execution.id)

    with pytest.raises(ExecutionStateError, match="not PAUSED"):
        run(scenario())


def _failed_run(execution: Execution) -> Execution:
    attempt = TaskRunAttempt(state=State.of(StateType.FAILED, NOW))
    failed = TaskRun(
        id="run1",
        executionId=execution.id,
        namespace="unit.svc",
        flowId="inputs",
        taskId="say",
        attempts=(attempt,),
        state=State.of(StateType.FAILED, NOW),
    )
    return _ended(execution, StateType.FAILED).model_copy(update={"taskRunList": (failed,)})


def test_restart_keeps_the_id_and_queues_a_start() -> None:
    svc, store, _ = service()

    async def scenario() -> tuple[Execution, Execution | None, list[str]]:
        await svc.flows.deploy(FLOW)
        execution = await svc.create(NewExecution("unit.svc", "inputs", inputs={"name": "x"}))
        await store.executor.claim_events("x", NOW)
        await store.executor.commit(_failed_run(execution), [1])
        restarted = await svc.restart(execution.id)
        claimed = await store.executor.claim_events("y", NOW)
        names = [s.payload["event"] for _, stored in claimed for s in stored]
        return restarted, await store.executions.get(execution.id), names

    restarted, stored, names = run(scenario())
    assert restarted.state.current == StateType.RESTARTED
    assert restarted.metadata.attemptNumber == 2
    assert stored == restarted
    assert names == ["ExecutionCreated"]


def test_restart_of_a_successful_execution_is_refused() -> None:
    svc, store, _ = service()

    async def scenario() -> None:
        await svc.flows.deploy(FLOW)
        execution = await svc.create(NewExecution("unit.svc", "inputs", inputs={"name": "x"}))
        await store.executor.commit(_ended(execution, StateType.SUCCESS), [])
        await svc.restart(execution.id)

    with pytest.raises(ExecutionStateError):
        run(scenario())


def test_replay_creates_a_new_execution_pointing_at_the_old_one() -> None:
    svc, _, _ = service()

    async def scenario() -> tuple[Execution, Execution]:
        await svc.flows.deploy(FLOW)
        execution = await svc.create(NewExecution("unit.svc", "inputs", inputs={"name": "x"}))
        await svc.queue.commit(_failed_run(execution), [])
        return execution, await svc.replay(execution.id)

    original, replayed = run(scenario())
    assert replayed.id != original.id
    assert replayed.parentId == original.id
    assert replayed.inputs == original.inputs
    assert replayed.state.current == StateType.CREATED


def test_an_uploaded_input_lands_under_the_slug_of_the_flow_id(tmp_path: Path) -> None:
    svc, _, files = service()
    local = tmp_path / "data.csv"
    local.write_text("x\n")
    flow = FLOW.replace("id: inputs", "id: Upload_Flow", 1)

    async def scenario() -> Execution:
        await svc.flows.deploy(flow)
        return await svc.create(
            NewExecution("unit.svc", "Upload_Flow", inputs={"name": "x", "doc": str(local)})
        )

    execution = run(scenario())
    expected = f"kestra:///unit/svc/upload-flow/executions/{execution.id}/inputs/doc/data.csv"
    assert execution.inputs is not None and execution.inputs["doc"] == expected
    assert files.data[expected] == b"x\n"
