"""Settings are declared once (generator/intake/config.py OPTIONS); everything else is derived and agrees.

Also the regression tests of issue 14 for settings: `disable: []` in
mkdocs.yml overrides pyproject.toml, and a wrong value in either file is an
`invalid-setting` diagnostic with its line, never a traceback.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.commands.cli import main
from generator.intake.config import OPTIONS, Settings, load_settings, settings_from_mapping, settings_table_markdown
from generator.engines.plugin import KbConfig

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]

DOCS = Path(__file__).resolve().parent.parent / "docs" / "format.md"


def test_settings_fields_are_the_declared_options() -> None:
    fields = {f.name: f.default for f in dataclasses.fields(Settings) if f.name != "today"}
    assert fields == {o.name: o.default for o in OPTIONS}


def test_plugin_options_are_derived_from_the_declared_options() -> None:
    names = {name for name, _option in KbConfig._schema}  # type: ignore[attr-defined]
    assert {o.name for o in OPTIONS if o.plugin_option} <= names
    assert names - {o.name for o in OPTIONS} == {"root", "strict", "low_memory", "parallel"}


def test_docs_show_the_declared_settings() -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"<!-- settings:start[^\n]*-->\n(.*?)<!-- settings:end -->", text, re.S)
    assert block is not None, "docs/format.md lost its settings table markers"
    assert block.group(1) == settings_table_markdown(), "regenerate the table from config.settings_table_markdown()"


def test_an_empty_list_overrides_the_base() -> None:
    base = Settings(disable=frozenset({"broken-link"}), errors=frozenset({"stale-review"}))
    settings, problems = settings_from_mapping({"disable": [], "errors": []}, "mkdocs.yml", base=base)
    assert problems == [] and settings.disable == frozenset() and settings.errors == frozenset()


def test_values_out_of_bounds_keep_the_default_and_say_so(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.kb]\nstale_months = 0\nerrors = ['stale-review']\n",
                                             encoding="utf-8")
    settings, problems = load_settings(tmp_path)
    assert settings.stale_months == 24 and settings.errors == {"stale-review"}
    assert [(d.code, d.line) for d in problems] == [("invalid-setting", 2)]
    assert "from 1 to 1200, got 0" in problems[0].message


def test_mkdocs_disable_empty_list_switches_checks_back_on(tmp_path: Path) -> None:
    """pyproject.toml switches broken-link off; `disable: []` in mkdocs.yml must switch it back on."""
    claim = kbproject.CLAIM.replace("](../injuries/runners-knee.md)", "](../injuries/no-such-file.md)")
    root = kbproject.write_project(tmp_path / "p", claim=claim,
                                   pyproject='[tool.kb]\ndisable = ["broken-link"]\n')
    (root / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: x
        docs_dir: content
        plugins:
          - kb:
              disable: []
        """), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "broken-link" in result.output


@pytest.mark.parametrize(("option", "value"), [("stale_months", "many"), ("disable", 5), ("errors", [1])])
def test_wrong_plugin_option_is_a_message(tmp_path: Path, option: str, value: object) -> None:
    root = kbproject.write_project(tmp_path / "p")
    (root / "mkdocs.yml").write_text(f"site_name: x\ndocs_dir: content\nplugins:\n  - kb:\n      {option}: {value!r}\n",
                                     encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "invalid-setting" in result.output and option in result.output
