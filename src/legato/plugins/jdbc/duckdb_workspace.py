"""The files around a DuckDB task run: its database, working directory, input and output files.

Invariants (Kestra's DuckDB Query):

* ``url`` ``jdbc:duckdb:`` (the default) is a fresh database file in the task's working
  directory; ``jdbc:duckdb:/abs/path.db`` opens that file and its folder (created if missing)
  becomes the working directory; a relative path is resolved in the working directory;
  ``:memory:`` and MotherDuck (``md:``) databases are passed to DuckDB as written.
* ``databaseUri`` (a ``kestra://`` DuckDB file) is copied into the working directory and
  opened instead of the URL's database.
* ``inputFiles`` (name → content or ``kestra://`` URI, or a JSON string of that map) are
  written into the working directory; names must stay inside it.
* Each ``outputFiles`` key gets an empty file ``<key>_<random>.tmp`` in the working directory;
  SQL reaches it as ``{{ outputFiles.key }}`` and, after the run, it is uploaded and reported
  under its key in the ``outputFiles`` output (always present, possibly empty).
* SQL, ``inputFiles`` and ``outputFiles`` render with ``workingDir`` (and ``dbFilePath`` when
  the database is a file); ``outputDbFile`` uploads the database file → ``databaseUri``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legato.plugins.jdbc.urls import require_duckdb_url
from legato.sdk.input_files import input_file_map, write_input_files
from legato.sdk.run_context import RunContext, TaskError

PREFIX = "jdbc:duckdb:"


@dataclass
class DuckDbWorkspace:
    """Where a DuckDB task run keeps its database and files."""

    directory: Path
    database: str
    database_file: Path | None
    output_files: dict[str, Path] = field(default_factory=dict)

    @property
    def variables(self) -> dict[str, Any]:
        """Extra render variables: ``workingDir``, ``outputFiles``, ``dbFilePath``."""
        out: dict[str, Any] = {"workingDir": str(self.directory)}
        if self.output_files:
            out["outputFiles"] = {key: str(path) for key, path in self.output_files.items()}
        if self.database_file is not None:
            out["dbFilePath"] = str(self.database_file)
        return out


def prepare_workspace(
    ctx: RunContext,
    url: str,
    *,
    input_files: Any = None,
    output_keys: Any = None,
    database_uri: Any = None,
) -> DuckDbWorkspace:
    """Resolve the database and working directory, write inputs, name outputs."""
    workspace = _locate(ctx, url)
    if database_uri is not None:
        source = ctx.render_string(database_uri, workspace.variables)
        copy = workspace.directory / f"{uuid.uuid4().hex}.duckdb"
        copy.write_bytes(ctx.storage.get_bytes(source))
        workspace.database, workspace.database_file = str(copy), copy
    for key in _rendered_list(ctx, output_keys, workspace.variables):
        if not key or "/" in key or key.startswith("."):
            raise TaskError(
                f"outputFiles key '{key}' must be a plain name (no '/', not starting with '.')",
                retryable=False,
            )
        path = workspace.directory / f"{key}_{uuid.uuid4().hex[:12]}.tmp"
        path.touch()
        workspace.output_files[key] = path
    files = input_file_map(ctx, input_files, workspace.variables)
    write_input_files(ctx, files, workspace.directory)
    return workspace


def _locate(ctx: RunContext, url: str) -> DuckDbWorkspace:
    try:
        rest = require_duckdb_url(url.strip())[len(PREFIX) :]
    except ValueError as error:
        raise TaskError(f"url: {error}", retryable=False) from None
    working = ctx.working_dir()
    if not rest:
        database = working / f"{uuid.uuid4().hex}.db"
        return DuckDbWorkspace(working, str(database), database)
    if rest.startswith((":memory:", "md:", "motherduck:")):
        return DuckDbWorkspace(working, rest, None)
    path = Path(rest.split("?", 1)[0])
    if not path.is_absolute():
        path = working / path
        return DuckDbWorkspace(working, str(path), path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDbWorkspace(path.parent, str(path), path)


def _rendered_list(ctx: RunContext, value: Any, variables: Mapping[str, Any]) -> list[str]:
    if value is None:
        return []
    rendered = ctx.render(value, variables)
    if isinstance(rendered, str):
        rendered = json.loads(rendered) if rendered.strip().startswith("[") else [rendered]
    if not isinstance(rendered, list):
        raise TaskError("outputFiles must render to a list of keys", retryable=False)
    return [str(item) for item in rendered]


def finish_workspace(
    ctx: RunContext, workspace: DuckDbWorkspace, *, output_db: bool
) -> dict[str, Any]:
    """Upload the output files (and the database with ``output_db``): the extra outputs."""
    uploaded = {
        key: ctx.storage.put_file(path, path.name) for key, path in workspace.output_files.items()
    }
    outputs: dict[str, Any] = {"outputFiles": uploaded}
    if output_db:
        if workspace.database_file is None or not workspace.database_file.exists():
            raise TaskError(
                f"outputDbFile: the database '{workspace.database}' is not a local file; "
                "use the default url or a file path to get it back",
                retryable=False,
            )
        outputs["databaseUri"] = ctx.storage.put_file(
            workspace.database_file, workspace.database_file.name
        )
    return outputs
