"""Nothing from the repository reaches the maintainer's terminal raw (issue 18, finding 6).

Keys, citation keys, pyproject.toml keys, file names and statements are a contributor's choice;
`kb check` (text, GitHub annotations), `kb diff`, `kb add` and every refusal show their
unprintable characters as escapes (`\\x1b`, `\\u202e`), and `kb check --format json` stays JSON
with the exact data.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.commands.cli import main

_spec = importlib.util.spec_from_file_location("kbproject", Path(__file__).parent / "payloads" / "kbproject.py")
kbproject = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(kbproject)  # type: ignore[union-attr]
write_project, CLAIM, BIB = kbproject.write_project, kbproject.CLAIM, kbproject.BIB

#: what an attacker sends a terminal: retitle (OSC 0 ... BEL), erase line (CSI 2K), clipboard (OSC 52),
#: a hyperlink (OSC 8 ... ST), C1 CSI, a bidi override, a line separator
SEQUENCES = ["\x1b]0;pwned\x07", "\x1b[2K\r", "\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b]8;;http://evil\x1b\\",
             "\x9b2K", "\u202e", "\u2028"]

_UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def printable(text: str, keep: str = "") -> str:
    from generator.core.terminal import printable as shown  # imported here: the module is new in issue 18

    return shown(text, keep)


def raw_controls(text: str) -> list[str]:
    """The unprintable characters in *text*, newline aside (where kb itself breaks lines)."""
    return sorted({repr(c) for c in text if c != "\n" and unicodedata.category(c) in _UNSAFE})


def kb(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kb {' '.join(args)} raised {result.exception!r}") from result.exception
    return result


def _yaml(seq: str) -> str:
    """*seq* as a YAML double-quoted escape sequence (so the file itself is plain text)."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in seq)


@pytest.fixture(params=SEQUENCES, ids=[repr(s) for s in SEQUENCES])
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    seq = request.param
    claim = CLAIM.replace("  - source: jones2019", f'  - source: "jones{_yaml(seq)}2019"')
    claim = claim.replace("[@smith2020; @jones2019, ch. 3]", "[@smith2020; @jones2019, ch. 3] [@ev" + seq + "il]")
    bib = BIB.replace("@book{jones2019,", "@book{jones2019,").replace("@article{smith2020,", "@article{smith" + seq +
                                                                        "2020x,\n  title = {x},\n}\n@article{smith2020,")
    root = write_project(tmp_path / "project", claim=claim, bib=bib)
    (root / "pyproject.toml").write_text(f'[tool.kb]\n"stale{_yaml(seq)}" = 1\n', encoding="utf-8")
    return root, seq


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_shows_escape_sequences_escaped(hostile: tuple[Path, str], fmt: str) -> None:
    root, seq = hostile
    result = kb("check", "--root", str(root), "--format", fmt)
    assert result.exit_code == 1, result.output
    assert raw_controls(result.output) == []
    assert printable(seq) in result.output  # shown, as an escape: the maintainer sees what is there
    assert "invalid-setting" in result.output and "unknown-citation" in result.output


def test_check_json_stays_json_with_the_exact_data(hostile: tuple[Path, str]) -> None:
    root, seq = hostile
    result = kb("check", "--root", str(root), "--format", "json")
    assert raw_controls(result.output) == []
    data = json.loads(result.output)
    assert any(seq in (d["message"] or "") for d in data["diagnostics"])


def test_a_newline_in_a_message_cannot_forge_a_report_line(tmp_path: Path) -> None:
    claim = CLAIM.replace("  - source: jones2019", '  - source: "x\\nreferences.bib:1: error: forged [bib-syntax]"')
    root = write_project(tmp_path / "project", claim=claim)
    result = kb("check", "--root", str(root))
    assert not any(line.startswith("references.bib:1: error: forged") for line in result.output.splitlines())


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


@pytest.mark.parametrize("seq", SEQUENCES, ids=[repr(s) for s in SEQUENCES])
def test_diff_shows_statements_escaped(tmp_path: Path, seq: str) -> None:
    root = write_project(tmp_path / "project")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    claim = root / "content" / "claims" / "exercise-helps.md"
    claim.write_text(CLAIM.replace("Exercise therapy reduces pain", f"Exercise {_yaml(seq)} reduces pain"),
                     encoding="utf-8")
    result = kb("diff", "HEAD", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == []
    assert printable(seq) in result.output


@pytest.mark.parametrize("seq", SEQUENCES, ids=[repr(s) for s in SEQUENCES])
def test_refusals_show_escape_sequences_escaped(tmp_path: Path, seq: str) -> None:
    root = write_project(tmp_path / "project")
    _git(root, "init", "-q")
    result = kb("diff", f"main{seq}", "--root", str(root))
    assert result.exit_code == 2
    assert raw_controls(result.output) == []


def test_add_prints_a_fetched_title_escaped(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project")
    export = tmp_path / "export.json"
    export.write_text(json.dumps([{"type": "article-journal", "title": "Knee \u202epain\u202c \x9b2K study",
                                   "author": [{"family": "Smith", "given": "Ann"}], "issued": {"date-parts": [[2021]]},
                                   "container-title": "J"}]), encoding="utf-8")
    result = kb("add", "--from", str(export), "--root", str(root))
    assert raw_controls(result.output) == []


@pytest.mark.parametrize(("text", "shown"), [
    ("a\x1b]0;t\x07b", "a\\x1b]0;t\\x07b"), ("\x9b", "\\x9b"), ("x\u202ey", "x\\u202ey"), ("\u2066", "\\u2066"),
    ("\U000e0041", "\\U000e0041"), ("\ufeff", "\\ufeff"), ("a\nb", "a\\x0ab"), ("\x7f", "\\x7f"),
    ("Knie — “pijn” é ß ñ 日本", "Knie — “pijn” é ß ñ 日本"), ("\u00ad", "\\xad"),
])
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(text, keep="\n") == shown.replace("\\x0a", "\n")


def test_text_leaves_kb_through_one_echo() -> None:
    """No module prints on its own: print(), sys.stdout/stderr.write and click.echo only in cli.echo."""
    import ast

    package = Path(__file__).resolve().parent.parent / "generator"
    wrong = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "echo" and path.name == "cli.py":
                allowed |= {n.lineno for n in ast.walk(node) if hasattr(n, "lineno")}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or node.lineno in allowed:
                continue
            func = node.func
            name = ast.unparse(func)
            if name in ("print", "click.echo", "click.secho", "sys.stdout.write", "sys.stderr.write"):
                wrong.append(f"{path.relative_to(package.parent)}:{node.lineno}: {name}")
    assert not wrong, "print through generator.commands.cli.echo (it escapes what the terminal must not run):\n" + \
        "\n".join(wrong)
