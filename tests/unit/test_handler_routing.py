"""aiogram routes, handlers do not: no handler branches on the step or the action it is in.

One handler per (state, action), chosen by state filters and typed callback data. An
`if`/`elif` (or a conditional expression, or a `match`) in handlers/ that compares the
FSM state or a callback's action/step/item is a second router written by hand; this
check fails when one comes back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"

#: Names that hold a step or an action inside a handler.
STEP_NAMES = {"action", "step", "item", "current", "in_flow", "current_state"}
#: Attributes of callback data that name the step or action.
STEP_ATTRIBUTES = {"action", "step", "item"}


def _branches_on_step(test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id in STEP_NAMES:
            return True
        if isinstance(node, ast.Attribute):
            if node.attr in STEP_ATTRIBUTES:
                return True
            if node.attr == "get_state":  # await state.get_state()
                return True
            if isinstance(node.value, ast.Attribute) and node.value.value is not None:
                # BookingSG.phone.state
                base = node.value.value
                if isinstance(base, ast.Name) and base.id.endswith("SG"):
                    return True
        if isinstance(node, ast.Name) and node.id.endswith("SG"):
            return True
    return False


def step_branches(source: str, filename: str = "<source>") -> list[str]:
    """`file:line` of every branch over a step or action in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        tests: list[ast.expr] = []
        if isinstance(node, ast.If | ast.IfExp | ast.While):
            tests = [node.test]
        elif isinstance(node, ast.Match):
            tests = [node.subject]
        elif isinstance(node, ast.comprehension):
            tests = list(node.ifs)
        # The test's own line: a comprehension (one of the nodes) has no line number.
        found += [f"{filename}:{test.lineno}" for test in tests if _branches_on_step(test)]
    return found


def handler_step_branches() -> dict[str, list[str]]:
    """Every handler module (views only draw screens and are left out)."""
    found: dict[str, list[str]] = {}
    for path in sorted(HANDLERS.rglob("*.py")):
        if path.name.endswith("views.py"):
            continue
        name = str(path.relative_to(HANDLERS.parent))
        hits = step_branches(path.read_text(), name)
        if hits:
            found[name] = hits
    return found


def test_no_handler_branches_on_its_step() -> None:
    assert handler_step_branches() == {}, "route with filters (state, typed callback data)"


@pytest.mark.parametrize(
    "source",
    [
        "if action == 'view':\n    pass",
        "if callback_data.action == 'cancel':\n    pass\nelif x:\n    pass",
        "if x:\n    pass\nelif callback_data.step == 'day':\n    pass",
        "if await state.get_state() == 'x':\n    pass",
        "if current in (BookingSG.day.state, BookingSG.phone.state):\n    pass",
        "y = 1 if item == 'home' else 2",
        "match action:\n    case 'a':\n        pass",
    ],
)
def test_the_check_finds_each_kind_of_step_branch(source: str) -> None:
    assert len(step_branches(source)) == 1


def test_the_check_leaves_ordinary_conditions_alone() -> None:
    source = (
        "if client is None or not client.has_consented:\n    pass\nif value.isdigit():\n    pass"
    )
    assert step_branches(source) == []
