"""Wrapping hints and messages at word boundaries, for any width and any words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.utils import get_cwidth

from bmw_mentor.messages import msg
from bmw_mentor.wizard import screen

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="·"),
    min_size=1,
    max_size=12,
)
items = st.lists(st.lists(words, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=8)


@given(items, st.integers(min_value=12, max_value=140))
def test_hint_items_wrap_between_items_and_fit(hint: list[str], width: int) -> None:
    lines = screen.wrap_items(hint, width)
    shown = [w for w in " ".join(lines).split() if w != "·"]
    assert shown == " ".join(hint).split()  # nothing lost or reordered
    for line in lines:
        too_wide = [w for w in line.split(" ") if get_cwidth(w) > width]
        assert get_cwidth(line) <= width or too_wide == [line]  # only a single word wider than the line overflows
    # a line break never falls inside an item that would fit on a line of its own
    for item in hint:
        if get_cwidth(item) <= width:
            assert any(item in line for line in lines), (item, lines)


@given(st.lists(words, min_size=1, max_size=30).map(" ".join), st.integers(min_value=10, max_value=120))
def test_text_wraps_only_at_spaces(text: str, width: int) -> None:
    lines = screen.wrap(text, width)
    assert " ".join(lines) == text
    assert all(get_cwidth(line) <= width or " " not in line for line in lines)


def test_real_hints_at_80_columns_keep_each_key_whole() -> None:
    hint = screen.split_items(msg("hint_checkbox", "nl")) + screen.split_items(msg("keys_line", "nl"))
    lines = screen.wrap_items(hint, 80 - 3)
    assert len(lines) == 2
    for item in hint:
        assert sum(item in line for line in lines) == 1
