"""Hard requirements a listing states (TRL, budget, transfer mode) checked against a matched listing.

The text engine only weighs these as features, so a demand asking for TRL ≥ 6 could be offered a
TRL 3 lab result first. Here they decide: a match that breaks one is dropped (strict, the default)
or shown after every match that keeps them, with the broken requirement named.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from xietong.transfer.enums import TransferMode

_NOT_TITLE_CHARS = re.compile(r"[\W_]+")


def unmet(demand, achievement) -> list[str]:
    """Which of the demand's stated requirements the achievement breaks, in 简体中文."""
    out = []
    trl_min = getattr(demand, "trl_min", None)
    if trl_min and achievement.trl and achievement.trl < trl_min:
        out.append(
            _("成熟度 TRL %(have)s 低于要求的 TRL %(want)s") % {"have": achievement.trl, "want": trl_min}
        )
    budget = getattr(demand, "budget_fen", None)
    if budget and achievement.price_fen and achievement.price_fen > budget:
        out.append(
            _("报价 %(price)s 万元超出预算 %(budget)s 万元")
            % {"price": f"{achievement.price_fen / 1_000_000:g}", "budget": f"{budget / 1_000_000:g}"}
        )
    wanted, offered = set(getattr(demand, "mode_codes", ())), set(achievement.mode_codes)
    if wanted and offered and not wanted & offered:
        labels = dict(TransferMode.choices)
        modes = "、".join(str(labels.get(m, m)) for m in sorted(wanted))
        out.append(_("转化方式不符（需要%(modes)s）") % {"modes": modes})
    return out


def title_key(title: str) -> str:
    """Titles equal after NFKC, case and punctuation folding are the same listing posted twice."""
    return _NOT_TITLE_CHARS.sub("", unicodedata.normalize("NFKC", title).lower())


def collapse_duplicates(pairs):
    """Keep the best-ranked of listings whose titles are the same (same owner or not)."""
    seen, out = set(), []
    for obj, hit in pairs:
        key = title_key(obj.title)
        if key in seen:
            continue
        seen.add(key)
        out.append((obj, hit))
    return out
