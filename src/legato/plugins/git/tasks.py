"""``io.kestra.plugin.git``: Clone, SyncFlows, SyncNamespaceFiles, PushFlows, PushNamespaceFiles
and the deprecated Push.

Every git task shares the connection: ``url`` (HTTP(S) or SSH), ``username``/``password`` (a
personal access token works as password), ``privateKey``/``passphrase`` for SSH,
``trustedCaPemPath``, ``noProxy``, ``connectTimeout`` (=10000 ms), ``readTimeout`` (=60000 ms) and
``gitConfig``. The Sync* tasks apply a Git directory to Kestra (``dryRun`` only reports), the
Push* tasks commit Kestra's flows or namespace files to a branch (=main).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from legato.model.plugin import Plugin
from legato.model.property import Duration, Dyn
from legato.sdk import RunnableTask, plugin
from legato.sdk.scripts import InputFiles, NamespaceFiles

FLOW_NAMESPACE = "{{ flow.namespace }}"
#: one glob or a list of globs
Globs = str | list[str]


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GitTask(RunnableTask):
    """Connection properties of every git task."""

    url: Dyn[str] | None = None
    username: Dyn[str] | None = None
    password: Dyn[str] | None = None
    privateKey: Dyn[str] | None = None
    passphrase: Dyn[str] | None = None
    trustedCaPemPath: Dyn[str] | None = None
    noProxy: Dyn[bool] | None = None
    connectTimeout: Dyn[Annotated[int, Field(ge=0)]] = 10000
    readTimeout: Dyn[Annotated[int, Field(ge=0)]] = 60000
    gitConfig: Dyn[dict[str, Any]] | None = None
    cloneSubmodules: Dyn[bool] | None = None


class KestraApiAuth(_Options):
    """How the sync tasks authenticate to Kestra's API."""

    username: Dyn[str] | None = None
    password: Dyn[str] | None = None
    apiToken: Dyn[str] | None = None
    auto: Dyn[bool] = True


class CloningTask(GitTask):
    """A git task that may call Kestra's API."""

    kestraUrl: Dyn[str] | None = None
    auth: KestraApiAuth | None = None


@plugin("io.kestra.plugin.git.Clone", title="Clone a repository into the working directory.")
class Clone(CloningTask):
    url: Dyn[str]
    directory: Dyn[str] | None = None
    branch: Dyn[str] | None = None
    depth: Dyn[Annotated[int, Field(ge=1)]] = 1
    commit: Dyn[str] | None = None
    tag: Dyn[str] | None = None
    cloneAllBranches: Dyn[bool] = True
    noTags: Dyn[bool] = False
    cache: Dyn[bool] = False
    cacheTtl: Dyn[Duration] | None = None


class SyncTask(CloningTask):
    """Apply what is in a Git directory to Kestra."""

    branch: Dyn[str] = "main"
    dryRun: bool = False
    delete: Dyn[bool] = False


@plugin("io.kestra.plugin.git.SyncFlows", title="Sync flows from Git to Kestra.")
class SyncFlows(SyncTask):
    targetNamespace: Dyn[str]
    gitDirectory: Dyn[str] = "_flows"
    includeChildNamespaces: Dyn[bool] = False
    ignoreInvalidFlows: Dyn[bool] = False


@plugin(
    "io.kestra.plugin.git.SyncNamespaceFiles",
    title="Sync namespace files from Git to Kestra.",
)
class SyncNamespaceFiles(SyncTask):
    namespace: Dyn[str] = FLOW_NAMESPACE
    gitDirectory: Dyn[str] = "_files"


class PushTask(GitTask):
    """Commit Kestra resources to a Git branch and push it."""

    branch: Dyn[str] = "main"
    commitMessage: Dyn[str] | None = None
    dryRun: bool = False
    authorEmail: Dyn[str] | None = None
    authorName: Dyn[str] | None = None
    #: older releases: remove files from Git that no longer exist in Kestra (=true)
    delete: Dyn[bool] = True


@plugin("io.kestra.plugin.git.PushFlows", title="Commit and push flows to Git.")
class PushFlows(PushTask):
    gitDirectory: Dyn[str] = "_flows"
    sourceNamespace: Dyn[str] = FLOW_NAMESPACE
    targetNamespace: Dyn[str] | None = None
    flows: Globs | None = None
    includeChildNamespaces: Dyn[bool] = False


@plugin("io.kestra.plugin.git.PushNamespaceFiles", title="Commit and push namespace files to Git.")
class PushNamespaceFiles(PushTask):
    namespace: Dyn[str] = FLOW_NAMESPACE
    gitDirectory: Dyn[str] = "_files"
    files: Globs | None = None
    errorOnMissing: Dyn[bool] = False


class FlowFiles(_Options):
    """Which flows the deprecated Push writes to Git."""

    enabled: bool = True
    childNamespaces: bool = True
    gitDirectory: Dyn[str] = "_flows"


class Author(_Options):
    """The commit author of the deprecated Push."""

    name: Dyn[str] | None = None
    email: Dyn[str] | None = None


@plugin(
    "io.kestra.plugin.git.Push",
    title="Commit and push files to Git (deprecated: use PushFlows or PushNamespaceFiles).",
    deprecated=True,
)
class Push(GitTask):
    directory: Dyn[str] | None = None
    branch: Dyn[str]
    commitMessage: Dyn[str]
    namespaceFiles: NamespaceFiles | None = None
    flows: FlowFiles = FlowFiles()
    inputFiles: InputFiles | None = None
    addFilesPattern: Dyn[list[str]] = ["."]
    author: Author | None = None


PLUGINS: list[type[Plugin]] = [
    Clone, SyncFlows, SyncNamespaceFiles, PushFlows, PushNamespaceFiles, Push,
]  # fmt: skip
