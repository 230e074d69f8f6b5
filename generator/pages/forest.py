"""Forest plots as static SVG, drawn at build time: data in, an SVG string out.

No script, no font of its own, no request: the plot is a few lines, squares and
words in the page's own font and colour (`currentColor`, so it has the text's
contrast in the light and the dark scheme).  Ratios (RR, OR, HR, SHR, IRR) are
drawn on a log scale with the no-effect line at 1; differences (MD, SMD, RD) on a
linear scale with the line at 0.  Only such comparative results are drawn
(`ForestGroup.plotted` in generator/pages/evidence_views.py): a proportion, a
mean or median duration or a kappa describes one group or two raters and has
no value of no effect, so the page shows it in a table without a plot.  A
result without an interval is drawn as its square alone; its text says that no
interval was reported.  Every number is written in the site's format (`1,52`).

The SVG is `role="img"` with a `<title>` and `<desc>` naming what it shows; the
page puts a text table with the same numbers beside it for screen readers.
Squares all have one size: the KB records no study weights, so size would say
nothing.  `ELEMENTS` and `ATTRIBUTES` list exactly what this module writes: the
page inserts the SVG through a sanitizer that allows those and nothing else
(generator/pages/sanitize.py `sanitize_svg`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from generator.pages.effect_text import number

ELEMENTS = frozenset({"svg", "title", "desc", "g", "line", "rect", "text"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "svg": frozenset({"xmlns", "viewBox", "width", "role", "aria-labelledby", "class", "focusable"}),
    "title": frozenset({"id"}),
    "desc": frozenset({"id"}),
    "g": frozenset({"font-size", "fill"}),
    "line": frozenset({"x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-dasharray", "class"}),
    "rect": frozenset({"x", "y", "width", "height", "class"}),
    "text": frozenset({"x", "y", "text-anchor", "class", "font-weight"}),
}

FONT = 13
ROW = 42  # a row: the study and its estimate on one line, the interval drawn below them
CHAR = 0.6 * FONT  # a generous average width of a character in the page's sans-serif font
MIN_WIDTH = 320  # narrow enough for a phone at its own size, wide enough for a readable axis
PAD = 10
TOP = 20
AXIS = 44
WORDS = {
    "nl": {"no_effect": "geen effect", "log": "logaritmische schaal", "study": "Studie", "estimate": "Schatting (95%-BI)",
           "title": "Forest plot", "desc": "Per studie de schatting (vierkant) met het 95%-betrouwbaarheidsinterval "
                                          "(lijn); de stippellijn is geen effect."},
    "en": {"no_effect": "no effect", "log": "log scale", "study": "Study", "estimate": "Estimate (95% CI)",
           "title": "Forest plot", "desc": "Each study's estimate (square) with its 95% confidence interval (line); "
                                           "the dashed line is no effect."},
}


def slot(plot_id: str) -> str:
    """The placeholder a template prints where the plot goes (claim.html.j2 writes exactly this)."""
    return f'<div class="kb-forest__slot" data-kb-plot="{plot_id}"></div>'


@dataclass(frozen=True)
class Row:
    label: str  # the study, e.g. "Smith et al., 2020"
    estimate: float
    low: float | None
    high: float | None
    text: str  # the estimate as the page writes it: "1,52 (1,01 tot 2,29)"


def _nice_linear(low: float, high: float) -> list[float]:
    span = high - low or abs(high) or 1.0
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


_LOG_TICKS = [m * 10 ** p for p in range(-3, 4) for m in (1, 2, 5)]


def _nice_log(low: float, high: float) -> list[float]:
    ticks = [t for t in _LOG_TICKS if low <= t <= high]
    if len(ticks) > 6:
        ticks = [t for t in ticks if str(t).lstrip("0.").startswith("1")] or ticks
    return ticks


def forest_svg(rows: list[Row], measure: str, log: bool, no_effect: float | None, language: str,
               plot_id: str) -> str:
    """The forest plot of *rows* (one per study result) as an SVG string; *plot_id* makes its ids unique."""
    w = WORDS.get(language, WORDS["en"])
    values = [v for r in rows for v in (r.estimate, r.low, r.high) if v is not None]
    if no_effect is not None:
        values.append(no_effect)
    if log:
        values = [v for v in values if v > 0] or [1.0]
    low, high = min(values), max(values)

    def scaled(v: float) -> float:
        return math.log10(v) if log else v

    lo, hi = scaled(low), scaled(high)
    pad = (hi - lo) * 0.08 or (0.3 if log else max(abs(hi) * 0.2, 1.0))
    lo, hi = lo - pad, hi + pad
    widest = max(len(w["study"]) + len(w["estimate"]), *(len(r.label) + len(r.text) for r in rows))
    width = max(MIN_WIDTH, widest * CHAR + 3 * PAD)
    x0, x1 = PAD + 4, width - PAD - 4
    height = TOP + ROW * len(rows) + AXIS

    def x(v: float) -> float:
        return x0 + (scaled(v) - lo) / (hi - lo) * (x1 - x0)

    def f(v: float) -> str:
        return f"{v:.1f}".rstrip("0").rstrip(".")

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {f(width)} {f(height)}" width="{f(width)}" '
           f'role="img" aria-labelledby="{plot_id}-title {plot_id}-desc" class="kb-forest__svg" focusable="false">',
           f'<title id="{plot_id}-title">{html.escape(w["title"])}: {html.escape(measure)}'
           f'{" (" + html.escape(w["log"]) + ")" if log else ""}</title>',
           f'<desc id="{plot_id}-desc">{html.escape(w["desc"] if no_effect is not None else w["desc"].split(";")[0] + ".")}</desc>',
           f'<g font-size="{FONT}" fill="currentColor">',
           f'<text x="0" y="{FONT}" font-weight="bold">{html.escape(w["study"])}</text>',
           f'<text x="{f(width)}" y="{FONT}" text-anchor="end" font-weight="bold">{html.escape(w["estimate"])}</text>']
    bottom = TOP + ROW * len(rows)
    if no_effect is not None:
        nx = f(x(no_effect))
        out.append(f'<line x1="{nx}" y1="{TOP + FONT + 4}" x2="{nx}" y2="{bottom}" stroke="currentColor" stroke-width="1" '
                   'stroke-dasharray="4 3" class="kb-forest__null"></line>')
    for index, row in enumerate(rows):
        top = TOP + ROW * index
        out.append(f'<text x="0" y="{f(top + FONT + 2)}">{html.escape(row.label)}</text>')
        out.append(f'<text x="{f(width)}" y="{f(top + FONT + 2)}" text-anchor="end">{html.escape(row.text)}</text>')
        cy = top + FONT + 16
        if row.low is not None and row.high is not None:
            out.append(f'<line x1="{f(x(row.low))}" y1="{f(cy)}" x2="{f(x(row.high))}" y2="{f(cy)}" stroke="currentColor" '
                       'stroke-width="2" class="kb-forest__ci"></line>')
        size = 10
        out.append(f'<rect x="{f(x(row.estimate) - size / 2)}" y="{f(cy - size / 2)}" width="{size}" height="{size}" '
                   'class="kb-forest__estimate"></rect>')
    out.append(f'<line x1="{f(x0)}" y1="{bottom}" x2="{f(x1)}" y2="{bottom}" stroke="currentColor" '
               'stroke-width="1" class="kb-forest__axis"></line>')
    ticks = _nice_log(10 ** lo, 10 ** hi) if log else _nice_linear(lo, hi)
    for tick in ticks:
        tx = f(x(tick))
        out.append(f'<line x1="{tx}" y1="{bottom}" x2="{tx}" y2="{bottom + 5}" stroke="currentColor" '
                   'stroke-width="1"></line>')
        out.append(f'<text x="{tx}" y="{bottom + 5 + FONT}" text-anchor="middle">{html.escape(number(tick, language))}</text>')
    if no_effect is not None:
        out.append(f'<text x="{f(x(no_effect))}" y="{bottom + 8 + 2 * FONT}" text-anchor="middle">'
                   f'{html.escape(w["no_effect"])}</text>')
    out.append("</g></svg>")
    return "".join(out)
