"""Flow use cases: validate and deploy flow sources as revisions, and load a pinned revision.

Invariants:

* Nothing invalid is stored: ``deploy`` parses every document first and stores none when one
  fails (the error carries every violation, as ``legato flow validate`` prints them).
* A flow is stored as its YAML text (what Kestra stores); saving an unchanged text keeps the
  revision, a changed one gets revision + 1 (the repository's rule).
* Every parse applies the configured global plugin defaults after the flow's own
  ``pluginDefaults`` (Kestra's precedence, see ``model.parsing``); the stored text stays as
  written.
* ``load`` parses a stored revision once and caches it by (namespace, id, revision): revisions
  never change, so the cache never goes stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from legato.errors import FlowValidationError, LegatoError
from legato.model import flow, parsing
from legato.model.plugin import PluginDefault
from legato.model.registry import PluginRegistry
from legato.store.protocols import FlowRecord, FlowRepository


class FlowNotFoundError(LegatoError):
    """No such flow is deployed."""

    def __init__(self, namespace: str, flow_id: str, revision: int | None = None) -> None:
        self.namespace = namespace
        self.flow_id = flow_id
        self.revision = revision
        which = f" revision {revision}" if revision is not None else ""
        super().__init__(
            f"flow '{namespace}.{flow_id}'{which} is not deployed; "
            "deploy it first with 'legato flow deploy'"
        )


@dataclass(frozen=True)
class DeployedFlow:
    """A stored revision and the flow parsed from it."""

    record: FlowRecord
    flow: flow.Flow


class FlowService:
    """Deploys flows and loads stored revisions (parsed, cached)."""

    def __init__(
        self,
        repository: FlowRepository,
        registry: PluginRegistry,
        defaults: Sequence[PluginDefault] = (),
    ) -> None:
        self.repository = repository
        self.registry = registry
        #: the configured (global) plugin defaults, applied after each flow's own
        self.defaults = tuple(defaults)
        self._cache: dict[tuple[str, str, int], flow.Flow] = {}

    def parse(self, source: str, *, path: str | None = None) -> list[flow.Flow]:
        """Every flow in ``source`` (one per YAML document); FlowValidationError lists all
        violations of all invalid documents."""
        results = parsing.parse_documents(source, self.registry, path=path, defaults=self.defaults)
        errors = [r for r in results if isinstance(r, FlowValidationError)]
        if errors:
            violations = [v for error in errors for v in error.violations]
            raise FlowValidationError(violations)
        if not results:
            raise FlowValidationError(
                message=f"{path or 'the source'} holds no flow; a flow needs id, namespace, tasks"
            )
        return [r for r in results if isinstance(r, flow.Flow)]

    async def deploy(self, source: str, *, path: str | None = None) -> list[DeployedFlow]:
        """Validate every flow of ``source`` and store each as a revision (none if one fails)."""
        flows = self.parse(source, path=path)
        deployed: list[DeployedFlow] = []
        for parsed in flows:
            record = await self.repository.save(parsed.namespace, parsed.id, parsed.source)
            self._cache[(record.namespace, record.id, record.revision)] = parsed
            deployed.append(DeployedFlow(record, parsed))
        return deployed

    async def load(self, namespace: str, flow_id: str, revision: int | None = None) -> DeployedFlow:
        """A stored revision (the latest when None), parsed; FlowNotFoundError if unknown."""
        if revision is not None:
            cached = self._cache.get((namespace, flow_id, revision))
            if cached is not None:
                return DeployedFlow(_record_of(cached, revision), cached)
        record = await self.repository.get(namespace, flow_id, revision)
        if record is None or (record.deleted and revision is None):
            raise FlowNotFoundError(namespace, flow_id, revision)
        return DeployedFlow(record, self.flow_of(record))

    def flow_of(self, record: FlowRecord) -> flow.Flow:
        """The flow parsed from ``record`` (cached by namespace, id and revision)."""
        key = (record.namespace, record.id, record.revision)
        cached = self._cache.get(key)
        if cached is None:
            cached = parsing.parse_flow(record.source, self.registry, defaults=self.defaults)
            self._cache[key] = cached
        return cached

    async def list(self, namespace: str | None = None) -> Sequence[FlowRecord]:
        """The latest revision of every deployed flow."""
        return await self.repository.list(namespace)


def _record_of(parsed: flow.Flow, revision: int) -> FlowRecord:
    return FlowRecord(parsed.namespace, parsed.id, revision, parsed.source)
