"""Storage tasks run: Write, Concat, Split, Delete, Size, Reverse, LocalFiles,
PurgeCurrentExecutionFiles, FilterItems and DeduplicateItems, with Kestra's outputs and file
layouts (expected values follow Kestra's own tests and examples: SplitTest, ReverseTest,
ConcatTest, the DeduplicateItems and FilterItems examples)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from core_support import task
from run_support import EXECUTION_PREFIX, FakeRunContext

from legato.expressions.filters.ion import from_ion
from legato.plugins.core import globs, storage_files, storage_split
from legato.sdk.run_context import TaskError

S = "io.kestra.plugin.core.storage."


@pytest.fixture
def ctx(tmp_path: Path) -> FakeRunContext:
    return FakeRunContext(tmp_path, variables={"inputs": {"name": "Ada"}})


def run(ctx: FakeRunContext, type_name: str, **props: Any) -> dict[str, Any]:
    outputs: dict[str, Any] = task({"id": "t", "type": S + type_name, **props}).run(ctx)
    return outputs


def padded(count: int) -> list[str]:
    """Kestra's SplitTest content: numbers left-padded to 20 characters."""
    return [str(n).rjust(20) for n in range(count)]


def upload(ctx: FakeRunContext, lines: list[str], name: str = "get.yml") -> str:
    return ctx.storage.put_bytes(("\n".join(lines) + "\n").encode(), name)


def read_all(ctx: FakeRunContext, uris: list[str]) -> str:
    return "".join(ctx.storage.get_bytes(uri).decode() for uri in uris)


def test_write_renders_content_with_extension(ctx: FakeRunContext) -> None:
    outputs = run(ctx, "Write", content="Hello {{ inputs.name }}", extension=".txt")
    assert outputs["uri"].startswith("kestra:///") and outputs["uri"].endswith(".txt")
    assert ctx.storage.get_bytes(outputs["uri"]) == b"Hello Ada"


def test_write_without_extension_makes_a_tmp_file(ctx: FakeRunContext) -> None:
    assert run(ctx, "Write", content="x")["uri"].endswith(".tmp")


def test_concat_list_appends_separator_after_each_file(ctx: FakeRunContext) -> None:
    a = ctx.storage.put_bytes(b"Hello John", "a.txt")
    b = ctx.storage.put_bytes(b"Hello Jane", "b.txt")
    outputs = run(ctx, "Concat", files=[a, b], separator="\n")
    assert outputs["uri"].endswith(".tmp")
    assert ctx.storage.get_bytes(outputs["uri"]) == b"Hello John\nHello Jane\n"


def test_concat_json_string_of_uris_with_extension(ctx: FakeRunContext) -> None:
    a = ctx.storage.put_bytes(b"1", "a.txt")
    b = ctx.storage.put_bytes(b"2", "b.txt")
    ctx.variables["outputs"] = {"gen": {"files": [a, b]}}
    outputs = run(ctx, "Concat", files="{{ outputs.gen.files | json }}", extension=".csv")
    assert outputs["uri"].endswith(".csv")
    assert ctx.storage.get_bytes(outputs["uri"]) == b"12"


def test_concat_refuses_a_non_list(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="JSON array"):
        run(ctx, "Concat", files="not json")


def test_split_rows(ctx: FakeRunContext) -> None:
    source = upload(ctx, padded(1000))
    outputs = run(ctx, "Split", **{"from": source, "rows": 10})
    assert len(outputs["uris"]) == 100
    assert read_all(ctx, outputs["uris"]) == "\n".join(padded(1000)) + "\n"


def test_split_bytes(ctx: FakeRunContext) -> None:
    source = upload(ctx, padded(12288))
    outputs = run(ctx, "Split", **{"from": source, "bytes": "1KB"})
    assert len(outputs["uris"]) == 251
    assert read_all(ctx, outputs["uris"]) == "\n".join(padded(12288)) + "\n"


def test_split_partitions_keeps_extension_and_every_line(ctx: FakeRunContext) -> None:
    source = upload(ctx, padded(1000))
    outputs = run(ctx, "Split", **{"from": source, "partitions": 8})
    assert len(outputs["uris"]) == 8
    assert all(uri.endswith(".yml") for uri in outputs["uris"])
    assert read_all(ctx, outputs["uris"]).count("\n") == 1000


def test_split_partitions_drops_empty_parts(ctx: FakeRunContext) -> None:
    source = upload(ctx, ["a", "b"])
    assert len(run(ctx, "Split", **{"from": source, "partitions": 5})["uris"]) == 2


def test_split_regex_groups_lines_by_first_capture(ctx: FakeRunContext) -> None:
    source = upload(ctx, ["[a] 1", "[b] 2", "none", "[a] 3"], "logs.txt")
    outputs = run(ctx, "Split", **{"from": source, "regexPattern": r"\[(\w+)\]"})
    assert [ctx.storage.get_bytes(u) for u in outputs["uris"]] == [b"[a] 1\n[a] 3\n", b"[b] 2\n"]


def test_split_custom_separator_and_crlf_input(ctx: FakeRunContext) -> None:
    source = ctx.storage.put_bytes(b"a\r\nb\rc\n", "x")
    outputs = run(ctx, "Split", **{"from": source, "rows": 2, "separator": ";"})
    assert outputs["uris"][0].endswith(".tmp")
    assert [ctx.storage.get_bytes(u) for u in outputs["uris"]] == [b"a;b;", b"c;"]


def test_split_without_strategy_fails(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="rows"):
        run(ctx, "Split", **{"from": upload(ctx, ["a"])})


def test_split_bad_size_fails(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="Invalid size"):
        run(ctx, "Split", **{"from": upload(ctx, ["a"]), "bytes": "ten"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1024", 1024), ("1KB", 1024), ("10MB", 10 * 1024**2), ("2gb", 2 * 1024**3)],
)
def test_readable_bytes(text: str, expected: int) -> None:
    assert storage_split.readable_bytes(text) == expected


def test_delete_existing_and_missing(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"x", "a.txt")
    assert run(ctx, "Delete", uri=uri) == {"uri": uri, "deleted": True}
    assert not ctx.storage.exists(uri)
    assert run(ctx, "Delete", uri=uri) == {"uri": uri, "deleted": False}


def test_delete_missing_with_error_on_missing_fails(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="Unable to find file 'kestra:///nope'"):
        run(ctx, "Delete", uri="kestra:///nope", errorOnMissing=True)


def test_size(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes("héllo".encode(), "a.txt")
    assert run(ctx, "Size", uri=uri) == {"size": 6}


def test_reverse_lines(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"1\n2\n3\n", "get.yml")
    outputs = run(ctx, "Reverse", **{"from": uri})
    assert outputs["uri"].endswith(".yml")
    assert ctx.storage.get_bytes(outputs["uri"]) == b"3\n2\n1\n"


def test_reverse_with_separator(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"a\r\nb", "f.txt")
    outputs = run(ctx, "Reverse", **{"from": uri, "separator": ","})
    assert ctx.storage.get_bytes(outputs["uri"]) == b"b,a,"


def test_reverse_in_many_segments_keeps_every_line(tmp_path: Path) -> None:
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    lines = [f"line {n} é" for n in range(1000)]
    source.write_bytes(("\r\n".join(lines) + "\n").encode("utf-8"))
    storage_files.reverse_lines(source, target, "utf-8", "\n", tmp_path, segment_chars=100)
    assert target.read_bytes().decode("utf-8") == "".join(f"{line}\n" for line in reversed(lines))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]


def test_reverse_with_another_charset(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes("é\nà\n".encode("latin-1"), "f.txt")
    outputs = run(ctx, "Reverse", **{"from": uri, "charset": "ISO-8859-1"})
    assert ctx.storage.get_bytes(outputs["uri"]) == "à\né\n".encode("latin-1")


def test_reverse_unknown_charset_fails(ctx: FakeRunContext) -> None:
    uri = ctx.storage.put_bytes(b"a", "f.txt")
    with pytest.raises(TaskError, match="charset"):
        run(ctx, "Reverse", **{"from": uri, "charset": "NOPE-8"})


def test_local_files_writes_inputs_and_uploads_outputs(ctx: FakeRunContext) -> None:
    source = ctx.storage.put_bytes(b'{"a": 1}', "x.json")
    outputs = run(
        ctx,
        "LocalFiles",
        inputs={"hello.txt": "Hello {{ inputs.name }}", "sub/dir/address.json": source},
        outputs=["sub/**", "*.txt"],
    )
    work = ctx.working_dir()
    assert (work / "hello.txt").read_text() == "Hello Ada"
    assert sorted(outputs["uris"]) == ["hello.txt", "sub/dir/address.json"]
    assert ctx.storage.get_bytes(outputs["uris"]["sub/dir/address.json"]) == b'{"a": 1}'


def test_local_files_refuses_paths_outside_the_working_directory(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="inside the working directory"):
        run(ctx, "LocalFiles", inputs={"../escape.txt": "x"})


def test_purge_current_execution_files(ctx: FakeRunContext) -> None:
    mine = ctx.storage.put_bytes(b"x", "a.txt")
    other = "kestra:///company/team/flow/executions/other/tasks/t/tr/a.txt"
    ctx.storage.files[other] = b"y"
    outputs = run(ctx, "PurgeCurrentExecutionFiles")
    assert outputs == {"uris": [mine]}
    assert mine.startswith(EXECUTION_PREFIX)
    assert ctx.storage.exists(other) and not ctx.storage.exists(mine)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.txt", "a.txt", True),
        ("*.txt", "dir/a.txt", False),
        ("**.txt", "dir/a.txt", True),
        ("sub/**", "sub/dir/a", True),
        ("/sub/*", "sub/a", True),
        ("{a,b}.csv", "b.csv", True),
        ("[!a]?.csv", "bc.csv", True),
        ("[!a]?.csv", "ac.csv", False),
    ],
)
def test_globs_follow_java_path_matcher(pattern: str, path: str, expected: bool) -> None:
    assert globs.matches(path, [pattern]) is expected


@pytest.mark.parametrize(
    ("text", "lines"),
    [("", []), ("a", ["a"]), ("a\n", ["a"]), ("a\n\nb", ["a", "", "b"]), ("a\r\n\r", ["a", ""])],
)
def test_java_lines(text: str, lines: list[str]) -> None:
    assert storage_files.java_lines(text) == lines


ORDERS = [
    ("1", "Kelly Olsen", "kelly@example.com", "20"),
    ("2", "Miguel Moore", "mccarthylee@example.net", "14"),
    ("3", "Kelly Olsen", "kelly@example.com", "20"),
    ("4", "Jessica White", "jessica@example.com", "12"),
    ("5", "Jessica White", "jessica@example.com", "12"),
]


def orders_ion(ctx: FakeRunContext) -> str:
    """Kestra's DeduplicateItems example data, as CsvToIon writes it (text columns)."""
    rows = [
        f'{{order_id:"{o}",customer_name:"{n}",customer_email:"{e}",product_id:"{p}"}}'
        for o, n, e, p in ORDERS
    ]
    return upload(ctx, rows, "orders.ion")


def ion_order_ids(ctx: FakeRunContext, uri: str) -> list[str]:
    return [row["order_id"] for row in from_ion(ctx.storage.get_bytes(uri).decode())]


def test_filter_items_include(ctx: FakeRunContext) -> None:
    outputs = run(
        ctx,
        "FilterItems",
        **{"from": orders_ion(ctx), "filterCondition": "{{ (product_id | number) == 20 }}"},
    )
    assert outputs["uri"].endswith(".ion")
    assert (outputs["processedItemsTotal"], outputs["droppedItemsTotal"]) == (5, 3)
    assert ion_order_ids(ctx, outputs["uri"]) == ["1", "3"]


def test_filter_items_exclude(ctx: FakeRunContext) -> None:
    outputs = run(
        ctx,
        "FilterItems",
        **{
            "from": orders_ion(ctx),
            "filterCondition": "{{ customer_name == 'Kelly Olsen' }}",
            "filterType": "EXCLUDE",
        },
    )
    assert ion_order_ids(ctx, outputs["uri"]) == ["2", "4", "5"]


def test_filter_items_error_fails_by_default(ctx: FakeRunContext) -> None:
    with pytest.raises(TaskError, match="errorOrNullBehavior"):
        run(ctx, "FilterItems", **{"from": orders_ion(ctx), "filterCondition": "{{ missing }}"})


@pytest.mark.parametrize(("behavior", "kept"), [("INCLUDE", 5), ("EXCLUDE", 0)])
def test_filter_items_error_behavior(ctx: FakeRunContext, behavior: str, kept: int) -> None:
    outputs = run(
        ctx,
        "FilterItems",
        **{
            "from": orders_ion(ctx),
            "filterCondition": "{{ missing }}",
            "errorOrNullBehavior": behavior,
        },
    )
    assert len(ion_order_ids(ctx, outputs["uri"])) == kept
    assert outputs["droppedItemsTotal"] == 5 - kept


def test_deduplicate_items_keeps_last_of_each_key(ctx: FakeRunContext) -> None:
    outputs = run(
        ctx, "DeduplicateItems", **{"from": orders_ion(ctx), "expr": "{{ customer_email }}"}
    )
    assert ion_order_ids(ctx, outputs["uri"]) == ["2", "3", "5"]
    assert (outputs["numKeys"], outputs["processedItemsTotal"], outputs["droppedItemsTotal"]) == (
        3,
        5,
        2,
    )
