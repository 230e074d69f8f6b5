"""What an editor sees when the guard in front of Python-Markdown steps in (issue 14, finding 11).

The guard keeps Python-Markdown linear by showing the markup of a paragraph crowded past
any normal use as the characters the editor typed; normal bodies must come out exactly as
Python-Markdown alone makes them.
"""

from __future__ import annotations

import markdown
import pytest

from generator.text.markdown_guard import PARAGRAPH_ALLOWANCE, guard, unguard


def convert(text: str) -> str:
    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list", "admonition"])
    return unguard(md.convert(guard(text)))


def plain(text: str) -> str:
    return markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list", "admonition"]).convert(text)


@pytest.mark.parametrize("body", [
    "Rest *helps* (_some_ say) [a](b.md), `code` & <b>bold</b> \\*not\\* [@a; @b, p. 3].\n\n" * 40,
    "A page of links: " + " ".join(f"[link {n}](page-{n}.md)" for n in range(100)) + "\n",
    "```python\n" + "x_y = a * b[c] & d < `e`\n" * 200 + "```\n\nAfter *the* code.\n",
    "Some ``code with ` inside`` and `one` more.\n",
])
def test_normal_bodies_are_untouched(body: str) -> None:
    assert guard(body) == body
    assert convert(body) == plain(body)


def test_a_crowded_paragraph_shows_the_rest_of_its_markup_as_typed() -> None:
    body = "*a* _b_ \\ [x] <i> &c " * 200 + "\n\nNext *paragraph*.\n"
    html = convert(body)
    assert html.count("<em>a</em>") >= PARAGRAPH_ALLOWANCE // 12  # the start renders as Markdown
    assert "*a* _b_ \\ [x] &lt;i&gt; &amp;c" in html  # the rest as the characters typed
    assert "<p>Next <em>paragraph</em>.</p>" in html  # the next paragraph is on its own allowance
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in html)


def test_many_unclosed_backtick_runs_show_as_typed() -> None:
    body = "`` `" * 2000 + "\n\nThen `code`.\n"
    html = convert(body)
    assert "<p>Then <code>code</code>.</p>" in html
    assert "``` ``` ```" in html  # past the allowance, the runs show as typed
    assert "\ue006" not in html


def test_an_unclosed_fence_does_not_exempt_what_follows() -> None:
    # Python-Markdown treats a fence without its closing line as text, so the guard must too
    body = "```\n" + "*a* " * 1000 + "\n"
    assert guard(body) != body
    assert "*a* *a*" in convert(body)


def test_a_closed_fence_is_left_as_written() -> None:
    code = "*a* " * 1000
    body = "```\n" + code + "\n```\n"
    assert guard(body) == body


def test_windows_line_ends_still_separate_paragraphs() -> None:
    # Python-Markdown reads \r\n as a line end: 100 short paragraphs are not one crowded one
    body = "Rest *helps* [a](b.md) and `c` <b>d</b>.\r\n\r\n" * 100
    assert guard(body) == body


def test_a_fence_python_markdown_does_not_open_does_not_exempt_what_follows() -> None:
    # "``` a b" is no fence to Python-Markdown (one word after the fence), so its text is a paragraph
    body = "``` a b\n" + "*a* " * 1000 + "\n```\n"
    assert guard(body) != body
