"""What container a script task asks for: its Docker runner properties rendered to a spec.

``container_spec`` reads the task's Docker ``taskRunner`` (or the deprecated ``docker:``
options, or the runner's defaults when the task sets neither) and renders it into a
``ContainerSpec``: the image, how to get it, and the ``docker create`` flags.

Invariants:

* The image is the task's ``containerImage`` when the flow sets it, else the runner's (or the
  ``docker:`` options') ``image``, else the task class's default ``containerImage``.
* Sizes (``memory.*``, ``shmSize``) are Kestra's readable bytes (``512MB``, ``1GB``, ``1024``;
  units are powers of 1024) and reach Docker as plain bytes; anything else is a ``TaskError``
  naming the property. ``cpu.cpus`` becomes ``--cpus``.
* ``entryPoint`` (default ``[""]``: the image's entrypoint is cleared, as Kestra) becomes
  ``--entrypoint`` with its first item; the other items go before the command (``Cmd``), which is
  what Docker would run for a longer entrypoint.
* Nothing here talks to Docker.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from legato.plugins.scripts.docker import DockerTaskRunner, FileHandlingStrategy
from legato.sdk.run_context import RunContext, TaskError
from legato.sdk.scripts import Cpu, DockerOptions, Memory, PullPolicy, ScriptTask

__all__ = ["DOCKER_HUB", "ContainerSpec", "container_spec", "readable_bytes", "registry_of"]

#: the registry key Docker uses for Docker Hub in ``config.json``
DOCKER_HUB = "https://index.docker.io/v1/"

_BYTES = re.compile(r"^\s*(\d+)\s*([KMGT]?B?)\s*$", re.IGNORECASE)
_POWERS = {"": 0, "B": 0, "K": 1, "KB": 1, "M": 2, "MB": 2, "G": 3, "GB": 3, "T": 4, "TB": 4}


@dataclass(frozen=True)
class ContainerSpec:
    """A rendered Docker runner configuration."""

    image: str
    pull_policy: PullPolicy = "IF_NOT_PRESENT"
    #: the engine's address (``DOCKER_HOST`` form), None for the CLI's default
    host: str | None = None
    #: a Docker ``config.json`` (registry auths) for pulls, None when none is configured
    registry_config: dict[str, Any] | None = None
    #: ``docker create`` options (limits, network, user, volumes, entrypoint…)
    create_flags: list[str] = field(default_factory=list)
    #: entrypoint items after the first, run before the command
    command_prefix: list[str] = field(default_factory=list)
    file_handling: FileHandlingStrategy = "VOLUME"
    delete: bool = True
    wait: bool = True
    kill_grace: timedelta = timedelta(0)


def readable_bytes(text: str, name: str) -> int:
    """``text`` (``512MB``, ``1g``, ``1024``) as a number of bytes (powers of 1024).

    Raises:
        TaskError: naming the property ``name`` when ``text`` is not a size.
    """
    match = _BYTES.match(text)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _POWERS:
        raise TaskError(
            f"Docker task runner property '{name}' is '{text}', not a size: write a number of "
            "bytes or a number with a unit KB, MB, GB or TB (e.g. '512MB')",
            retryable=False,
        )
    size: int = int(match.group(1)) * 1024 ** _POWERS[unit]
    return size


def container_spec(task: ScriptTask, ctx: RunContext) -> ContainerSpec:
    """The container ``task`` asks for, rendered."""
    runner = task.taskRunner if isinstance(task.taskRunner, DockerTaskRunner) else None
    options: DockerTaskRunner | DockerOptions | None = runner or task.docker
    entry = _entrypoint(ctx, options)
    image = _image(task, ctx, options)
    return ContainerSpec(
        image=image,
        pull_policy=_text(ctx, options.pullPolicy if options else None) or "IF_NOT_PRESENT",  # type: ignore[arg-type]
        host=_text(ctx, options.host if options else None),
        registry_config=_registry_config(ctx, options, image),
        create_flags=_create_flags(ctx, options, runner) + entry[:1],
        command_prefix=entry[1:],
        file_handling=_text(ctx, runner.fileHandlingStrategy if runner else None) or "VOLUME",  # type: ignore[arg-type]
        delete=ctx.render_as(runner.delete, bool) if runner else True,
        wait=ctx.render_as(runner.wait, bool) if runner else True,
        kill_grace=runner.killGracePeriod if runner else timedelta(0),
    )


def _text(ctx: RunContext, value: Any) -> str | None:
    return None if value is None else ctx.render_string(value) or None


def _image(task: ScriptTask, ctx: RunContext, options: Any) -> str:
    own = _text(ctx, options.image) if options is not None else None
    if "containerImage" in task.model_fields_set or own is None:
        image = _text(ctx, task.containerImage)
    else:
        image = own
    if image is None:
        raise TaskError(
            "The Docker task runner needs an image: set the task's 'containerImage'",
            retryable=False,
        )
    return image


def _entrypoint(ctx: RunContext, options: Any) -> list[str]:
    entry = getattr(options, "entryPoint", None)
    items = [""] if entry is None else [str(i) for i in ctx.render_as(entry, list[Any])]
    return [f"--entrypoint={items[0]}", *items[1:]] if items else []


def _create_flags(ctx: RunContext, options: Any, runner: DockerTaskRunner | None) -> list[str]:
    if options is None:
        return []
    flags: list[str] = []
    for flag, value in (
        ("--user", options.user),
        ("--network", options.networkMode),
    ):
        text = _text(ctx, value)
        if text is not None:
            flags.append(f"{flag}={text}")
    for flag, values in (
        ("--add-host", options.extraHosts),
        ("--volume", options.volumes),
        ("--publish", runner.portBindings if runner else None),
    ):
        rendered = [] if values is None else ctx.render_as(values, list[Any])
        flags.extend(f"{flag}={item}" for item in rendered)
    if options.shmSize is not None:
        flags.append(f"--shm-size={readable_bytes(ctx.render_string(options.shmSize), 'shmSize')}")
    if options.privileged is not None and ctx.render_as(options.privileged, bool):
        flags.append("--privileged")
    return flags + _cpu_flags(ctx, options.cpu) + _memory_flags(ctx, options.memory)


def _cpu_flags(ctx: RunContext, cpu: Cpu | None) -> list[str]:
    if cpu is None or cpu.cpus is None:
        return []
    return [f"--cpus={ctx.render_as(cpu.cpus, float)}"]


def _memory_flags(ctx: RunContext, memory: Memory | None) -> list[str]:
    if memory is None:
        return []
    flags: list[str] = []
    for flag, name, value in (
        ("--memory", "memory.memory", memory.memory),
        ("--memory-swap", "memory.memorySwap", memory.memorySwap),
        ("--memory-reservation", "memory.memoryReservation", memory.memoryReservation),
        ("--kernel-memory", "memory.kernelMemory", memory.kernelMemory),
    ):
        if value is not None:
            flags.append(f"{flag}={readable_bytes(ctx.render_string(value), name)}")
    if memory.memorySwappiness is not None:
        flags.append(f"--memory-swappiness={ctx.render_as(memory.memorySwappiness, int)}")
    if memory.oomKillDisable is not None and ctx.render_as(memory.oomKillDisable, bool):
        flags.append("--oom-kill-disable")
    return flags


def registry_of(image: str) -> str:
    """The registry an image name points to (Docker Hub's address when it names none)."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first
    return DOCKER_HUB


def _registry_config(ctx: RunContext, options: Any, image: str) -> dict[str, Any] | None:
    if options is None or (options.config is None and options.credentials is None):
        return None
    merged = _config_json(ctx, options.config)
    credentials = options.credentials
    if credentials is not None:
        user, password = _text(ctx, credentials.username), _text(ctx, credentials.password)
        auth = {
            key: value
            for key, value in (
                ("auth", _text(ctx, credentials.auth)),
                ("registrytoken", _text(ctx, credentials.registryToken)),
                ("identitytoken", _text(ctx, credentials.identityToken)),
            )
            if value is not None
        }
        if user is not None and password is not None:
            auth["auth"] = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        registry = _text(ctx, credentials.registry) or registry_of(image)
        merged.setdefault("auths", {})[registry] = auth
    return merged


def _config_json(ctx: RunContext, config: Any) -> dict[str, Any]:
    if config is None:
        return {}
    rendered = ctx.render(config) if isinstance(config, dict) else ctx.render_string(config)
    if isinstance(rendered, str):
        try:
            rendered = json.loads(rendered or "{}")
        except ValueError:
            rendered = None
    if not isinstance(rendered, dict):
        raise TaskError(
            "Docker task runner property 'config' must be a Docker config.json object (a map "
            "or its JSON text)",
            retryable=False,
        )
    return dict(rendered)
