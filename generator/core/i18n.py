"""The generator's own words, per site language (nl is the shipped site)."""

from __future__ import annotations

import re

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "home": "Home", "injuries": "Blessures", "risk-factors": "Risicofactoren", "interventions": "Interventies",
        "injury": "blessure", "risk-factor": "risicofactor", "intervention": "interventie",
        "claims": "Beweringen", "claim": "Bewering", "references": "Bronnen", "bibliography": "Alle bronnen",
        "sources_on_page": "Bronnen op deze pagina", "evidence": "Bewijs", "certainty": "Zekerheid",
        "certainty_reason": "Waarom dit niveau", "population": "Populatie", "type": "Soort bewering",
        "reviewed": "Laatst beoordeeld", "stance": "Standpunt", "source": "Bron", "design": "Opzet",
        "locator": "Vindplaats", "quote": "Citaat", "note": "Toelichting", "about": "Over",
        "related": "Verbonden met", "cited_by": "Geciteerd door", "abstract": "Samenvatting (abstract)",
        "doi": "DOI", "pubmed": "PubMed", "pmc": "PubMed Central", "url": "Online", "legend": "Legenda",
        "legend_title": "Zo lees je deze site", "outdated": "Achterhaald advies", "superseded_by": "Vervangen door",
        "superseded_notice": "Deze bewering is achterhaald.", "unverified_title": "Niet geverifieerd",
        "unverified": "Deze referentie kon niet worden geverifieerd: er is geen betrouwbare kopie van het "
                      "bibliografische record gevonden. Beweringen die alleen op deze bron steunen zijn onzeker.",
        "cited_as_title": "Jaartal", "no_claims": "Er zijn nog geen beweringen.", "all_claims": "Alle beweringen",
        "what_helps": "Wat helpt, en wat niet", "details": "Alle beweringen in detail", "counts": "In cijfers",
        "claim_count": "beweringen", "source_count": "bronnen", "entity_count": "onderwerpen",
        "other_claims": "Overige beweringen", "site_intro": "Elke bewering op deze site is herleidbaar tot de "
        "studie erachter, met hoe zeker het bewijs is en of de bron de bewering ondersteunt of juist niet.",
        "cite_page": "Deze pagina citeren", "with": "met", "certainty_legend": "Zekerheid van het bewijs (GRADE)",
        "stance_legend": "Standpunt van een bron", "nd": "z.j.",
        "grade_profile": "Bewijsprofiel (GRADE)", "grade_start": "Startniveau", "domain": "Domein",
        "judgement": "Oordeel", "reason": "Reden", "grade_result": "Uitkomst",
        "grade_not_applicable": "GRADE is niet van toepassing", "stance_tally": "Standpunten van de bronnen",
        "sof": "Samenvatting van de bevindingen (GRADE)", "sof_sources": "Bronnen (opzet)",
        "participants": "Deelnemers", "footnotes": "Voetnoten", "unknown": "onbekend", "of": "van",
        "citation_statements": "Wat deze bron zegt over de beweringen", "research_gap": "geen onderzoek gevonden",
        "quote_lang_note": "Citaat in de taal van de bron", "back_to_table": "terug naar de tabel",
        "cited_as": "Geciteerd als", "reviewed_short": "beoordeeld", "level": "Niveau", "meaning": "Betekenis",
        "also_known_as": "Ook bekend als", "source_facts": "Gegevens van deze bron", "site_title": "Kennisbank", "evidence_map": "Bewijskaart",
        "summary_one": "bewering", "summary_many": "beweringen",
        "summary_line": "{count} {claims}, van meest naar minst zeker geordend; zekerheid van het bewijs: {levels}.",
        "retracted_title": "Ingetrokken", "retracted_source": "Dit artikel is ingetrokken. Gebruik het niet als "
        "bewijs voor een bewering.", "retracted_claim": "Deze bewering citeert een ingetrokken artikel:",
        "corrected_title": "Correctie",
    },
    "en": {
        "home": "Home", "injuries": "Injuries", "risk-factors": "Risk factors", "interventions": "Interventions",
        "injury": "injury", "risk-factor": "risk factor", "intervention": "intervention",
        "claims": "Claims", "claim": "Claim", "references": "Sources", "bibliography": "All sources",
        "sources_on_page": "Sources on this page", "evidence": "Evidence", "certainty": "Certainty",
        "certainty_reason": "Why this level", "population": "Population", "type": "Kind of claim",
        "reviewed": "Last reviewed", "stance": "Stance", "source": "Source", "design": "Design",
        "locator": "Locator", "quote": "Quote", "note": "Note", "about": "About",
        "related": "Connected to", "cited_by": "Cited by", "abstract": "Abstract",
        "doi": "DOI", "pubmed": "PubMed", "pmc": "PubMed Central", "url": "Online", "legend": "Legend",
        "legend_title": "How to read this site", "outdated": "Outdated advice", "superseded_by": "Superseded by",
        "superseded_notice": "This claim is outdated.", "unverified_title": "Not verified",
        "unverified": "This reference could not be verified: no reliable copy of its bibliographic record was "
                      "found. Claims that rest on it alone are uncertain.",
        "cited_as_title": "Year", "no_claims": "No claims yet.", "all_claims": "All claims",
        "what_helps": "What helps, and what does not", "details": "All claims in detail", "counts": "In numbers",
        "claim_count": "claims", "source_count": "sources", "entity_count": "topics",
        "other_claims": "Other claims", "site_intro": "Every claim on this site is traceable to the study behind "
        "it, with how certain the evidence is and whether the source supports it.",
        "cite_page": "Cite this page", "with": "with", "certainty_legend": "Certainty of the evidence (GRADE)",
        "stance_legend": "Stance of a source", "nd": "n.d.",
        "grade_profile": "Evidence profile (GRADE)", "grade_start": "Starting level", "domain": "Domain",
        "judgement": "Judgement", "reason": "Reason", "grade_result": "Result",
        "grade_not_applicable": "GRADE does not apply", "stance_tally": "What the sources say",
        "sof": "Summary of findings (GRADE)", "sof_sources": "Sources (designs)",
        "participants": "Participants", "footnotes": "Footnotes", "unknown": "unknown", "of": "of",
        "citation_statements": "What this source says about the claims", "research_gap": "no research found",
        "quote_lang_note": "Quote in the source's language", "back_to_table": "back to the table",
        "cited_as": "Cited as", "reviewed_short": "reviewed", "level": "Level", "meaning": "Meaning",
        "also_known_as": "Also known as", "source_facts": "Facts about this source", "site_title": "Knowledge base", "evidence_map": "Evidence map",
        "summary_one": "claim(s)", "summary_many": "claim(s)",
        "summary_line": "{count} {claims}, most certain first; certainty of the evidence: {levels}.",
        "retracted_title": "Retracted", "retracted_source": "This article has been retracted. Do not use it as "
        "evidence for a claim.", "retracted_claim": "This claim cites a retracted article:",
        "corrected_title": "Correction",
    },
}

CERTAINTY = {
    "nl": {"high": "hoog", "moderate": "matig", "low": "laag", "very-low": "zeer laag",
           "not-graded": "niet beoordeeld (GRADE n.v.t.)"},
    "en": {"high": "high", "moderate": "moderate", "low": "low", "very-low": "very low",
           "not-graded": "not graded (GRADE n/a)"},
}
CERTAINTY_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very-low": "⊕◯◯◯", "not-graded": "–"}
CERTAINTY_MEANING = {
    "nl": {
        "high": "We zijn er zeer zeker van dat het werkelijke effect dicht bij het geschatte effect ligt.",
        "moderate": "We zijn redelijk zeker; het werkelijke effect ligt waarschijnlijk dicht bij de schatting, "
                    "maar kan er wezenlijk van verschillen.",
        "low": "Ons vertrouwen is beperkt; het werkelijke effect kan wezenlijk anders zijn.",
        "very-low": "We hebben weinig vertrouwen; het werkelijke effect is waarschijnlijk wezenlijk anders.",
        "not-graded": "GRADE is niet van toepassing, bijvoorbeeld op een definitie of een afspraak; "
                      "de bewering zegt niets over een effect of risico.",
    },
    "en": {
        "high": "We are very confident that the true effect lies close to the estimate.",
        "moderate": "We are moderately confident; the true effect is likely close to the estimate but may differ.",
        "low": "Our confidence is limited; the true effect may be substantially different.",
        "very-low": "We have very little confidence; the true effect is likely substantially different.",
        "not-graded": "GRADE does not apply, for example to a definition or an agreement; the claim states no "
                      "effect or risk.",
    },
}
STANCE = {
    "nl": {"supports": "ondersteunt", "contradicts": "spreekt tegen", "qualifies": "nuanceert", "mentions": "noemt"},
    "en": {"supports": "supports", "contradicts": "contradicts", "qualifies": "qualifies", "mentions": "mentions"},
}
STANCE_SYMBOLS = {"supports": "✔", "contradicts": "✘", "qualifies": "≈", "mentions": "○"}
STANCE_MEANING = {
    "nl": {"supports": "De bron ondersteunt de bewering.", "contradicts": "De bron spreekt de bewering tegen.",
           "qualifies": "De bron ondersteunt de bewering gedeeltelijk of onder voorwaarden.",
           "mentions": "De bron noemt het onderwerp, maar onderbouwt de bewering niet."},
    "en": {"supports": "The source supports the claim.", "contradicts": "The source contradicts the claim.",
           "qualifies": "The source supports the claim only in part or under conditions.",
           "mentions": "The source mentions the topic but does not support the claim."},
}
CLAIM_TYPE = {
    "nl": {"intervention": "behandeling", "risk-factor": "risicofactor", "prognosis": "prognose",
           "mechanism": "mechanisme", "epidemiology": "epidemiologie", "advice": "advies", "diagnosis": "diagnose"},
    "en": {t: t.replace("-", " ") for t in ("intervention", "risk-factor", "prognosis", "mechanism",
                                              "epidemiology", "advice", "diagnosis")},
}
DESIGN = {
    "nl": {"systematic-review": "systematische review", "meta-analysis": "meta-analyse",
           "rct": "gerandomiseerde studie (RCT)", "cohort": "cohortstudie", "case-control": "patiënt-controleonderzoek",
           "cross-sectional": "dwarsdoorsnedeonderzoek", "narrative-review": "narratieve review",
           "consensus": "consensusverklaring", "guideline": "richtlijn", "case-series": "casusreeks",
           "expert-opinion": "mening van experts", "other": "overig"},
    "en": {"systematic-review": "systematic review", "meta-analysis": "meta-analysis", "rct": "randomised trial (RCT)",
           "cohort": "cohort study", "case-control": "case-control study", "cross-sectional": "cross-sectional study",
           "narrative-review": "narrative review", "consensus": "consensus statement", "guideline": "guideline",
           "case-series": "case series", "expert-opinion": "expert opinion", "other": "other"},
}
#: GRADE domains of an evidence profile (the keys of model.DOMAIN_RATINGS)
GRADE_DOMAIN = {
    "nl": {"risk_of_bias": "Risico op vertekening", "inconsistency": "Inconsistentie",
           "indirectness": "Indirectheid", "imprecision": "Onnauwkeurigheid", "publication_bias": "Publicatiebias",
           "large_effect": "Groot effect", "dose_response": "Dosis-responsrelatie",
           "plausible_confounding": "Confounding die het effect verkleint"},
    "en": {"risk_of_bias": "Risk of bias", "inconsistency": "Inconsistency", "indirectness": "Indirectness",
           "imprecision": "Imprecision", "publication_bias": "Publication bias", "large_effect": "Large effect",
           "dose_response": "Dose-response gradient", "plausible_confounding": "Plausible confounding"},
}
GRADE_RATING = {
    "nl": {"no": "geen", "serious": "ernstig (−1)", "very-serious": "zeer ernstig (−2)", "large": "groot (+1)",
           "very-large": "zeer groot (+2)", "yes": "ja (+1)"},
    "en": {"no": "no", "serious": "serious (−1)", "very-serious": "very serious (−2)", "large": "large (+1)",
           "very-large": "very large (+2)", "yes": "yes (+1)"},
}
GRADE_START = {
    "nl": {"high": "hoog", "low": "laag"},
    "en": {"high": "high", "low": "low"},
}
MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def lang(language: str) -> str:
    return language if language in LABELS else "en"

#: section headings on entity pages, per claim type
TYPE_SECTIONS = {
    "nl": {"intervention": "Behandeling en herstel", "advice": "Adviezen", "risk-factor": "Risicofactoren",
           "prognosis": "Beloop en prognose", "mechanism": "Hoe het werkt", "epidemiology": "Hoe vaak het voorkomt",
           "diagnosis": "Diagnose"},
    "en": {"intervention": "Treatment and recovery", "advice": "Advice", "risk-factor": "Risk factors",
           "prognosis": "Course and prognosis", "mechanism": "How it works", "epidemiology": "How common it is",
           "diagnosis": "Diagnosis"},
}
#: which sections an entity page shows first: the reader's question for that kind of page
TYPE_ORDER = {
    "injury": ("intervention", "advice", "diagnosis", "risk-factor", "prognosis", "mechanism", "epidemiology"),
    "risk-factor": ("risk-factor", "prognosis", "mechanism", "intervention", "advice", "diagnosis", "epidemiology"),
    "intervention": ("intervention", "advice", "mechanism", "prognosis", "risk-factor", "diagnosis", "epidemiology"),
}

#: a claim's history (generator/changes/changelog.py), the page "Wat is er veranderd" and the Atom feed
HISTORY = {
    "nl": {
        "history": "Geschiedenis", "no_history": "Geen wijzigingsgeschiedenis beschikbaar.",
        "incomplete": "Deze site is gebouwd uit een onvolledige kopie van de geschiedenis: oudere wijzigingen "
                      "ontbreken.",
        "added": "Toegevoegd", "changed": "Gewijzigd", "removed": "Verwijderd",
        "earliest": "Oudste versie in deze kopie; de eerdere geschiedenis ontbreekt",
        "no_detail": "de versies zijn niet te vergelijken (een ervan is onleesbaar)",
        "statement": "Bewering anders geformuleerd; was: “{old}”", "certainty": "Zekerheid: {old} → {new}",
        "status": "Status: {old} → {new}", "gained": "Bron toegevoegd: {items}",
        "gained_many": "Bronnen toegevoegd: {items}", "lost": "Bron vervallen: {items}",
        "lost_many": "Bronnen vervallen: {items}", "restanced": "Standpunt van {source}: {old} → {new}",
        "reviewed": "Opnieuw beoordeeld op {new} (was {old})", "reviewed_first": "Beoordeeld op {new}",
        "other": "Andere gegevens aangepast, zoals de toelichting",
        "conclusion": "conclusie gewijzigd", "reason": "Reden", "change": "wijziging {short}",
        "changes_title": "Wat is er veranderd",
        "changes_intro": "De laatste wijzigingen in de beweringen van deze kennisbank, nieuwste eerst, met de "
                         "reden die de redactie opgaf (als die is opgegeven). Bij ‘conclusie gewijzigd’ is de zekerheid, het standpunt "
                         "van een bron of de status van de bewering veranderd.",
        "not_committed": "Deze bewering is nog niet vastgelegd: er is nog geen geschiedenis.",
        "subscribe": "Op de hoogte blijven? Volg deze wijzigingen in een nieuwslezer",
        "subscribe_link": "Atom", "no_changes": "Er zijn nog geen wijzigingen.",
        "feed_title": "Wat is er veranderd · {site}", "removed_claim": "Verwijderde bewering",
        "built_from": "Versie van", "last_searched": "Laatst gezocht naar nieuwe studies",
    },
    "en": {
        "history": "History", "no_history": "No change history available.",
        "incomplete": "This site was built from an incomplete copy of the history: older changes are missing.",
        "added": "Added", "changed": "Changed", "removed": "Removed",
        "earliest": "Oldest version in this copy; the earlier history is missing",
        "no_detail": "the versions cannot be compared (one of them is unreadable)",
        "statement": "Statement reworded; was: “{old}”", "certainty": "Certainty: {old} → {new}",
        "status": "Status: {old} → {new}", "gained": "Source added: {items}", "gained_many": "Sources added: {items}",
        "lost": "Source dropped: {items}", "lost_many": "Sources dropped: {items}",
        "restanced": "Stance of {source}: {old} → {new}",
        "reviewed": "Reviewed again on {new} (was {old})", "reviewed_first": "Reviewed on {new}",
        "other": "Other details changed, such as the note",
        "conclusion": "conclusion changed", "reason": "Reason", "change": "change {short}",
        "changes_title": "What has changed",
        "changes_intro": "The latest changes to the claims of this knowledge base, newest first, with the "
                         "reason the editors gave (where they gave one). ‘Conclusion changed’ means that the certainty, a source's "
                         "stance or the claim's status changed.",
        "not_committed": "This claim has not been committed yet: it has no history.",
        "subscribe": "Stay informed: follow these changes in a feed reader", "subscribe_link": "Atom",
        "no_changes": "No changes yet.", "feed_title": "What has changed · {site}", "removed_claim": "Removed claim",
        "built_from": "Version of", "last_searched": "Last searched for new studies",
    },
}
STATUS = {"nl": {"current": "actueel", "superseded": "achterhaald"},
          "en": {"current": "current", "superseded": "superseded"}}

#: `no-difference-wording`: phrases with which a statement says two things are equally good, or that
#: something makes no difference (matched case-insensitively as whole words, in the site's language) ...
NO_DIFFERENCE_PHRASES = {
    "nl": ("geen verschil", "geen verschillen", "even goed", "even effectief", "net zo goed", "net zo effectief",
           "niet slechter", "niet beter", "geen effect", "geen invloed", "vergelijkbaar", "vergelijkbare",
           "maakt niet uit"),
    "en": ("no difference", "no differences", "as good as", "as effective as", "equally effective", "equally good",
           "not worse", "no better", "no effect", "no influence", "similar", "comparable", "does not matter"),
}
#: ... and the phrases that say the result behind it is not significant: absence of evidence, not
#: evidence of absence (Altman & Bland, BMJ 1995;311:485)
NOT_SHOWN_PHRASES = {
    "nl": ("niet significant", "geen significant", "geen significante", "niet aangetoond", "geen verschil aangetoond",
           "geen effect aangetoond", "geen aantoonbaar",
           "geen aantoonbare", "niet aantoonbaar", "geen bewijs", "onzeker", "onduidelijk", "kan niet worden uitgesloten",
           "niet uit te sluiten", "betrouwbaarheidsinterval"),
    "en": ("not significant", "non-significant", "nonsignificant", "no significant", "not shown", "not demonstrated",
           "no difference was shown", "no difference was found", "no difference shown", "no effect was shown",
           "no evidence", "uncertain", "unclear", "cannot be ruled out", "cannot be excluded", "confidence interval"),
}


_PHRASE_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _phrase_found(text: str, phrases: tuple[str, ...]) -> str | None:
    """The first of *phrases* (in list order) in *text* as whole words, ignoring case and line breaks."""
    pattern = _PHRASE_PATTERNS.get(phrases)
    if pattern is None:
        pattern = _PHRASE_PATTERNS[phrases] = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")
    found = {m.group(1) for m in pattern.finditer(" ".join(text.casefold().split()))}
    return next((p for p in phrases if p in found), None)


def no_difference_phrase(statement: str, language: str) -> str | None:
    """The phrase with which *statement* says "no difference", or None."""
    return _phrase_found(statement, NO_DIFFERENCE_PHRASES[lang(language)])


def says_not_shown(statement: str, language: str) -> bool:
    """Does *statement* say that the difference was not shown (rather than shown to be absent)?"""
    return _phrase_found(statement, NOT_SHOWN_PHRASES[lang(language)]) is not None

#: study appraisals (content/sources/<key>.md) on source pages, forest plots and summary-of-findings tables
APPRAISAL = {
    "nl": {
        "appraisal": "Beoordeling van de studie", "not_appraised": "Niet beoordeeld",
        "not_appraised_text": "Deze studie is nog niet beoordeeld op risico op vertekening; er zijn geen resultaten "
                              "als gegevens vastgelegd.",
        "tool": "Instrument", "domain": "Domein", "judgement": "Oordeel", "reason": "Reden",
        "overall": "Totaaloordeel", "not_applicable": "Geen instrument van toepassing",
        "appraised_on": "Beoordeeld op", "abstract_incomplete": "De opgeslagen samenvatting is onvolledig",
        "abstract_complete": "De opgeslagen samenvatting is volledig gelezen.",
        "effects": "Resultaten", "effects_caption": "Resultaten van deze studie die de kennisbank gebruikt",
        "outcome": "Uitkomst", "comparison": "Vergelijking", "measure": "Maat", "estimate": "Schatting (95%-BI)",
        "participants": "Deelnemers", "follow_up": "Follow-up", "quote": "Citaat", "notes": "Notities van de beoordelaar",
        "forest": "Effecten van de studies", "forest_caption": "De effecten uit de forest plot, per studie",
        "source": "Studie", "relative": "Relatief effect (95%-BI)", "absolute": "Absoluut effect (95%-BI)",
        "no_effect_value": "geen effect bij {value}", "result": "Resultaat",
        "table_caption": "Resultaten zonder forest plot: één groep of overeenstemming tussen beoordelaars, geen "
                         "vergelijking van twee groepen, dus geen lijn van geen effect",
        "results_ci": "Resultaat (95%-BI)",
    },
    "en": {
        "appraisal": "Appraisal of the study", "not_appraised": "Not appraised",
        "not_appraised_text": "This study has not yet been appraised for risk of bias; no results are recorded as data.",
        "tool": "Tool", "domain": "Domain", "judgement": "Judgement", "reason": "Reason",
        "overall": "Overall", "not_applicable": "No tool applies",
        "appraised_on": "Appraised on", "abstract_incomplete": "The stored abstract is incomplete",
        "abstract_complete": "The stored abstract was read in full.",
        "effects": "Results", "effects_caption": "Results of this study the knowledge base uses",
        "outcome": "Outcome", "comparison": "Comparison", "measure": "Measure", "estimate": "Estimate (95% CI)",
        "participants": "Participants", "follow_up": "Follow-up", "quote": "Quote", "notes": "Reviewer's notes",
        "forest": "Effects of the studies", "forest_caption": "The effects in the forest plot, per study",
        "source": "Study", "relative": "Relative effect (95% CI)", "absolute": "Absolute effect (95% CI)",
        "no_effect_value": "no effect at {value}", "result": "Result",
        "table_caption": "Results without a forest plot: one group or agreement between raters, not a comparison "
                         "of two groups, so there is no line of no effect",
        "results_ci": "Result (95% CI)",
    },
}
ROB_TOOL = {
    "nl": {"rob-2": "RoB 2 (gerandomiseerde studies)", "robins-i": "ROBINS-I (niet-gerandomiseerde interventiestudies)",
           "robins-e": "ROBINS-E (studies naar blootstelling)", "quips": "QUIPS (prognostische studies)",
           "amstar-2": "AMSTAR 2 (systematische reviews)", "robis": "ROBIS (systematische reviews)",
           "not-applicable": "niet van toepassing"},
    "en": {"rob-2": "RoB 2 (randomised trials)", "robins-i": "ROBINS-I (non-randomised studies of interventions)",
           "robins-e": "ROBINS-E (studies of exposures)", "quips": "QUIPS (prognostic factor studies)",
           "amstar-2": "AMSTAR 2 (systematic reviews)", "robis": "ROBIS (systematic reviews)",
           "not-applicable": "not applicable"},
}
ROB_JUDGEMENT = {
    "nl": {"low": "laag risico", "some-concerns": "enige twijfel", "high": "hoog risico"},
    "en": {"low": "low risk", "some-concerns": "some concerns", "high": "high risk"},
}
ROB_DOMAIN = {
    "nl": {"randomisation": "Randomisatie", "deviations": "Afwijkingen van de interventie",
           "missing_data": "Ontbrekende gegevens", "measurement": "Meting van de uitkomst",
           "selection": "Selectie van het gerapporteerde resultaat", "confounding": "Confounding",
           "classification": "Indeling van de interventies", "reported_result": "Selectie van het gerapporteerde resultaat",
           "measurement_exposure": "Meting van de blootstelling", "post_exposure_interventions":
           "Interventies na de blootstelling", "measurement_outcome": "Meting van de uitkomst",
           "participation": "Deelname aan de studie", "attrition": "Uitval", "prognostic_factor":
           "Meting van de prognostische factor", "outcome": "Meting van de uitkomst", "analysis": "Analyse en rapportage",
           "protocol": "Protocol vooraf", "search": "Zoekstrategie", "extraction": "Gegevensextractie",
           "risk_of_bias_assessment": "Beoordeling van vertekening", "meta_analysis": "Methode van de meta-analyse",
           "publication_bias": "Publicatiebias", "eligibility": "Inclusiecriteria", "identification":
           "Identificatie en selectie van studies", "data_collection": "Gegevensverzameling en beoordeling",
           "synthesis": "Synthese en bevindingen"},
    "en": {"randomisation": "Randomisation process", "deviations": "Deviations from intended interventions",
           "missing_data": "Missing outcome data", "measurement": "Measurement of the outcome",
           "selection": "Selection of the reported result", "confounding": "Confounding",
           "classification": "Classification of interventions", "reported_result": "Selection of the reported result",
           "measurement_exposure": "Measurement of the exposure", "post_exposure_interventions":
           "Post-exposure interventions", "measurement_outcome": "Measurement of the outcome",
           "participation": "Study participation", "attrition": "Study attrition", "prognostic_factor":
           "Prognostic factor measurement", "outcome": "Outcome measurement", "analysis": "Analysis and reporting",
           "protocol": "Protocol registered in advance", "search": "Literature search", "extraction": "Data extraction",
           "risk_of_bias_assessment": "Risk of bias assessment", "meta_analysis": "Meta-analysis methods",
           "publication_bias": "Publication bias", "eligibility": "Study eligibility criteria", "identification":
           "Identification and selection of studies", "data_collection": "Data collection and study appraisal",
           "synthesis": "Synthesis and findings"},
}
#: where one domain name means something else in another tool
ROB_DOMAIN_BY_TOOL = {
    "nl": {"robins-i": {"selection": "Selectie van deelnemers"}, "robins-e": {"selection": "Selectie van deelnemers"},
           "amstar-2": {"selection": "Selectie van studies in duplo"}},
    "en": {"robins-i": {"selection": "Selection of participants"}, "robins-e": {"selection": "Selection of participants"},
           "amstar-2": {"selection": "Study selection in duplicate"}},
}


def rob_domain(language: str, tool: str, name: str) -> str:
    """The reader's name of a risk-of-bias domain of *tool*."""
    language = lang(language)
    return ROB_DOMAIN_BY_TOOL[language].get(tool, {}).get(name) or ROB_DOMAIN[language].get(name, name)


#: the browser editor's form (generator/pages/cms_config.py): field -> (label, hint), per language.
#: Keys are a field's name, or "<set>.<name>" where one name means different things in two sets.
#: A field missing here gets its schema name and description (tests/test_cms.py lists which).
CMS_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "nl": {
        "statement": ("Bewering", "Eén zin, in het Nederlands: wat het bewijs zegt, niet meer."),
        "type": ("Soort bewering", "Wat voor bewering dit is (behandeling, risicofactor, ...)."),
        "population": ("Populatie", "Over wie het bewijs gaat, als dat de bewering beperkt "
                       "(bijv. beginnende lopers)."),
        "injuries": ("Blessures", "De blessures waar de bewering over gaat."),
        "risk_factors": ("Risicofactoren", "De risicofactoren waar de bewering over gaat."),
        "interventions": ("Interventies", "De behandelingen of maatregelen waar de bewering over gaat."),
        "certainty": ("Zekerheid (GRADE)", "Hoe zeker het bewijs is; volgt uit het bewijsprofiel hieronder."),
        "certainty_reason": ("Waarom dit niveau", "Eén of twee zinnen voor lezers: waarom deze zekerheid."),
        "grade": ("Bewijsprofiel (GRADE)", "Startniveau en per domein het oordeel met de reden."),
        "evidence": ("Bewijs", "De bronnen, elk met het standpunt en het letterlijke citaat dat het draagt."),
        "reviewed": ("Laatst beoordeeld", "Wanneer de bewering voor het laatst met de bronnen is vergeleken."),
        "status": ("Status", "'achterhaald' zet de bewering op de pagina met achterhaald advies."),
        "superseded_by": ("Vervangen door", "De bewering die deze vervangt (alleen bij status achterhaald)."),
        "suppress": ("Onderdrukte waarschuwingen", "Waarschuwingen van kb check die hier niet gelden, elk met "
                     "een reden."),
        "evidence.source": ("Bron", "Een bron uit references.bib (auteur, jaar, titel)."),
        "evidence.stance": ("Standpunt", "Wat het citaat van de bron over de bewering zegt, niet meer."),
        "evidence.quote": ("Citaat", "Letterlijk uit de bron, in de taal van de bron (hoogstens 60 woorden). "
                           "Verplicht bij ondersteunt, spreekt tegen en nuanceert."),
        "evidence.locator": ("Vindplaats", "Waar het citaat staat: abstract, results, p. 512, table 2, ... "
                             "Verplicht bij een citaat."),
        "evidence.participants": ("Deelnemers", "Aantal deelnemers, als de bron het noemt."),
        "evidence.note": ("Toelichting", "Een opmerking over deze bron bij deze bewering, voor lezers."),
        "evidence.effect": ("Effect", "Het resultaat uit de beoordeling van de bron waar dit citaat bij hoort."),
        "grade.applicable": ("GRADE van toepassing", "Uit voor een bewering die GRADE niet beoordeelt "
                             "(een definitie); dan zekerheid: niet beoordeeld."),
        "grade.reason": ("Reden (niet van toepassing)", "Waarom GRADE hier niet van toepassing is."),
        "grade.start": ("Startniveau", "Hoog voor gerandomiseerde studies (of prognostische cohorten), "
                        "laag voor observationeel onderzoek."),
        **{f"grade.{domain}": (GRADE_DOMAIN["nl"][domain], hint) for domain, hint in {
            "risk_of_bias": "Tekortkomingen in opzet of uitvoering van de studies.",
            "inconsistency": "Onverklaarde verschillen tussen de uitkomsten van de studies.",
            "indirectness": "Populatie, interventie of uitkomst wijkt af van die van de bewering.",
            "imprecision": "Weinig deelnemers of gebeurtenissen, brede betrouwbaarheidsintervallen.",
            "publication_bias": "Studies die waarschijnlijk niet gepubliceerd zijn.",
            "large_effect": "Een groot of zeer groot effect (observationeel bewijs): een niveau omhoog.",
            "dose_response": "Een dosis-responsrelatie: een niveau omhoog.",
            "plausible_confounding": "Alle aannemelijke confounding zou het getoonde effect verkleinen.",
        }.items()},
        "rating.rating": ("Oordeel", "'geen' als er niets aan de hand is; anders hoeveel niveaus omlaag of omhoog."),
        "rating.reason": ("Reden", "Eén regel: waarom (verplicht tenzij het oordeel 'geen' is)."),
        "suppress.code": ("Code", "De code van de waarschuwing die hier niet geldt."),
        "suppress.reason": ("Reden", "Waarom de waarschuwing hier niet geldt."),
        "title": ("Titel", "De paginatitel, in het Nederlands."),
        "aliases": ("Andere namen", "Andere namen voor het onderwerp (één per regel): de pagina toont ze onder "
                                    "'Ook bekend als', en de zoekfunctie vindt de pagina erop."),
        "search_terms": ("Zoekwoorden", "Woorden waarop lezers zoeken, maar die geen andere naam voor het onderwerp "
                                        "zijn (een verwant of dubbelzinnig woord, één per regel): de zoekfunctie vindt "
                                        "de pagina erop, de pagina toont ze niet."),
        "summary": ("Samenvatting", "Eén zin."),
        "last_searched": ("Laatst gezocht", "Wanneer de redactie voor het laatst naar nieuwe studies zocht."),
        "body": ("Tekst", "De toelichting onder de bewering of op de pagina (Markdown)."),
        # source appraisals (content/sources/<key>.md, docs/format.md), by the agreed field names
        "source.reviewed": ("Laatst beoordeeld", "Wanneer deze beoordeling van de bron voor het laatst is gemaakt."),
        "abstract": ("Samenvatting (abstract)", "Wat er gelezen is: is de samenvatting in references.bib volledig?"),
        "complete": ("Volledig", "Is de opgeslagen samenvatting de hele samenvatting?"),
        "missing": ("Wat ontbreekt", "Verplicht als de samenvatting niet volledig is: wat ontbreekt."),
        "risk_of_bias": ("Risico op vertekening", "Het instrument, de domeinen met hun oordeel en het totaaloordeel."),
        "tool": ("Instrument", "RoB 2, ROBINS-I, ROBINS-E, QUIPS, AMSTAR 2, ROBIS, of niet van toepassing."),
        "domains": ("Domeinen", "Per domein van het instrument: oordeel en reden."),
        "judgement": ("Oordeel", "Laag, enige twijfel of hoog."),
        "domain.reason": ("Reden", "Eén regel: waarom dit oordeel (wat de bron er wel of niet over zegt)."),
        "risk_of_bias.reason": ("Reden (geen instrument)", "Bij 'niet van toepassing': waarom geen instrument past."),
        "overall": ("Totaaloordeel", "Laag, enige twijfel of hoog (niet bij 'niet van toepassing')."),
        "effects": ("Effecten", "De resultaten uit deze bron die de kennisbank gebruikt."),
        "id": ("Id", "Kort en uniek binnen dit bestand (kleine letters, cijfers, streepjes); beweringen verwijzen ernaar."),
        "outcome": ("Uitkomst", "Bijv. hardloopblessure."),
        "comparison": ("Vergelijking", "Bijv. eerdere blessure tegenover geen."),
        "measure": ("Maat", "Vergelijking van twee groepen: RR, OR, HR, SHR, IRR (verhoudingen), MD, SMD, RD "
                            "(verschillen; RD is een risicoverschil). Eén groep: proportie, incidentie, gemiddelde of "
                            "mediaan (bijv. een duur in dagen), of een gepoolde schatting die de bron geen "
                            "gemiddelde of mediaan noemt. Overeenstemming: kappa."),
        "sd": ("Standaarddeviatie", "Alleen bij een gemiddelde, als de bron gemiddelde ± SD geeft."),
        "bound": ("Grens", "Alleen bij één groep: 'meer dan' of 'minder dan' als de bron alleen een grens geeft "
                           "('meer dan 90%'); de schatting is dan die grens, zonder interval."),
        "estimate": ("Schatting", "Het getal precies zoals de bron het schrijft (38.5 voor 38,5%)."),
        "ci": ("95%-betrouwbaarheidsinterval", "Ondergrens en bovengrens; alleen weglaten als de bron er geen geeft."),
        "unit": ("Eenheid", "Verplicht bij MD, RD, proportie, incidentie, gemiddelde, mediaan en gepoolde schatting (%, per 1000 uur, "
                            "punten VISA-A, dagen)."),
        "follow_up": ("Follow-up", "Hoe lang de deelnemers gevolgd zijn."),
        "baseline_risk": ("Risico in de controlegroep", "Tussen 0 en 1; voor het absolute effect per 1000."),
        "quote": ("Citaat", "Letterlijk uit de bron: de zin met de schatting en het interval."),
        "locator": ("Vindplaats", "Waar het citaat staat: abstract, results, p. 512, table 2, ..."),
        "participants": ("Deelnemers", "Aantal deelnemers, als de bron het noemt."),
        "effect": ("Effect", "Het resultaat uit de beoordeling van de bron waar dit citaat bij hoort."),
    },
    "en": {
        "body": ("Text", "The text below the claim or on the page (Markdown)."),
        "grade.reason": ("Reason (not applicable)", "Why GRADE does not apply."),
        "rating.rating": ("Rating", "'no' when nothing is wrong; otherwise how many levels down or up."),
        "rating.reason": ("Reason", "One line: why (required unless the rating is 'no')."),
    },
}
#: the browser editor's other words: collections, picker labels, the preview
CMS_WORDS: dict[str, dict[str, str]] = {
    "nl": {"claims": "Beweringen", "claim": "Bewering", "injuries": "Blessures", "injury": "Blessure",
           "risk-factors": "Risicofactoren", "risk-factor": "Risicofactor", "interventions": "Interventies",
           "intervention": "Interventie", "pages": "Pagina's", "page": "Pagina", "sources": "Beoordelingen van bronnen",
           "source": "Beoordeling van een bron", "domain_hint": "Het oordeel over dit domein, met de reden.",
           "create": "Nieuw: {{collection}} “{{slug}}” (browser-editor)\n\nReden: {{collection}} “{{slug}}” "
                     "toegevoegd via de browser-editor.",
           "update": "Bijgewerkt: {{collection}} “{{slug}}” (browser-editor)\n\nReden: {{collection}} “{{slug}}” "
                     "bijgewerkt via de browser-editor.",
           "delete": "Verwijderd: {{collection}} “{{slug}}” (browser-editor)\n\nReden: {{collection}} “{{slug}}” "
                     "verwijderd via de browser-editor.",
           "uploadMedia": "Bestand “{{path}}” geüpload (browser-editor)",
           "deleteMedia": "Bestand “{{path}}” verwijderd (browser-editor)",
           "openAuthoring": "{{message}}",
           "admin_title": "Bewerken — {site}", "no_script": "De editor heeft JavaScript nodig.",
           "trailer": "Reden:", "reason_label": "Reden van de wijziging",
           "id_pattern": "Alleen kleine letters, cijfers en koppeltekens, bijv. risico-na-blessure.",
           "reason_hint": "Voor lezers: waarom deze wijziging? Eén of twee zinnen; ze komen als 'Reden' bij de "
                          "wijziging op de site (Wat is er veranderd), niet in het bestand."},
    "en": {"claims": "Claims", "claim": "Claim", "injuries": "Injuries", "injury": "Injury",
           "risk-factors": "Risk factors", "risk-factor": "Risk factor", "interventions": "Interventions",
           "intervention": "Intervention", "pages": "Pages", "page": "Page", "sources": "Source appraisals",
           "source": "Source appraisal", "domain_hint": "The judgement of this domain, with its reason.",
           "create": "Create {{collection}} “{{slug}}” (browser editor)\n\nReason: {{collection}} “{{slug}}” "
                     "added in the browser editor.",
           "update": "Update {{collection}} “{{slug}}” (browser editor)\n\nReason: {{collection}} “{{slug}}” "
                     "updated in the browser editor.",
           "delete": "Delete {{collection}} “{{slug}}” (browser editor)\n\nReason: {{collection}} “{{slug}}” "
                     "deleted in the browser editor.",
           "uploadMedia": "Upload “{{path}}” (browser editor)", "deleteMedia": "Delete “{{path}}” (browser editor)",
           "openAuthoring": "{{message}}",
           "admin_title": "Edit — {site}", "no_script": "The editor needs JavaScript.",
           "id_pattern": "Lowercase letters, digits and hyphens only, e.g. risk-after-injury.",
           "trailer": "Reason:", "reason_label": "Reason for the change",
           "reason_hint": "For readers: why this change? One or two sentences; they appear as the change's "
                          "reason on the site (not in the file)."},
}
