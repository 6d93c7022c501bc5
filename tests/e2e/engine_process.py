"""A whole engine (executor + worker) in its own process, until killed: the crash test's
victim. Usage: ``python engine_process.py LEGATO_HOME``."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from legato import bootstrap, config

OPTIONS = bootstrap.EngineOptions(
    executor_id="crash-test-executor", heartbeat_interval=0.2, stale_after=1.0
)


async def main(home: Path) -> None:
    settings = config.Settings.for_home(home, worker_threads=8)
    async with bootstrap.open_engine(settings, options=OPTIONS) as engine, engine.running():
        print("ready", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
