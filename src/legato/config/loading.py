"""Gather the configuration sources and resolve them into ``Settings``.

Sources, lowest precedence first (a later one wins for every setting it gives):

1. Legato's defaults (``~/.legato``, SQLite and storage inside it, 8 worker threads);
2. the ``LEGATO_*`` environment variables (``environment``);
3. ``KESTRA_CONFIGURATION``: YAML text in Kestra's shape, as Kestra's Docker images read it;
4. ``LEGATO_CONFIG``: the path of a YAML configuration file;
5. the ``--config FILE`` command-line option;
6. other command-line options (``--home``), given as a ``Layer``.

Invariants: nothing is read at import time; the environment is a mapping passed in (the CLI
passes ``os.environ``); a source that is missing, unreadable or malformed raises a
``ConfigError`` naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from legato.config import environment, kestra_yaml
from legato.config.document import ConfigDocument
from legato.config.errors import ConfigError
from legato.config.layers import Layer, resolve
from legato.config.settings import Settings


def load_settings(
    env: Mapping[str, str],
    *,
    config_file: Path | None = None,
    options: Layer | None = None,
) -> Settings:
    """The settings every source gives (see the module docstring)."""
    layers = [environment.layer_of(env)]
    inline = env.get("KESTRA_CONFIGURATION")
    if inline:
        layers.append(text_layer(inline, "KESTRA_CONFIGURATION", env))
    if env.get("LEGATO_CONFIG"):
        layers.append(file_layer(Path(env["LEGATO_CONFIG"]), "LEGATO_CONFIG", env))
    if config_file is not None:
        layers.append(file_layer(config_file, "--config", env))
    if options is not None:
        layers.append(options)
    return resolve(layers)


def file_layer(path: Path, given_by: str, env: Mapping[str, str]) -> Layer:
    """What the configuration file at ``path`` (named by ``given_by``) sets."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: the configuration file given by {given_by} does not exist; check the path"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"{path}: cannot read the configuration file given by {given_by}: {error}"
        ) from None
    return text_layer(text, str(path), env)


def text_layer(text: str, origin: str, env: Mapping[str, str]) -> Layer:
    """What configuration ``text`` (from ``origin``) sets."""
    document = ConfigDocument.parse(text, origin, env)
    return Layer() if document is None else kestra_yaml.layer_of(document)
