from __future__ import annotations

from legato.worker.masking import MASK, Masker


def test_registered_values_are_masked_everywhere_in_text() -> None:
    masker = Masker()
    masker.register("hunter2")
    assert masker.mask("pw=hunter2 again hunter2") == f"pw={MASK} again {MASK}"


def test_longer_secret_is_masked_whole_when_it_contains_a_shorter_one() -> None:
    masker = Masker()
    masker.register("abc")
    masker.register("abcdef")
    assert masker.mask("x abcdef y abc") == f"x {MASK} y {MASK}"


def test_empty_value_is_never_registered() -> None:
    masker = Masker()
    masker.register("")
    assert masker.mask("unchanged") == "unchanged"


def test_mask_value_walks_lists_and_maps_and_keeps_other_types() -> None:
    masker = Masker()
    masker.register("tok")
    value = {"tok-key": ["a tok", 3, None, {"n": True}]}
    assert masker.mask_value(value) == {f"{MASK}-key": [f"a {MASK}", 3, None, {"n": True}]}
