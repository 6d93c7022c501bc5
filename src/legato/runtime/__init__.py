"""The pure execution machine: ``step(execution, event, ctx) -> Transition``.

No I/O, no wall clock, no randomness: time, ids and platform reads arrive through ``StepContext``.
"""

from __future__ import annotations
