"""What the templates show of study appraisals: source-page tables, forest plots, words.

A mixin of the renderer (like generator/pages/helpers.py): plain data and
words for the templates, nothing written.  The forest plots are drawn by
generator/pages/forest.py; `forest_plots` hands the page both the slots the
template prints and the SVG the renderer puts into them after sanitizing
(`Renderer._page`, `trusted`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.core import i18n
from generator.core.model import Appraisal, Claim, KnowledgeBase
from generator.pages import effect_text, forest
from generator.pages import evidence_views as views
from generator.pages.references import Formatted


@dataclass(frozen=True)
class ForestPlot:
    id: str  # "bosplot-1": the slot the template prints, and the ids inside the SVG
    group: views.ForestGroup
    svg: str
    no_effect: str | None  # "geen effect bij 1", for the table's caption


class AppraisalHelpers:
    """The templates' view of appraisals (mixed into generator.pages.render.Renderer)."""

    kb: KnowledgeBase
    refs: dict[str, Formatted]
    lang: str

    def aw(self, key: str) -> str:
        """A word of the appraisal views in the site's language."""
        return i18n.APPRAISAL[self.lang][key]

    def appraisal(self, key: str) -> Appraisal | None:
        return self.kb.appraisals.get(key)

    def rob_tool(self, tool: str) -> str:
        return i18n.ROB_TOOL[self.lang].get(tool, tool)

    def rob_domain(self, tool: str, name: str) -> str:
        return i18n.rob_domain(self.lang, tool, name)

    def rob_judgement(self, judgement: str | None) -> str:
        return i18n.ROB_JUDGEMENT[self.lang].get(judgement or "", judgement or "")

    def estimate(self, effect: object) -> str:
        return effect_text.estimate_text(effect, self.lang)  # type: ignore[arg-type]

    def count(self, value: int | None) -> str:
        return "" if value is None else effect_text.number(float(value), self.lang, 0)

    def measure_label(self, measure: str) -> str:
        """'gemiddelde' for mean, 'RD (risicoverschil)' for RD: the measure column of the results tables."""
        return effect_text.measure_label(measure, self.lang)

    def cited_result(self, key: str, effect_id: str | None) -> str | None:
        """'HR 1,52 (1,01 tot 2,29)': the result an evidence item names, or None."""
        appraisal = self.kb.appraisals.get(key)
        effect = appraisal.effect(effect_id) if appraisal is not None and effect_id else None
        return effect_text.relative_text(effect, self.lang) if effect is not None else None

    def forest_plots(self, claim: Claim) -> list[ForestPlot]:
        """One plot per scale for the results the claim cites; none when it cites none."""
        plots = []
        items = views.claim_effects(self.kb, claim, self.lang)
        for index, group in enumerate(views.forest_groups(items)):
            plot_id = f"bosplot-{index + 1}"
            rows = [forest.Row(self.refs[item.key].label, item.effect.estimate, item.effect.ci_low,
                               item.effect.ci_high, item.estimate) for item in group.items]
            measure = ", ".join(group.measures) + (f" ({group.unit})" if group.unit else "")
            # a single-group result or a kappa is not drawn: its table below says why
            svg = forest.forest_svg(rows, measure, group.log, group.no_effect, self.lang, plot_id) if group.plotted else ""
            shown = (self.aw("no_effect_value").format(value=effect_text.number(group.no_effect, self.lang))
                     if group.no_effect is not None else None)
            plots.append(ForestPlot(plot_id, group, svg, shown))
        return plots
