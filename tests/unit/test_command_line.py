"""The command line the app starts with is parsed without building the shell commands' parsers
(names only), and means exactly what the whole parser would make of it."""

from __future__ import annotations

import argparse

import pytest

from enkash_tui.cli import build_parser
from enkash_tui.shell.args import COMMANDS

APP_LINES = [
    [],
    ["--sandbox"],
    ["--sandbox", "--invoices", "100000", "--latency-ms", "40", "--readonly"],
    ["--profile", "uat", "--config", "/tmp/c.toml"],
]


def whole() -> argparse.ArgumentParser:
    """The parser with every shell command built: what a line naming one gets, and what is built
    when the line is not known beforehand."""
    return build_parser()


@pytest.mark.parametrize("line", APP_LINES, ids=lambda line: " ".join(line) or "bare")
def test_an_app_line_means_the_same_to_the_light_parser(line: list[str]) -> None:
    light = build_parser(line)
    assert light.parse_args(line) == whole().parse_args(line)


def test_the_help_and_the_complaint_about_an_unknown_command_are_the_same(
    capsys: pytest.CaptureFixture[str],
) -> None:
    light, full = build_parser(["nosuch"]), whole()
    assert light.format_help() == full.format_help()
    assert light.format_usage() == full.format_usage()
    complaints = []
    for parser in (light, full):
        with pytest.raises(SystemExit):
            parser.parse_args(["nosuch"])
        complaints.append(capsys.readouterr().err)
    assert "invalid choice: 'nosuch'" in complaints[0] and complaints[0] == complaints[1]
    for name in COMMANDS:  # every shell command is listed, and only the whole parser builds it
        assert name in light.format_help()


def test_a_parser_built_without_its_line_parses_any_shell_command() -> None:
    args = build_parser().parse_args(["customers", "find", "Mehta"])
    assert (args.command, args.action, args.text) == ("customers", "find", "Mehta")


def test_a_line_naming_a_shell_command_gets_its_whole_parser() -> None:
    args = build_parser(["invoices", "search", "--view", "overdue"]).parse_args(
        ["invoices", "search", "--view", "overdue"]
    )
    assert (args.command, args.action, args.view) == ("invoices", "search", "overdue")
