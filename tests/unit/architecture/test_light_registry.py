"""Loading the plugin registry stays light: no driver or file-format library is imported.

Every ``legato`` command and engine loads ``PluginRegistry.from_entry_points()``; the plugin
declaration modules must not import psycopg, duckdb, pymysql, pyarrow, fastavro, openpyxl, httpx
or croniter at top level (~0.5 s and ~80 MB together). Those load in the modules a task's ``run``
imports. Each check runs in a fresh interpreter, since this test process has long imported them.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY_LIBRARIES = (
    "psycopg",
    "duckdb",
    "pymysql",
    "pyarrow",
    "fastavro",
    "openpyxl",
    "httpx",
    "croniter",
)

# Declared in modules that used to import a heavy library: they must still register.
TASKS_BACKED_BY_HEAVY_LIBRARIES = (
    "io.kestra.plugin.jdbc.postgresql.Query",
    "io.kestra.plugin.jdbc.postgresql.CopyIn",
    "io.kestra.plugin.jdbc.duckdb.Query",
    "io.kestra.plugin.jdbc.sqlite.Query",
    "io.kestra.plugin.jdbc.mysql.Query",
    "io.kestra.plugin.jdbc.mysql.Queries",
    "io.kestra.plugin.serdes.parquet.IonToParquet",
    "io.kestra.plugin.serdes.avro.AvroToIon",
    "io.kestra.plugin.serdes.excel.ExcelToIon",
    "io.kestra.plugin.core.http.Request",
    "io.kestra.plugin.core.http.Download",
)

# A module importing each library: its run-time module where there is one, else the library
# itself (avro_tasks and triggers.schedule import theirs inside the function that uses it).
IMPORTERS = {
    "psycopg": "legato.plugins.jdbc.postgres_session",
    "duckdb": "legato.plugins.jdbc.duckdb_session",
    "pymysql": "legato.plugins.jdbc.mysql_session",
    "pyarrow": "legato.plugins.serdes.parquet_arrow",
    "fastavro": "fastavro",
    "openpyxl": "legato.plugins.serdes.excel_sheets",
    "httpx": "legato.plugins.core.http_exchange",
    "croniter": "croniter",
}

PROBE = """
import json, sys
from legato.model.registry import PluginRegistry

registry = PluginRegistry.from_entry_points()
for module in sys.argv[1:]:
    __import__(module)
print(json.dumps({
    "types": [cls.plugin_type for cls in registry.classes()],
    "modules": sorted(sys.modules),
}))
"""


def probe(*imports: str) -> tuple[set[str], set[str]]:
    """In a fresh interpreter, load the registry then import ``imports``: the registered task
    types and the heavy libraries in ``sys.modules``."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *imports],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    loaded = {
        library
        for library in HEAVY_LIBRARIES
        for module in report["modules"]
        if module == library or module.startswith(library + ".")
    }
    return set(report["types"]), loaded


def test_loading_the_registry_imports_no_heavy_library() -> None:
    types, loaded = probe()
    assert set(TASKS_BACKED_BY_HEAVY_LIBRARIES) <= types
    assert loaded == set(), (
        f"loading the plugin registry imported {sorted(loaded)}: import them in the code a "
        "task's run uses (a function-level import), not at the top of a declaration module"
    )


def test_the_probe_sees_each_library_once_something_imports_it() -> None:
    _, loaded = probe(*IMPORTERS.values())
    assert loaded == set(HEAVY_LIBRARIES)
