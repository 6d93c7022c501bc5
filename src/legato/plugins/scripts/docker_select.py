"""Whether a script task that asks for Docker gets a container, and its launcher.

``container_launcher`` renders the task's Docker runner (``docker_spec``), checks that an engine
answers (``fallback.docker_available``) and that the image can be had per ``pullPolicy``
(``docker_image``, with the registry credentials in a private client configuration that exists
only while pulling). It returns the ``ContainerLauncher`` to run the job with, or None once the
configured Docker fallback was applied (one warning naming the image and the reason, and the
caller runs a local process) — the ``fail`` fallback raises instead. Properties without an
effect yet (``UNSUPPORTED``) get one warning naming them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from legato.plugins.scripts import fallback
from legato.plugins.scripts.docker_cli import DockerCli
from legato.plugins.scripts.docker_image import obtain_image
from legato.plugins.scripts.docker_run import ContainerLauncher
from legato.plugins.scripts.docker_spec import ContainerSpec, container_spec
from legato.sdk.run_context import RunContext
from legato.sdk.scripts import ScriptTask

__all__ = ["UNSUPPORTED", "container_launcher"]

#: runner properties that validate but have no effect yet (a warning says so)
UNSUPPORTED = ("deviceRequests", "resume", "configPath")


def container_launcher(task: ScriptTask, ctx: RunContext) -> ContainerLauncher | None:
    """The launcher of ``task``'s container, or None when the Process fallback applies."""
    if not fallback.docker_available():
        fallback.warn_process_fallback(ctx, ctx.render_string(task.containerImage) or None)
        return None
    spec = container_spec(task, ctx)
    _note_unsupported(task, ctx)
    cli = DockerCli(host=spec.host)
    reason = _obtain(cli, spec, ctx)
    if reason is not None:
        fallback.warn_process_fallback(ctx, spec.image, reason)
        return None
    return ContainerLauncher(spec, cli, ctx.logger, ctx.execution_id)


def _note_unsupported(task: ScriptTask, ctx: RunContext) -> None:
    given: set[str] = set()
    for options in (task.taskRunner, task.docker):
        given |= options.model_fields_set if options is not None else set()
    asked = [name for name in UNSUPPORTED if name in given]
    if asked:
        ctx.logger.warn(
            f"The Docker task runner ignores {', '.join(asked)}: Legato does not support "
            "them yet (remove them, or use another runner)"
        )


def _obtain(cli: DockerCli, spec: ContainerSpec, ctx: RunContext) -> str | None:
    if spec.registry_config is None:
        return obtain_image(cli, spec, ctx.logger)
    with tempfile.TemporaryDirectory(prefix="legato-docker-config-") as folder:
        config = Path(folder)
        (config / "config.json").write_text(json.dumps(spec.registry_config), encoding="utf-8")
        return obtain_image(DockerCli(host=cli.host, config_dir=config), spec, ctx.logger)
