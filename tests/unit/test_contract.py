"""docs/CONTRACT.md stays true to the code: its commands answer --help, its variables are
the settings Lotse reads (all of them), its CSV columns are the importer's."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bot.offers_io import COLUMNS
from cli.parser import build_parser
from config.settings import Settings

CONTRACT = (Path(__file__).resolve().parents[2] / "docs" / "CONTRACT.md").read_text()


def _section(title: str) -> str:
    return CONTRACT.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def _commands() -> list[list[str]]:
    """The command words of each `python main.py ...` in the command table (up to the
    first argument)."""
    commands = []
    for written in re.findall(r"`python main\.py([^`]*)`", _section("Command line")):
        words = []
        for word in written.split():
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        commands.append(words)
    return commands


def _parser_commands(parser: argparse.ArgumentParser, prefix: list[str]) -> list[list[str]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append([*prefix, name])
                found.extend(_parser_commands(sub, [*prefix, name]))
    return found


def test_every_documented_command_answers_help(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _commands()
    assert [] in commands and ["stats"] in commands
    for words in commands:
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args([*words, "--help"])
        assert done.value.code == 0, words
        assert "usage:" in capsys.readouterr().out


def test_every_command_is_documented() -> None:
    documented = {tuple(words) for words in _commands()}
    parsed = {tuple(words) for words in _parser_commands(build_parser(), [])}
    groups = {words[:-1] for words in parsed}  # `site`, `staff` ... have sub-commands
    assert sorted(" ".join(words) for words in parsed - groups - documented) == []


def test_the_variables_are_exactly_the_settings() -> None:
    documented = set(
        re.findall(r"^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?", _section("Environment"), re.MULTILINE)
    )
    names = {name for pair in documented for name in pair if name}
    assert names == set(Settings.model_fields)
    planned = set(re.findall(r"`([A-Z_]{4,})`", _section("Not built yet")))
    # Every name the plan gave is built now; one still listed there would be a stale line.
    assert not planned & set(Settings.model_fields)  # built: move it up


def test_the_csv_columns_are_the_importers() -> None:
    listed = re.search(r"`(external_id,[^`]*)`", _section("Offers CSV"))
    assert listed is not None
    assert tuple(c.strip() for c in listed.group(1).split(",")) == COLUMNS
