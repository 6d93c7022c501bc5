"""Plugin group gcp: Google Cloud Storage and BigQuery tasks of Kestra's plugin-gcp.

Declarations only (validation); running them comes later.
"""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.gcp import bigquery, gcs

PLUGINS: list[type[Plugin]] = [*gcs.PLUGINS, *bigquery.PLUGINS]
