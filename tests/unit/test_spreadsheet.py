"""CSV cells a spreadsheet would run as formulas are guarded, and read back unguarded."""

from __future__ import annotations

import pytest

from bot.spreadsheet import guarded, to_csv, unguarded


@pytest.mark.parametrize("cell", ["=1+1", "+49 201", "-2", "@SUM(A1)", "\tx", "\r=x"])
def test_formula_starts_are_guarded_and_come_back(cell: str) -> None:
    assert guarded(cell) == "'" + cell
    assert unguarded(str(guarded(cell))) == cell


@pytest.mark.parametrize("cell", ["Essen", "", "'quoted", "a=b", 5, -3, 2.5])
def test_everything_else_is_left_alone(cell: object) -> None:
    assert guarded(cell) == cell
    if isinstance(cell, str):
        assert unguarded(cell) == cell


def test_a_whole_file() -> None:
    assert to_csv(["a", "=b"], [["=c", -1]]) == "a,'=b\n'=c,-1\n"
