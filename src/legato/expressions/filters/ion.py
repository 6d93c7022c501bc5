"""The Ion text of the ``toIon`` filter and the ``fromIon`` function.

Both are the shared codec of ``legato.expressions.ion_codec`` (also behind Ion files and the
serdes plugins), under the names the expression callables and their callers use.
"""

from __future__ import annotations

from legato.expressions.ion_codec import ion_text as to_ion
from legato.expressions.ion_codec import parse_ion as from_ion

__all__ = ["from_ion", "to_ion"]
