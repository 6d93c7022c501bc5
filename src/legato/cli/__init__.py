"""The ``legato`` command line: the composition root for one-shot commands."""

from __future__ import annotations
