"""Internal storage adapters (``FileStorage``) and the ``kestra:///`` URI layout."""

from __future__ import annotations
