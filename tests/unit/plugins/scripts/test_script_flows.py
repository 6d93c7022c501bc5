"""Script tasks inside whole flows: violations are located where the user wrote them."""

from __future__ import annotations

import pytest

from legato.errors import FlowValidationError
from legato.model import parsing
from legato.model.registry import PluginRegistry
from legato.plugins.scripts import PLUGINS, python

REGISTRY = PluginRegistry(PLUGINS)

FLOW = """\
id: scripts
namespace: company.team
tasks:
  - id: python
    type: io.kestra.plugin.scripts.python.Script
    outputFiles:
      - "*.csv"
      - ../secret.txt
    script: print(1)
"""


def test_bad_output_glob_is_reported_at_its_list_item() -> None:
    with pytest.raises(FlowValidationError) as info:
        parsing.parse_flow(FLOW, REGISTRY)
    [violation] = info.value.violations
    assert violation.path == "tasks[0].outputFiles[1]"
    assert violation.line == 8
    assert "'../secret.txt'" in violation.message


def test_a_valid_script_flow_parses() -> None:
    flow = parsing.parse_flow(FLOW.replace("../secret.txt", "out/secret.txt"), REGISTRY)
    [task] = flow.tasks
    assert isinstance(task, python.PythonScript)
    assert task.outputFiles == ["*.csv", "out/secret.txt"]
