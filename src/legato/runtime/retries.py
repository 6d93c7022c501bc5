"""Retry decisions (reference §3.1 and §7 "Retry"): when a failed attempt is tried again.

Invariants:

* The policy is the task's own ``retry``, else the nearest ancestor flowable's, else the flow's.
* ``maxAttempts`` counts every attempt, the first included; ``maxDuration`` bounds the date of
  the next attempt from the start of the first one. Neither set means no bound.
* Delays: constant ``interval``; exponential ``interval × delayFactor (2) × (attempts made)``
  capped at ``maxInterval`` (Kestra's executor formula, linear in the attempt count); random a
  duration in ``[minInterval, maxInterval)`` drawn from a hash of the task run id and attempt
  number, so a step stays deterministic.
* The next attempt is due at the failed attempt's end (``now``) plus the delay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from legato.model.execution import TaskRun
from legato.model.retry import ConstantRetry, ExponentialRetry, RandomRetry, Retry
from legato.model.tasks import Task


@dataclass(frozen=True)
class RetryPlan:
    """Try again at ``at``, with ``policy``'s behaviour."""

    at: datetime
    behavior: str
    warning_on_retry: bool


def policy_for(task: Task, ancestors: Iterable[Task], flow_retry: Retry | None) -> Retry | None:
    """The retry policy that applies to ``task``."""
    if task.retry is not None:
        return task.retry
    for parent in ancestors:
        if parent.retry is not None:
            return parent.retry
    return flow_retry


def delay(policy: Retry, attempts: int, run_id: str) -> timedelta:
    """The wait before attempt ``attempts + 1``."""
    if isinstance(policy, ConstantRetry):
        return policy.interval
    if isinstance(policy, ExponentialRetry):
        factor = policy.delayFactor if policy.delayFactor is not None else 2.0
        return min(policy.interval * factor * attempts, policy.maxInterval)
    assert isinstance(policy, RandomRetry)
    digest = hashlib.sha256(f"{run_id}:{attempts}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return policy.minInterval + (policy.maxInterval - policy.minInterval) * fraction


def plan(policy: Retry | None, run: TaskRun, now: datetime) -> RetryPlan | None:
    """When to try ``run`` again after its last attempt failed at ``now``; None = no retry."""
    if policy is None:
        return None
    attempts = len(run.attempts)
    if policy.maxAttempts is not None and attempts >= policy.maxAttempts:
        return None
    at = now + delay(policy, attempts, run.id)
    if policy.maxDuration is not None and run.attempts:
        first = run.attempts[0].state.startDate
        if at > first + policy.maxDuration:
            return None
    return RetryPlan(at, policy.behavior, policy.warningOnRetry)


def had_retries(run: TaskRun) -> bool:
    """True when ``run`` needed more than one attempt."""
    return len(run.attempts) > 1
