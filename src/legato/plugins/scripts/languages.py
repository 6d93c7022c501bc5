"""``Script`` and ``Commands`` tasks of every language plugin in ``io.kestra.plugin.scripts``.

Each language has two task types: ``Script`` runs the inline ``script`` (required, non-empty)
with the language's interpreter; ``Commands`` runs the ``commands`` list (required, at least one).
They differ only by type string, ``containerImage`` default (Kestra's per language) and the
command that runs a ``Script``'s file (``script_command``, file suffix ``script_suffix``);
PowerShell also changes the ``interpreter`` default. Python adds its own properties (see
``python``). Both run with the Process runner (``execute.run_script_task``) and accept Kestra's
``executionContext`` (default false): write ``.kestra-execution-context.json`` for the script.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field

from legato.model.property import Dyn
from legato.plugins.scripts.execute import run_script_task
from legato.sdk import plugin
from legato.sdk.run_context import RunContext
from legato.sdk.scripts import ScriptTask

NonEmptyText = Annotated[str, Field(min_length=1)]
NonEmptyList = Annotated[list[str], Field(min_length=1)]

POWERSHELL_INTERPRETER = ["pwsh", "-NoProfile", "-NonInteractive", "-Command"]


class ScriptBody(ScriptTask):
    """A task running an inline script."""

    #: the command running the script file, and the file's suffix
    script_command: ClassVar[str] = "/bin/sh"
    script_suffix: ClassVar[str] = ".sh"

    script: Dyn[NonEmptyText]
    executionContext: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Write ``script`` to a file and run it with ``script_command``."""
        return run_script_task(
            self,
            ctx,
            script=self.script,
            script_command=self.script_command,
            script_name="script" + self.script_suffix,
            execution_context=ctx.render_as(self.executionContext, bool),
        )


class CommandsBody(ScriptTask):
    """A task running a list of commands."""

    commands: Dyn[NonEmptyList]
    executionContext: Dyn[bool] = False

    def run(self, ctx: RunContext) -> dict[str, Any]:
        """Run ``commands`` (after ``beforeCommands``) through ``interpreter``."""
        return run_script_task(
            self,
            ctx,
            commands=self.commands,
            execution_context=ctx.render_as(self.executionContext, bool),
        )


@plugin("io.kestra.plugin.scripts.shell.Script", title="Run a Shell script.")
class ShellScript(ScriptBody):
    containerImage: Dyn[str] | None = "ubuntu"


@plugin("io.kestra.plugin.scripts.shell.Commands", title="Run Shell commands.")
class ShellCommands(CommandsBody):
    containerImage: Dyn[str] | None = "ubuntu"


@plugin("io.kestra.plugin.scripts.node.Script", title="Run a Node.js script.")
class NodeScript(ScriptBody):
    script_command: ClassVar[str] = "node"
    script_suffix: ClassVar[str] = ".js"
    containerImage: Dyn[str] | None = "node"


@plugin("io.kestra.plugin.scripts.node.Commands", title="Run Node.js commands.")
class NodeCommands(CommandsBody):
    containerImage: Dyn[str] | None = "node"


@plugin("io.kestra.plugin.scripts.r.Script", title="Run an R script.")
class RScript(ScriptBody):
    script_command: ClassVar[str] = "Rscript"
    script_suffix: ClassVar[str] = ".R"
    containerImage: Dyn[str] | None = "r-base"


@plugin("io.kestra.plugin.scripts.r.Commands", title="Run R commands.")
class RCommands(CommandsBody):
    containerImage: Dyn[str] | None = "r-base"


@plugin("io.kestra.plugin.scripts.ruby.Script", title="Run a Ruby script.")
class RubyScript(ScriptBody):
    script_command: ClassVar[str] = "ruby"
    script_suffix: ClassVar[str] = ".rb"
    containerImage: Dyn[str] | None = "ruby"


@plugin("io.kestra.plugin.scripts.ruby.Commands", title="Run Ruby commands.")
class RubyCommands(CommandsBody):
    containerImage: Dyn[str] | None = "ruby"


@plugin("io.kestra.plugin.scripts.julia.Script", title="Run a Julia script.")
class JuliaScript(ScriptBody):
    script_command: ClassVar[str] = "julia"
    script_suffix: ClassVar[str] = ".jl"
    containerImage: Dyn[str] | None = "julia"


@plugin("io.kestra.plugin.scripts.julia.Commands", title="Run Julia commands.")
class JuliaCommands(CommandsBody):
    containerImage: Dyn[str] | None = "julia"


@plugin("io.kestra.plugin.scripts.powershell.Script", title="Run a PowerShell script.")
class PowerShellScript(ScriptBody):
    script_command: ClassVar[str] = "pwsh -NoProfile -NonInteractive -File"
    script_suffix: ClassVar[str] = ".ps1"
    containerImage: Dyn[str] | None = "mcr.microsoft.com/powershell"
    interpreter: Dyn[list[str]] = POWERSHELL_INTERPRETER


@plugin("io.kestra.plugin.scripts.powershell.Commands", title="Run PowerShell commands.")
class PowerShellCommands(CommandsBody):
    containerImage: Dyn[str] | None = "mcr.microsoft.com/powershell"
    interpreter: Dyn[list[str]] = POWERSHELL_INTERPRETER


@plugin("io.kestra.plugin.scripts.go.Script", title="Run a Go script.")
class GoScript(ScriptBody):
    script_command: ClassVar[str] = "go run"
    script_suffix: ClassVar[str] = ".go"
    containerImage: Dyn[str] | None = "golang"


@plugin("io.kestra.plugin.scripts.go.Commands", title="Run Go commands.")
class GoCommands(CommandsBody):
    containerImage: Dyn[str] | None = "golang"


@plugin("io.kestra.plugin.scripts.deno.Script", title="Run a Deno script.")
class DenoScript(ScriptBody):
    script_command: ClassVar[str] = "deno run --allow-all"
    script_suffix: ClassVar[str] = ".ts"
    containerImage: Dyn[str] | None = "denoland/deno"


@plugin("io.kestra.plugin.scripts.deno.Commands", title="Run Deno commands.")
class DenoCommands(CommandsBody):
    containerImage: Dyn[str] | None = "denoland/deno"


@plugin("io.kestra.plugin.scripts.bun.Script", title="Run a Bun script.")
class BunScript(ScriptBody):
    script_command: ClassVar[str] = "bun run"
    script_suffix: ClassVar[str] = ".ts"
    containerImage: Dyn[str] | None = "oven/bun"


@plugin("io.kestra.plugin.scripts.bun.Commands", title="Run Bun commands.")
class BunCommands(CommandsBody):
    containerImage: Dyn[str] | None = "oven/bun"


@plugin("io.kestra.plugin.scripts.php.Script", title="Run a PHP script.")
class PhpScript(ScriptBody):
    script_command: ClassVar[str] = "php"
    script_suffix: ClassVar[str] = ".php"
    containerImage: Dyn[str] | None = "php"


@plugin("io.kestra.plugin.scripts.php.Commands", title="Run PHP commands.")
class PhpCommands(CommandsBody):
    containerImage: Dyn[str] | None = "php"


@plugin("io.kestra.plugin.scripts.perl.Script", title="Run a Perl script.")
class PerlScript(ScriptBody):
    script_command: ClassVar[str] = "perl"
    script_suffix: ClassVar[str] = ".pl"
    containerImage: Dyn[str] | None = "perl"


@plugin("io.kestra.plugin.scripts.perl.Commands", title="Run Perl commands.")
class PerlCommands(CommandsBody):
    containerImage: Dyn[str] | None = "perl"


@plugin("io.kestra.plugin.scripts.lua.Script", title="Run a Lua script.")
class LuaScript(ScriptBody):
    script_command: ClassVar[str] = "lua"
    script_suffix: ClassVar[str] = ".lua"
    containerImage: Dyn[str] | None = "nickblah/lua"


@plugin("io.kestra.plugin.scripts.lua.Commands", title="Run Lua commands.")
class LuaCommands(CommandsBody):
    containerImage: Dyn[str] | None = "nickblah/lua"


TASKS: list[type[ScriptTask]] = [
    ShellScript,
    ShellCommands,
    NodeScript,
    NodeCommands,
    RScript,
    RCommands,
    RubyScript,
    RubyCommands,
    JuliaScript,
    JuliaCommands,
    PowerShellScript,
    PowerShellCommands,
    GoScript,
    GoCommands,
    DenoScript,
    DenoCommands,
    BunScript,
    BunCommands,
    PhpScript,
    PhpCommands,
    PerlScript,
    PerlCommands,
    LuaScript,
    LuaCommands,
]
