"""git declarations: documented examples, defaults, required properties, deprecated Push."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from plugin_support import declaration_error, validate_declaration

from legato.model.plugin import PluginKind
from legato.model.registry import PluginRegistry
from legato.plugins.git import PLUGINS, tasks

REGISTRY = PluginRegistry(PLUGINS)
REPO = "https://github.com/kestra-io/blueprints"


validate = partial(validate_declaration, REGISTRY)
error = partial(declaration_error, REGISTRY)


def test_registers_the_git_tasks() -> None:
    assert REGISTRY.types(PluginKind.TASK) == sorted(
        f"io.kestra.plugin.git.{name}"
        for name in (
            "Clone",
            "SyncFlows",
            "SyncNamespaceFiles",
            "PushFlows",
            "PushNamespaceFiles",
            "Push",
        )
    )


def test_documented_clone_examples_and_defaults() -> None:
    task, _ = validate(
        {
            "id": "clone",
            "type": "io.kestra.plugin.git.Clone",
            "url": REPO,
            "branch": "main",
            "username": "git_username",
            "password": "token",
        }
    )
    assert isinstance(task, tasks.Clone)
    assert task.depth == 1
    assert task.cloneAllBranches is True
    assert task.noTags is False
    assert task.cache is False
    assert task.connectTimeout == 10000
    assert task.readTimeout == 60000
    cached, _ = validate(
        {
            "id": "clone",
            "type": "io.kestra.plugin.git.Clone",
            "url": REPO,
            "branch": "main",
            "cache": True,
            "cacheTtl": "PT24H",
        }
    )
    assert cached.cacheTtl == timedelta(hours=24)
    ssh, _ = validate(
        {
            "id": "clone",
            "type": "io.kestra.plugin.git.Clone",
            "url": "git@github.com:kestra-io/kestra.git",
            "directory": "kestra",
            "privateKey": "-----BEGIN EC PRIVATE KEY-----",
            "passphrase": "pw",
        }
    )
    assert ssh.directory == "kestra"


def test_clone_requires_url() -> None:
    assert "url" in error({"id": "c", "type": "io.kestra.plugin.git.Clone", "branch": "main"})


def test_clone_depth_must_be_positive() -> None:
    assert "depth" in error(
        {"id": "c", "type": "io.kestra.plugin.git.Clone", "url": REPO, "depth": 0}
    )


def test_documented_sync_flows_example() -> None:
    task, _ = validate(
        {
            "id": "git",
            "type": "io.kestra.plugin.git.SyncFlows",
            "gitDirectory": "flows",
            "targetNamespace": "git",
            "includeChildNamespaces": True,
            "delete": True,
            "url": "https://github.com/kestra-io/flows",
            "branch": "main",
            "username": "git_username",
            "password": "token",
            "dryRun": True,
        }
    )
    assert isinstance(task, tasks.SyncFlows)
    assert task.dryRun is True
    bare, _ = validate(
        {
            "id": "s",
            "type": "io.kestra.plugin.git.SyncFlows",
            "url": REPO,
            "targetNamespace": "prod",
        }
    )
    assert isinstance(bare, tasks.SyncFlows)
    assert (bare.branch, bare.gitDirectory) == ("main", "_flows")
    assert (bare.includeChildNamespaces, bare.delete, bare.dryRun) == (False, False, False)
    assert bare.ignoreInvalidFlows is False


def test_sync_flows_requires_target_namespace() -> None:
    assert "targetNamespace" in error(
        {"id": "s", "type": "io.kestra.plugin.git.SyncFlows", "url": REPO}
    )


def test_sync_namespace_files_defaults() -> None:
    task, _ = validate(
        {
            "id": "s",
            "type": "io.kestra.plugin.git.SyncNamespaceFiles",
            "url": REPO,
            "namespace": "prod",
        }
    )
    assert isinstance(task, tasks.SyncNamespaceFiles)
    assert task.gitDirectory == "_files"
    assert task.delete is False
    assert task.branch == "main"


def test_documented_push_flows_example_and_defaults() -> None:
    task, _ = validate(
        {
            "id": "commit_and_push",
            "type": "io.kestra.plugin.git.PushFlows",
            "sourceNamespace": "prod",
            "targetNamespace": "prod",
            "flows": "myflow",
            "url": "https://github.com/kestra-io/scripts",
            "username": "git_username",
            "password": "token",
            "branch": "kestra",
            "commitMessage": "add flow",
        }
    )
    assert isinstance(task, tasks.PushFlows)
    assert task.flows == "myflow"
    bare, _ = validate({"id": "p", "type": "io.kestra.plugin.git.PushFlows", "url": REPO})
    assert isinstance(bare, tasks.PushFlows)
    assert bare.branch == "main"
    assert bare.gitDirectory == "_flows"
    assert bare.sourceNamespace == "{{ flow.namespace }}"
    assert bare.includeChildNamespaces is False
    assert bare.dryRun is False


def test_push_namespace_files_accepts_one_glob_or_a_list() -> None:
    one, _ = validate(
        {
            "id": "p",
            "type": "io.kestra.plugin.git.PushNamespaceFiles",
            "url": REPO,
            "files": "**/*.py",
        }
    )
    many, _ = validate(
        {
            "id": "p",
            "type": "io.kestra.plugin.git.PushNamespaceFiles",
            "url": REPO,
            "files": ["scripts/*.py", "sql/*.sql"],
            "gitDirectory": "_files",
        }
    )
    assert one.files == "**/*.py"
    assert many.files == ["scripts/*.py", "sql/*.sql"]
    assert many.errorOnMissing is False
    assert "files" in error(
        {"id": "p", "type": "io.kestra.plugin.git.PushNamespaceFiles", "files": {"a": 1}}
    )


def test_deprecated_push_requires_branch_and_message() -> None:
    message = error({"id": "p", "type": "io.kestra.plugin.git.Push", "url": REPO})
    assert "branch" in message and "commitMessage" in message
    task, _ = validate(
        {
            "id": "p",
            "type": "io.kestra.plugin.git.Push",
            "url": REPO,
            "branch": "dev",
            "commitMessage": "update",
            "author": {"name": "me", "email": "me@example.com"},
        }
    )
    assert isinstance(task, tasks.Push)
    assert task.flows.enabled is True
    assert task.flows.childNamespaces is True
    assert task.flows.gitDirectory == "_flows"
    assert task.addFilesPattern == ["."]
    assert tasks.Push.deprecated is True


def test_unknown_property_is_rejected() -> None:
    assert "repository" in error(
        {"id": "c", "type": "io.kestra.plugin.git.Clone", "url": REPO, "repository": REPO}
    )
