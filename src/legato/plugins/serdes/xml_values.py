"""XML elements as Ion values, the way Kestra's XmlToIon (org.json ``XML.toJSONObject``) maps
them, and Ion values as XML elements for IonToXml.

Reading: an element without attributes or children is its text, typed (``12`` → int, ``1.5``
→ decimal, ``true``/``false`` → bool, ``null`` → null, ``0012`` and anything else → string;
an empty element is ``""``). Otherwise it is a struct of its attributes (typed the same way)
and children; a child tag met twice becomes a list (always, for tags of ``forceList``); text
beside attributes or children is the ``content`` field. Text is trimmed.

Writing: a struct becomes child elements, a list repeated elements of the same tag, null an
empty element, other values their JSON-like text (dates ISO, decimals exact).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import tzinfo
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from legato.plugins.serdes.json_values import json_text

_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][\w.\-]*")


def typed_text(text: str) -> Any:
    """org.json's guess of a text's type."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text == "null":
        return None
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    return text


def element_value(element: Element, force_list: frozenset[str]) -> Any:
    """The Ion value of ``element`` (its tag excluded)."""
    text = (element.text or "").strip()
    if not element.attrib and len(element) == 0:
        return typed_text(text)
    value: dict[str, Any] = {name: typed_text(v) for name, v in element.attrib.items()}
    for child in element:
        _add(value, child.tag, element_value(child, force_list), child.tag in force_list)
        tail = (child.tail or "").strip()
        text = f"{text}\n{tail}".strip() if tail else text
    if text:
        _add(value, "content", typed_text(text), False)
    return value


def _add(struct: dict[str, Any], name: str, value: Any, as_list: bool) -> None:
    if name not in struct:
        struct[name] = [value] if as_list else value
    elif isinstance(struct[name], list):
        struct[name].append(value)
    else:
        struct[name] = [struct[name], value]


def element_text(tag: str, value: Any, indent: str, zone: tzinfo | None = None) -> str:
    """``value`` as the (indented) XML of an element named ``tag``; ``zone`` as in
    ``json_values.json_text``."""
    name = tag if _NAME.fullmatch(tag) else "_" + re.sub(r"[^\w.\-]", "_", tag)
    if isinstance(value, list):
        return "".join(element_text(tag, item, indent, zone) for item in value)
    if value is None:
        return f"{indent}<{name}/>\n"
    if isinstance(value, Mapping):
        if not value:
            return f"{indent}<{name}/>\n"
        inner = "".join(element_text(str(k), v, indent + "  ", zone) for k, v in value.items())
        return f"{indent}<{name}>\n{inner}{indent}</{name}>\n"
    return f"{indent}<{name}>{escape(_scalar(value, zone))}</{name}>\n"


def _scalar(value: Any, zone: tzinfo | None) -> str:
    if isinstance(value, str):
        return value
    text = json_text(value, zone)
    return text[1:-1] if text.startswith('"') else text
