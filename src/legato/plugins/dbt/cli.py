"""``io.kestra.plugin.dbt.cli.DbtCLI``: run dbt commands as a script task.

DbtCLI has every script-task property (``legato.sdk.scripts``) plus ``commands`` (required, at
least one), ``profiles`` (the ``profiles.yml`` content), ``projectDir``, ``parseRunResults``
(=true), ``logFormat`` JSON|TEXT|DEBUG|NONE (=JSON, appended to ``dbt`` commands),
``engine`` CORE|FUSION (=CORE, picks the default image) and ``storeManifest``/``loadManifest``
(``{key, namespace}``: keep ``manifest.json`` in the KV store). The default image is
``ghcr.io/kestra-io/dbt``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from legato.model.property import Dyn
from legato.sdk import plugin
from legato.sdk.scripts import ScriptTask

DBT_IMAGE = "ghcr.io/kestra-io/dbt"

LogFormat = Literal["JSON", "TEXT", "DEBUG", "NONE"]
Engine = Literal["CORE", "FUSION"]


class KvStoreManifest(BaseModel):
    """Where ``manifest.json`` is kept in the KV store."""

    model_config = ConfigDict(extra="forbid")

    key: Dyn[str]
    namespace: Dyn[str]


@plugin("io.kestra.plugin.dbt.cli.DbtCLI", title="Execute dbt CLI commands.")
class DbtCLI(ScriptTask):
    """Run dbt commands in a task runner (Docker by default)."""

    commands: Dyn[Annotated[list[str], Field(min_length=1)]]
    profiles: Dyn[str] | None = None
    projectDir: Dyn[str] | None = None
    parseRunResults: Dyn[bool] = True
    containerImage: Dyn[str] | None = DBT_IMAGE
    storeManifest: KvStoreManifest | None = None
    loadManifest: KvStoreManifest | None = None
    logFormat: Dyn[LogFormat] = "JSON"
    engine: Dyn[Engine] = "CORE"
