"""Pure over loaded rows: the dicts the API returns (names and labels, contacts as the selector masked them)."""

from __future__ import annotations

from django.utils.translation import gettext

from xietong.core import explanations
from xietong.regions.selectors import is_cross_region
from xietong.talent import rules
from xietong.talent.disciplines import category_of
from xietong.talent.enums import AppointmentStatus, AssignMode, ItemSource, TitleRank

TITLE_LABELS = dict(TitleRank.choices)
APPT_LABELS = dict(AppointmentStatus.choices)
MODE_LABELS = dict(AssignMode.choices)
SOURCE_LABELS = dict(ItemSource.choices)


def explanation(why, *, max_terms: int = 5) -> str:
    """The engine's `Explanation` as one line in the reader's language (`core.explanations.text`)."""
    return explanations.text(why, max_terms=max_terms)


def _label(labels: dict, value: str) -> str:
    """A choice's label in the reader's language (a plain str: these dicts end up in JSON)."""
    label = labels.get(value, "")
    return gettext(label) if label else ""


def profile(p, contacts: dict) -> dict:
    return {
        "id": p.pk, "name": p.name, "organisation": p.organisation.name, "region_code": p.region_id,
        "region_name": p.region.name, "discipline": p.discipline, "category": category_of(p.discipline),
        "title_rank": p.title_rank, "title_label": _label(TITLE_LABELS, p.title_rank), "tier": p.tier,
        "position": p.position, "expertise": p.expertise, "keywords": p.keywords, "phone": contacts["phone"],
        "email": contacts["email"], "contacts_masked": contacts["masked"],
    }  # fmt: skip


def appointment(a) -> dict:
    return {
        "id": a.pk, "person": a.profile.name, "host_org": a.host_org.name, "host_region": a.host_org.region.name,
        "home_org": a.home_org.name, "role": a.role, "start_on": a.start_on, "end_on": a.end_on,
        "time_share": a.time_share, "status": a.status, "status_label": _label(APPT_LABELS, a.status),
        "cross_region": is_cross_region(a.host_org.region_id, a.home_org.region_id),
    }  # fmt: skip


def profile_detail(detail) -> dict:
    out = profile(detail.profile, detail.contacts)
    out.update(
        is_expert=detail.expert is not None,
        cards=[{"scheme": c.tier.scheme.name, "tier": c.tier.name, "issued_on": c.issued_on,
                "expires_on": c.expires_on} for c in detail.cards],
        appointments=[appointment(a) for a in detail.appointments],
        achievements=[a.title for a in detail.achievements],
        reviews=[{"round": s.item.round.title, "item": s.item.title, "status": s.get_status_display()}
                 for s in detail.reviews],
    )  # fmt: skip
    return out


def expert(e) -> dict:
    p = e.profile
    return {
        "id": e.pk, "profile_id": p.pk, "name": p.name, "organisation": p.organisation.name,
        "region_code": e.region_id, "region_name": e.region.name, "discipline": p.discipline,
        "title_label": _label(TITLE_LABELS, p.title_rank), "fields": e.fields, "term_start": e.term_start,
        "term_end": e.term_end, "is_available": e.is_available, "yearly_cap": e.yearly_cap, "status": e.status,
    }  # fmt: skip


def scheme(s) -> dict:
    return {
        "id": s.pk, "name": s.name, "kind": s.kind, "region_code": s.region_id, "region_name": s.region.name,
        "is_illustrative": s.is_illustrative, "description": s.description,
        "tiers": [{"code": t.code, "name": t.name, "rank": t.rank} for t in s.tier_list],
        "services": [{"name": v.name, "detail": v.detail, "min_rank": v.max_rank, "article": v.article}
                     for v in s.service_list],
    }  # fmt: skip


def agreement(a) -> dict:
    return {
        "id": a.pk, "title": a.title, "scheme_id": a.scheme_id, "scheme": a.scheme.name,
        "host_region_code": a.host_region_id, "host_region_name": a.host_region.name, "document": a.document,
        "versions": [{"number": v.number, "effective_from": v.effective_from, "effective_to": v.effective_to,
                      "min_rank": v.max_rank, "note": v.note,
                      "grants": [{"service": g.service, "article": g.article} for g in v.grant_list]}
                     for v in a.version_list],
    }  # fmt: skip


def recognition(answer) -> dict:
    return {
        "question": answer.question, "scheme": answer.scheme.name, "tier": answer.tier.name,
        "region_code": answer.region_code, "region_name": answer.region_name, "on": answer.on,
        "at_home": answer.at_home,
        "benefits": [{"service": b.service, "basis": b.basis, "article": b.article, "version": b.version,
                      "effective_from": b.effective_from} for b in answer.benefits],
    }  # fmt: skip


def exclusion_rows(item, names: dict[int, str], years: int) -> list[dict]:
    return [
        {
            "expert": names.get(int(e), gettext("（已出库专家）")),
            "rules": [rules.label(c, years=years) for c in codes],
        }
        for e, codes in sorted(item.exclusions.items(), key=lambda kv: int(kv[0]))
    ]


def round_summary(r) -> dict:
    return {
        "id": r.pk, "title": r.title, "region_name": r.region.name, "k": r.k, "cap": r.cap, "mode": r.mode,
        "mode_label": _label(MODE_LABELS, r.mode), "seed": r.seed, "status": r.status, "objective": r.objective,
        "window_years": r.window_years, "min_other_region": r.min_other_region, "max_same_region": r.max_same_region,
    }  # fmt: skip


def round_detail(r, items, names: dict[int, str]) -> dict:
    out = round_summary(r)
    out["items"] = [
        {
            "id": i.pk, "title": i.title, "source": _label(SOURCE_LABELS, i.source), "applicant": i.applicant_name,
            "applicant_region": i.applicant_region.name, "unsuitable": [e.profile.name for e in i.unsuitable_list],
            "seats": [{"id": s.pk, "expert": s.expert.profile.name, "organisation": s.expert.profile.organisation.name,
                       "region_name": s.expert.region.name, "affinity": s.affinity, "probability": s.probability,
                       "reason": s.reason_in(r.mode), "status": s.get_status_display()} for s in i.seat_list],
            "exclusions": exclusion_rows(i, names, r.window_years), "blocking": i.blocking_shown,
        }
        for i in items
    ]  # fmt: skip
    return out
