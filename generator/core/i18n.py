"""The generator's own words, per site language (nl is the shipped site)."""

from __future__ import annotations

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
                         "reden die de redactie opgaf. Bij ‘conclusie gewijzigd’ is de zekerheid, het standpunt "
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
                         "reason the editors gave. ‘Conclusion changed’ means that the certainty, a source's "
                         "stance or the claim's status changed.",
        "not_committed": "This claim has not been committed yet: it has no history.",
        "subscribe": "Stay informed: follow these changes in a feed reader", "subscribe_link": "Atom",
        "no_changes": "No changes yet.", "feed_title": "What has changed · {site}", "removed_claim": "Removed claim",
        "built_from": "Version of", "last_searched": "Last searched for new studies",
    },
}
STATUS = {"nl": {"current": "actueel", "superseded": "achterhaald"},
          "en": {"current": "current", "superseded": "superseded"}}
