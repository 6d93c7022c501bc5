"""``legato server``: its roles are listed, a bad flow of ``--flows`` stops it before it
serves, and a signal stops a serving process with status 0 (the process tests are in
tests/e2e/test_server_processes.py)."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from typer.testing import CliRunner

from legato import bootstrap, config
from legato.cli.commands.server import serve
from legato.cli.main import app

RUNNER = CliRunner()


def test_the_roles_are_listed() -> None:
    result = RUNNER.invoke(app, ["server", "--help"])
    assert result.exit_code == 0
    for role in ("standalone", "executor", "worker"):
        assert role in result.output


def test_kestras_option_spellings_are_accepted(tmp_path: Path) -> None:
    bad = tmp_path / "flows" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("id: bad\nnamespace: n\ntasks:\n  - id: t\n    type: nope.Nope\n")
    home = str(tmp_path / "home")
    for args in (
        ["standalone", "--worker-thread", "2", "--flow-path", str(bad)],
        ["standalone", "-t", "2", "-f", str(bad)],
        ["executor", "--flow-path", str(bad)],
    ):
        result = RUNNER.invoke(app, ["server", *args, "--home", home])
        assert result.exit_code == 1, (args, result.output)  # parsed; the flow is refused
        assert "bad.yaml" in result.output
    worker = RUNNER.invoke(app, ["server", "worker", "--thread", "0", "--home", home])
    assert worker.exit_code == 2
    assert "--thread" in worker.output


def test_an_invalid_flow_of_flows_stops_the_server_before_it_serves(tmp_path: Path) -> None:
    bad = tmp_path / "flows" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("id: bad\nnamespace: n\ntasks:\n  - id: t\n    type: nope.Nope\n")
    result = RUNNER.invoke(
        app, ["server", "standalone", "--home", str(tmp_path / "home"), "--flows", str(bad)]
    )
    assert result.exit_code == 1
    assert "bad.yaml" in result.output
    assert "ready on" not in result.output


def test_a_signal_stops_a_serving_process_with_status_0(tmp_path: Path) -> None:
    settings = config.Settings.for_home(tmp_path, worker_threads=2)

    async def scenario() -> int:
        default = signal.getsignal(signal.SIGTERM)
        serving = asyncio.create_task(serve(settings, bootstrap.Role.STANDALONE, []))
        for _ in range(200):  # until serve handles SIGTERM (a default one would end pytest)
            if signal.getsignal(signal.SIGTERM) is not default:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("serve never handled SIGTERM")
        os.kill(os.getpid(), signal.SIGTERM)
        return await asyncio.wait_for(serving, 15)

    assert asyncio.run(scenario()) == 0
