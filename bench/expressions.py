"""Benchmarks for the expression engine: ``uv run --frozen python bench/expressions.py``.

Prints a small table. Each part is one function returning rows of (name, value, unit).
Goals: the cached SQL template below renders at least 50,000 times per second on one core, and
``legato flow validate`` checks 1,000 flows in under 2 seconds.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from legato.errors import FlowValidationError
from legato.expressions import Environment
from legato.model import parsing
from legato.model.registry import PluginRegistry

ROOT = Path(__file__).resolve().parents[1]

Row = tuple[str, float, str]

SQL_TEMPLATE = """\
SELECT id, name, amount
FROM {{ vars.schema }}.{{ inputs.table }}
WHERE created_at >= '{{ trigger.date ?? execution.startDate }}'
  AND region = '{{ inputs.region }}'
  AND amount > {{ vars.threshold * 2 }}
  AND tenant = '{{ flow.namespace ~ "." ~ flow.id }}'
ORDER BY created_at
LIMIT 1000
-- execution {{ execution.id }}
;"""

VARIABLES = {
    "vars": {"schema": "analytics", "threshold": 50},
    "inputs": {"table": "orders", "region": "eu-west"},
    "trigger": {"date": None},
    "execution": {"id": "4vHg2mQbWnE", "startDate": "2024-05-01T10:00:00Z"},
    "flow": {"namespace": "company.team", "id": "daily_orders"},
}


def timed(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(1000):
            fn()
        count += 1000
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def expression_rendering() -> list[Row]:
    """Render throughput of a cached template, and its cold parse time."""
    env = Environment()
    start = time.perf_counter()
    env.parse(SQL_TEMPLATE)
    parse_ms = (time.perf_counter() - start) * 1000
    rate = timed(lambda: env.render(SQL_TEMPLATE, VARIABLES))
    typed = timed(lambda: env.render_typed("{{ vars.threshold * 2 }}", VARIABLES))
    return [
        ("parse SQL template (cold)", parse_ms, "ms"),
        ("render SQL template (cached)", rate, "renders/s"),
        ("render_typed lone expression", typed, "renders/s"),
    ]


def _parses(text: str, registry: PluginRegistry) -> bool:
    try:
        parsing.parse_flow(text, registry)
    except FlowValidationError:
        return False
    return True


def flow_validation(count: int = 1000) -> list[Row]:
    """Time ``legato flow validate`` over ``count`` flows (the valid test corpus, repeated).

    Reports the whole command (process start, plugin loading, parsing) and the in-process
    parse rate. Goal: under 2 s for 1,000 flows.
    """
    registry = PluginRegistry.from_entry_points()
    corpus = sorted((ROOT / "tests" / "flows" / "valid").glob("*.y*ml"))
    texts = [p.read_text(encoding="utf-8") for p in corpus]
    sources = [text for text in texts if "\n---" not in text and _parses(text, registry)]
    with tempfile.TemporaryDirectory() as folder:
        for i in range(count):
            Path(folder, f"flow_{i:04d}.yaml").write_text(sources[i % len(sources)])
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "legato.cli", "flow", "validate", folder],
            capture_output=True,
            text=True,
            check=False,
        )
        command_s = time.perf_counter() - start
    valid = done.stdout.count("OK ")
    if done.returncode != 0 or valid != count:
        raise SystemExit(f"flow validate failed ({valid}/{count} OK):\n{done.stdout[-2000:]}")
    start = time.perf_counter()
    for i in range(count):
        parsing.parse_flow(sources[i % len(sources)], registry)
    parse_s = time.perf_counter() - start
    return [
        (f"legato flow validate, {count} flows (whole command)", command_s, "s"),
        (f"parse + validate in process, {count} flows", parse_s, "s"),
        ("parse + validate per flow", parse_s / count * 1000, "ms"),
    ]


PARTS: list[Callable[[], list[Row]]] = [expression_rendering, flow_validation]


def main() -> None:
    rows = [row for part in PARTS for row in part()]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'benchmark':<{width}}  {'value':>12}  unit")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>12,.2f}  {unit}")


if __name__ == "__main__":
    main()
