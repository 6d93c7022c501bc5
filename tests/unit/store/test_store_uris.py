"""Internal storage URIs follow Kestra's layout (reference §8) and refuse escapes."""

from __future__ import annotations

import pytest

from legato.store import uris
from legato.store.uris import StorageURIError


def test_task_run_prefix_uses_namespace_path_and_slugs() -> None:
    prefix = uris.task_run_prefix("company.team", "My_Flow", "exec1", "Log Task", "run1")
    assert prefix == "kestra:///company/team/my-flow/executions/exec1/tasks/log-task/run1"


def test_input_and_namespace_file_prefixes() -> None:
    assert (
        uris.input_prefix("company.team", "hello", "e1", "file")
        == "kestra:///company/team/hello/executions/e1/inputs/file"
    )
    assert uris.namespace_files_prefix("company.team") == "kestra:///company/team/_files"


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Hello World", "hello-world"), ("déjà_vu--x", "deja-vu-x"), ("a.b", "ab")],
)
def test_slugify(text: str, slug: str) -> None:
    assert uris.slugify(text) == slug


def test_relative_path_and_back() -> None:
    assert uris.relative_path("kestra:///a/b//c.txt") == "a/b/c.txt"
    assert uris.relative_path("kestra:///") == ""
    assert uris.to_uri("a/b/c.txt") == "kestra:///a/b/c.txt"


@pytest.mark.parametrize(
    "uri", ["kestra://a/b", "s3:///a", "kestra:///a/../b", "kestra:///./a", "kestra:///a\x00b"]
)
def test_bad_uris_are_refused_with_the_uri_named(uri: str) -> None:
    with pytest.raises(StorageURIError) as caught:
        uris.relative_path(uri)
    assert repr(uri)[1:-1] in str(caught.value) or uri in str(caught.value)
