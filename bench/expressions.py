"""Benchmarks for the expression engine: ``uv run --frozen python bench/expressions.py``.

Prints a small table. Each part is one function returning rows of (name, value, unit), so more
parts (e.g. ``legato flow validate`` over 1,000 flows) can be added to ``PARTS`` later.
Goal: the cached SQL template below renders at least 50,000 times per second on one core.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from legato.expressions import Environment

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


PARTS: list[Callable[[], list[Row]]] = [expression_rendering]


def main() -> None:
    rows = [row for part in PARTS for row in part()]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'benchmark':<{width}}  {'value':>12}  unit")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>12,.2f}  {unit}")


if __name__ == "__main__":
    main()
