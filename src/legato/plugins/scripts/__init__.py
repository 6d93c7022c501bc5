"""Plugin group scripts: Kestra's ``plugin-scripts`` task types and the Docker task runner.

Script tasks run with the Process runner (``execute``/``runner``/``process``; a task asking for
Docker falls back to it with one warning, ``fallback``). The shared script-task properties live
in ``legato.sdk.scripts`` so the dbt group can reuse them.
"""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.scripts import docker, languages, legacy, python

PLUGINS: list[type[Plugin]] = [
    python.PythonScript,
    python.PythonCommands,
    *languages.TASKS,
    legacy.Bash,
    legacy.Python,
    legacy.Node,
    docker.DockerTaskRunner,
]
