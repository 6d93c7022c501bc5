"""The serdes group registers through its entry point, under Kestra's type names and aliases."""

from __future__ import annotations

import pytest

from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry

S = "io.kestra.plugin.serdes."
TYPES = {
    "csv.CsvToIon": "csv.CsvReader",
    "csv.IonToCsv": "csv.CsvWriter",
    "json.JsonToIon": "json.JsonReader",
    "json.IonToJson": "json.JsonWriter",
    "json.JsonToJsonl": None,
    "parquet.IonToParquet": "parquet.ParquetWriter",
    "parquet.ParquetToIon": "parquet.ParquetReader",
    "avro.IonToAvro": "avro.AvroWriter",
    "avro.AvroToIon": "avro.AvroReader",
    "avro.InferAvroSchemaFromIon": None,
    "yaml.YamlToIon": None,
    "yaml.IonToYaml": None,
    "yaml.JsonToYaml": None,
    "yaml.YamlToJson": None,
    "excel.IonToExcel": None,
    "excel.ExcelToIon": None,
    "xml.XmlToIon": "xml.XmlReader",
    "xml.IonToXml": "xml.XmlWriter",
}


@pytest.fixture(scope="module")
def registry() -> PluginRegistry:
    return PluginRegistry.from_entry_points()


@pytest.mark.parametrize(("type_name", "alias"), TYPES.items())
def test_type_and_legacy_alias_resolve_to_one_class(
    registry: PluginRegistry, type_name: str, alias: str | None
) -> None:
    cls = registry.get(PluginKind.TASK, S + type_name)
    assert cls.plugin_type == S + type_name
    if alias is not None:
        assert registry.get(PluginKind.TASK, S + alias) is cls
