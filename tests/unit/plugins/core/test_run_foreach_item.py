"""Worker side of ForEachItem's internal tasks: ``_split`` batches a file, ``_merge`` writes the
subflows' outputs as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from run_support import FakeRunContext

from legato.plugins.core.flow import foreach_item
from legato.sdk.run_context import TaskError

BASE = foreach_item.BASE


def split(**props: object) -> foreach_item.ForEachItemSplit:
    return foreach_item.ForEachItemSplit(
        id="fe_split",
        type=BASE + "ForEachItemSplit",
        **props,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"rows": 2}, [b"a\nb\n", b"c\nd\n", b"e\n"]),
        ({"partitions": 2}, [b"a\nc\ne\n", b"b\nd\n"]),
        ({"bytes": "4"}, [b"a\nb\n", b"c\nd\n", b"e\n"]),
    ],
)
def test_split_batches_the_items_file(
    tmp_path: Path, props: dict[str, object], expected: list[bytes]
) -> None:
    ctx = FakeRunContext(tmp_path)
    source = ctx.storage.put_bytes(b"a\nb\nc\nd\ne\n", "items.txt")
    outputs = split(items=source, **props).run(ctx)  # type: ignore[arg-type]
    assert outputs is not None
    assert [ctx.storage.get_bytes(uri) for uri in outputs["splits"]] == expected


def test_split_needs_a_batch_rule(tmp_path: Path) -> None:
    ctx = FakeRunContext(tmp_path)
    source = ctx.storage.put_bytes(b"a\n", "items.txt")
    with pytest.raises(TaskError, match="rows"):
        split(items=source, rows=None).run(ctx)  # type: ignore[arg-type]


def test_merge_writes_one_json_line_per_subflow(tmp_path: Path) -> None:
    ctx = FakeRunContext(
        tmp_path, variables={"outputs": {"fe_items": {"subflowOutputs": [{"n": 1}, {"n": 2}]}}}
    )
    merge = foreach_item.ForEachItemMergeOutputs(
        id="fe_merge",
        type=BASE + "ForEachItemMergeOutputs",
        subflowOutputs="{{ outputs.fe_items.subflowOutputs }}",
    )
    outputs = merge.run(ctx)  # type: ignore[arg-type]
    assert outputs is not None
    lines = ctx.storage.get_bytes(outputs["subflowOutputs"]).decode().splitlines()
    assert [json.loads(line) for line in lines] == [{"n": 1}, {"n": 2}]
