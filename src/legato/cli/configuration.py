"""The CLI's side of configuration: the global ``--config FILE`` option and loading ``Settings``.

``legato --config FILE <command>`` records the file on the root context (``CliState``); a
command needing settings calls ``settings_for(ctx, home=...)``, which reads every source in
precedence order (``legato.config.loading``) with this command's options on top.

Invariants: settings are read only by commands that need them, once per command; a
configuration problem prints ``error: <located message>`` on stderr and exits with status 2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import typer

from legato import config

CONFIG_EXIT = 2


@dataclass(frozen=True)
class CliState:
    """What the root command's options hold for every subcommand."""

    config_file: Path | None = None


def settings_for(ctx: typer.Context, *, home: Path | None = None) -> config.Settings:
    """The settings from every source, ``--home`` winning; exits 2 on a configuration error."""
    state = ctx.find_root().obj
    config_file = state.config_file if isinstance(state, CliState) else None
    try:
        return config.load_settings(
            os.environ, config_file=config_file, options=config.Layer(home=home)
        )
    except (config.ConfigError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(CONFIG_EXIT) from None
