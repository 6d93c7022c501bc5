"""Plugin group serdes: Kestra's plugin-serdes conversions between Ion (the rows of internal
storage, e.g. JDBC ``fetchType: STORE`` results) and CSV, JSON, Parquet, Avro,
YAML, Excel and XML files."""

from __future__ import annotations

from legato.model.plugin import Plugin
from legato.plugins.serdes import (
    avro_tasks,
    csv_to_ion,
    excel_tasks,
    ion_to_csv,
    json_tasks,
    parquet_tasks,
    xml_tasks,
    yaml_json_tasks,
    yaml_tasks,
)

PLUGINS: list[type[Plugin]] = [
    csv_to_ion.CsvToIon,
    ion_to_csv.IonToCsv,
    json_tasks.JsonToIon,
    json_tasks.IonToJson,
    json_tasks.JsonToJsonl,
    parquet_tasks.IonToParquet,
    parquet_tasks.ParquetToIon,
    avro_tasks.IonToAvro,
    avro_tasks.AvroToIon,
    avro_tasks.InferAvroSchemaFromIon,
    yaml_tasks.YamlToIon,
    yaml_tasks.IonToYaml,
    yaml_json_tasks.JsonToYaml,
    yaml_json_tasks.YamlToJson,
    excel_tasks.IonToExcel,
    excel_tasks.ExcelToIon,
    xml_tasks.XmlToIon,
    xml_tasks.IonToXml,
]
