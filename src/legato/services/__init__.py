"""Use cases over the store ports: deploy flows, create and steer executions.

Services are async, hold no state beyond caches, and reach persistence only through
``legato.store.protocols``; the CLI, the server and the executor all go through them.
"""

from __future__ import annotations
