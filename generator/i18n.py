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
        "cited_as": "Geciteerd als", "reviewed_short": "beoordeeld", "level": "Niveau", "meaning": "Betekenis",
        "also_known_as": "Ook bekend als", "site_title": "Kennisbank", "evidence_map": "Bewijskaart",
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
        "cited_as": "Cited as", "reviewed_short": "reviewed", "level": "Level", "meaning": "Meaning",
        "also_known_as": "Also known as", "site_title": "Knowledge base", "evidence_map": "Evidence map",
        "summary_one": "claim(s)", "summary_many": "claim(s)",
        "summary_line": "{count} {claims}, most certain first; certainty of the evidence: {levels}.",
        "retracted_title": "Retracted", "retracted_source": "This article has been retracted. Do not use it as "
        "evidence for a claim.", "retracted_claim": "This claim cites a retracted article:",
        "corrected_title": "Correction",
    },
}

CERTAINTY = {
    "nl": {"high": "hoog", "moderate": "matig", "low": "laag", "very-low": "zeer laag"},
    "en": {"high": "high", "moderate": "moderate", "low": "low", "very-low": "very low"},
}
CERTAINTY_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very-low": "⊕◯◯◯"}
CERTAINTY_MEANING = {
    "nl": {
        "high": "We zijn er zeer zeker van dat het werkelijke effect dicht bij het geschatte effect ligt.",
        "moderate": "We zijn redelijk zeker; het werkelijke effect ligt waarschijnlijk dicht bij de schatting, "
                    "maar kan er wezenlijk van verschillen.",
        "low": "Ons vertrouwen is beperkt; het werkelijke effect kan wezenlijk anders zijn.",
        "very-low": "We hebben weinig vertrouwen; het werkelijke effect is waarschijnlijk wezenlijk anders.",
    },
    "en": {
        "high": "We are very confident that the true effect lies close to the estimate.",
        "moderate": "We are moderately confident; the true effect is likely close to the estimate but may differ.",
        "low": "Our confidence is limited; the true effect may be substantially different.",
        "very-low": "We have very little confidence; the true effect is likely substantially different.",
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
           "mechanism": "mechanisme", "epidemiology": "epidemiologie", "advice": "advies"},
    "en": {t: t.replace("-", " ") for t in ("intervention", "risk-factor", "prognosis", "mechanism",
                                              "epidemiology", "advice")},
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
           "prognosis": "Beloop en prognose", "mechanism": "Hoe het werkt", "epidemiology": "Hoe vaak het voorkomt"},
    "en": {"intervention": "Treatment and recovery", "advice": "Advice", "risk-factor": "Risk factors",
           "prognosis": "Course and prognosis", "mechanism": "How it works", "epidemiology": "How common it is"},
}
#: which sections an entity page shows first: the reader's question for that kind of page
TYPE_ORDER = {
    "injury": ("intervention", "advice", "risk-factor", "prognosis", "mechanism", "epidemiology"),
    "risk-factor": ("risk-factor", "prognosis", "mechanism", "intervention", "advice", "epidemiology"),
    "intervention": ("intervention", "advice", "mechanism", "prognosis", "risk-factor", "epidemiology"),
}
