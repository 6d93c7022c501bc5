"""``legato expression render``: try a Pebble expression against a JSON context.

The command-line twin of Kestra's debug-expression console. The result is printed as Kestra
would render it into a string property; with ``--typed`` a lone ``{{ expr }}`` is printed as the
JSON of its native value. Errors are printed with their position and exit with status 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from legato import expressions
from legato.errors import ExpressionError

app = typer.Typer(help="Try Pebble expressions.", no_args_is_help=True)


def load_context(path: Path | None) -> dict[str, Any]:
    """The render context from a JSON file holding an object (empty when no file is given).

    Raises ``ValueError`` saying what is wrong with the file.
    """
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ValueError(f"{path} is not valid JSON: {error.msg} ({where})") from None
    if not isinstance(data, dict):
        raise ValueError(f'{path} must hold a JSON object such as {{"inputs": {{}}}}')
    return data


@app.command("render")
def render(
    template: Annotated[
        str, typer.Argument(help='The template, e.g. "{{ inputs.name | upper }}".')
    ],
    context: Annotated[
        Path | None,
        typer.Option("--context", "-c", help="A JSON file holding the variables (an object)."),
    ] = None,
    typed: Annotated[
        bool, typer.Option("--typed", help="Print the native value of a lone {{ expr }} as JSON.")
    ] = False,
) -> None:
    """Render TEMPLATE against the variables of --context and print the result."""
    try:
        variables = load_context(context)
    except ValueError as error:
        typer.echo(f"error: --context: {error}", err=True)
        raise typer.Exit(2) from None
    try:
        if typed:
            value = expressions.render_typed(template, variables)
            typer.echo(json.dumps(value, default=str, ensure_ascii=False))
        else:
            typer.echo(expressions.render(template, variables))
    except ExpressionError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
