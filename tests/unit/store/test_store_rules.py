"""Rules shared by the adapters: log level order, namespace scope, label tokens."""

from __future__ import annotations

from legato.model.execution import Label
from legato.store import rules


def test_levels_are_ordered_as_kestra_orders_them() -> None:
    ranks = [rules.level_rank(level) for level in ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5
    assert rules.level_rank("warning") == rules.level_rank("WARN")


def test_namespace_scope_includes_children_only() -> None:
    assert rules.in_namespace("company.team", "company")
    assert rules.in_namespace("company", "company")
    assert not rules.in_namespace("companyx", "company")
    assert rules.in_namespace("anything", None)


def test_label_tokens_cannot_match_across_labels() -> None:
    text = rules.labels_text([Label(key="a", value="1"), Label(key="b", value="2")])
    assert rules.label_token("a", "1") in text
    assert rules.label_token("1", "2") not in text
    assert rules.label_token("a", "1\x1fb=2") != rules.label_token("a", "1")
