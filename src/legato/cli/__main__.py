"""``python -m legato.cli``: the same as the ``legato`` command."""

from __future__ import annotations

from legato.cli.main import main

main()
