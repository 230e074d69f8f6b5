"""A claim's history in words: what each change means for a reader, in the site's language.

Shared by the claim pages, the page "Wat is er veranderd" and the Atom feed,
so the three always say the same.  Everything returned is plain text: the
callers escape it (Markdown/HTML on pages, XML in the feed).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generator.core import i18n
from generator.changes.history import Commit, HistoryEntry
from generator.core.model import Claim
from generator.intake.config import source_date_epoch

Label = Callable[[str], str]  # source key -> how the site names it ("Smith, 2020")


def words(lang: str) -> dict[str, str]:
    return i18n.HISTORY[i18n.lang(lang)]


def date_text(value: _dt.date | None, lang: str) -> str:
    if value is None:
        return "?"
    return f"{value.day} {i18n.MONTHS[i18n.lang(lang)][value.month - 1]} {value.year}"


def kind_label(entry: HistoryEntry, lang: str) -> str:
    return words(lang)[entry.kind]


def details(entry: HistoryEntry, lang: str, label: Label) -> list[str]:
    """One line per thing that changed, most important first (conclusion before wording)."""
    w, code = words(lang), i18n.lang(lang)
    if entry.kind != "changed":
        return []
    change = entry.change
    if change is None:
        return [w["no_detail"]]
    certainty, stance, status = i18n.CERTAINTY[code], i18n.STANCE[code], i18n.STATUS[code]
    lines = []
    if change.certainty:
        old, new = change.certainty
        lines.append(w["certainty"].format(old=certainty.get(old, old), new=certainty.get(new, new)))
    if change.status:
        old, new = change.status
        lines.append(w["status"].format(old=status.get(old, old), new=status.get(new, new)))
    for source, old, new in change.restanced:
        lines.append(w["restanced"].format(source=label(source), old=stance.get(old, old), new=stance.get(new, new)))
    if change.gained:
        items = ", ".join(f"{label(s)} ({stance.get(st, st)})" for s, st in change.gained)
        lines.append(w["gained_many" if len(change.gained) > 1 else "gained"].format(items=items))
    if change.lost:
        items = ", ".join(label(s) for s, _st in change.lost)
        lines.append(w["lost_many" if len(change.lost) > 1 else "lost"].format(items=items))
    if change.statement:
        lines.append(w["statement"].format(old=change.statement[0]))
    if change.reviewed:
        old_date, new_date = change.reviewed
        key = "reviewed" if old_date else "reviewed_first"
        lines.append(w[key].format(old=date_text(old_date, lang), new=date_text(new_date, lang)))
    if change.other:
        lines.append(w["other"])
    return lines


def commit_url(repo_url: str | None, commit: str) -> str | None:
    """The web page of a commit (GitHub, GitLab, Gitea and Forgejo all answer /commit/<hash>)."""
    if not repo_url:
        return None
    return repo_url.rstrip("/") + "/commit/" + commit


@dataclass(frozen=True)
class Shown:
    """One history entry as a page shows it: plain text, escaped by the template."""

    claim: str
    statement: str  # the claim as it is now, or as it last was
    exists: bool  # the claim still has a page
    date: _dt.date
    kind: str  # "Toegevoegd", "Gewijzigd", ...
    conclusion: bool  # "conclusie gewijzigd"
    details: tuple[str, ...]
    reason: str  # the commit's reason trailer in the site's language; "" when it has none
    short: str
    url: str | None  # the commit's web page, when repo_url is set


def shown(entries: tuple[HistoryEntry, ...], claims: Mapping[str, Claim], lang: str, label: Label,
          repo_url: str | None) -> list[Shown]:
    out = []
    for entry in entries:
        current = claims.get(entry.claim)
        out.append(Shown(
            claim=entry.claim, statement=(current.statement if current else entry.statement) or entry.claim,
            exists=current is not None, date=entry.commit.date, kind=kind_label(entry, lang),
            conclusion=entry.conclusion_changed, details=tuple(details(entry, lang, label)),
            reason=entry.commit.reason_in(lang), short=entry.commit.short, url=commit_url(repo_url, entry.commit.hash)))
    return out


def by_commit(items: list[Shown]) -> list[tuple[Shown, list[Shown]]]:
    """Consecutive entries of one commit grouped under it (the page "Wat is er veranderd")."""
    groups: list[tuple[Shown, list[Shown]]] = []
    for item in items:
        if groups and groups[-1][0].short == item.short and groups[-1][0].date == item.date:
            groups[-1][1].append(item)
        else:
            groups.append((item, [item]))
    return groups


@dataclass(frozen=True)
class BuildVersion:
    """What a site was built from: a date, and the commit when there is one."""

    date: _dt.date
    short: str | None = None

    @property
    def field(self) -> str:
        """For BibTeX `version` and RIS `ET`: "2026-11-29 (3fc28b7)"."""
        return self.date.isoformat() + (f" ({self.short})" if self.short else "")

    def text(self, lang: str) -> str:
        """For readers: "Versie van 29 november 2026 (wijziging 3fc28b7)"."""
        w = words(lang)
        change = f" ({w['change'].format(short=self.short)})" if self.short else ""
        return f"{w['built_from']} {date_text(self.date, lang)}{change}"


def built_from(version: Commit | None) -> BuildVersion | None:
    """The last commit that changed the content; without git, the build date when
    SOURCE_DATE_EPOCH fixes it; otherwise nothing (the clock would make builds differ)."""
    if version is not None:
        return BuildVersion(version.date, version.short)
    epoch = source_date_epoch()  # checked where it is read (an unusable value is refused, never half used)
    if epoch is not None:
        return BuildVersion(_dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).date())
    return None
