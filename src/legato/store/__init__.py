"""Persistence: narrow ports (``protocols``) and their adapters. Only the composition root and
tests import adapters.

* ``protocols`` — the ports and records; ``bundle.Store`` — all ports of one database.
* ``factory.open_store(url)`` — ``memory://``, ``sqlite:///…``, ``postgresql://…`` (migrated).
* ``memory`` — deterministic in-memory reference adapters; ``sql/`` — SQLAlchemy Core adapters
  shared by ``sqlite`` and ``postgres``, Alembic migrations in ``sql/migrations``.
* ``files/`` — internal storage (``local``, ``memory``) and the ``kestra:///`` layout (``uris``).
"""

from __future__ import annotations
