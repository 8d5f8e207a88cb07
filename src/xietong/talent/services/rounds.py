"""Review rounds: open a round over items, draw the experts under every 回避 rule, answer invitations.

A draw writes nothing unless every item can be staffed: an item that cannot is reported (400) with the
rule that blocks it. A decline re-draws only that seat: the item's other seats are passed to the solver
as fixed pairs, the declining expert is excluded, and the same rules and mode apply.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xietong.core import audit, clock, explanations
from xietong.core.actor import Actor
from xietong.core.errors import Conflict
from xietong.regions import selectors as region_selectors
from xietong.talent import assignment, eligibility, errors, rules, search, selectors
from xietong.talent.enums import AssignMode, ItemSource, RoundStatus, SeatStatus
from xietong.talent.models import ExpertEntry, ReviewItem, ReviewRound, ReviewSeat
from xietong.talent.policies import ReviewRoundPolicy, ReviewSeatPolicy

MAX_ITEMS = 500


@dataclass
class RoundSpec:
    title: str
    region_code: str
    k: int
    cap: int
    mode: str = AssignMode.RANDOM
    max_prob: float = 0.5
    seed: int | None = None
    window_years: int = 3
    min_other_region: int = 0
    max_same_region: int | None = None
    application_ids: list[int] = field(default_factory=list)
    achievement_ids: list[int] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)


def _check_numbers(spec: RoundSpec) -> None:
    if not spec.title.strip() or len(spec.title.strip()) > 120:
        raise errors.TalentInvalid(gettext("评审轮次名称不能为空，且不超过 120 个字"), field="title")
    if not 1 <= spec.k <= 20:
        raise errors.TalentInvalid(gettext("每项专家数 k 应在 1 到 20 之间"), field="k")
    if not 1 <= spec.cap <= 100:
        raise errors.TalentInvalid(
            gettext("每位专家的评审上限应在 1 到 100 之间（上限为 0 无法评审任何项目）"), field="cap"
        )
    if spec.mode not in AssignMode.values:
        raise errors.TalentInvalid(gettext("分配方式无效"), field="mode")
    if not 0 < spec.max_prob <= 1:
        raise errors.TalentInvalid(gettext("单对最高概率应大于 0 且不超过 1"), field="max_prob")
    if not 0 <= spec.window_years <= 10:
        raise errors.TalentInvalid(gettext("合作回避年限应在 0 到 10 年之间"), field="window_years")
    if spec.min_other_region > spec.k or (spec.max_same_region is not None and spec.max_same_region > spec.k):
        raise errors.TalentInvalid(gettext("地区规则的人数不能超过每项专家数 k"), field="min_other_region")
    if spec.seed is not None and not 0 <= spec.seed < 2**63:
        raise errors.TalentInvalid(gettext("随机种子应为非负整数"), field="seed")


def _proposal_items(actor: Actor, proposals: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out, problems = [], []
    orgs = selectors.organisations_by_credit_code(
        actor=actor, codes=[str(p.get("credit_code") or "").strip().upper() for p in proposals]
    )
    for number, raw in enumerate(proposals, start=1):
        title = str(raw.get("title") or "").strip()
        applicant = str(raw.get("applicant_name") or "").strip()
        region = str(raw.get("applicant_region") or "").strip()
        code = str(raw.get("credit_code") or "").strip().upper()
        if not title or len(title) > 200 or not applicant or len(applicant) > 120:
            problems.append(f"第 {number} 项：名称（≤200 字）和申报单位（≤120 字）必填")
            continue
        try:
            region_selectors.region_get(region)
        except Exception:
            problems.append(f"第 {number} 项：申报单位地区“{region}”不是有效的区划代码")
            continue
        org = orgs.get(code) if code else None
        if code and org is None:
            problems.append(f"第 {number} 项：统一社会信用代码 {code} 在平台上找不到")
            continue
        out.append({"source": ItemSource.PROPOSAL, "title": title, "text": str(raw.get("text") or "")[:5000],
                    "applicant_org": org, "applicant_name": applicant, "applicant_region_id": region,
                    "unsuitable": [str(n).strip() for n in raw.get("unsuitable") or [] if str(n).strip()]})  # fmt: skip
    if problems:
        raise errors.TalentInvalid("；".join(problems[:10]), field="proposals")
    return out


def _unsuitable(pool: list[ExpertEntry], names: list[str], title: str) -> list[ExpertEntry]:
    if len(names) > rules.MAX_UNSUITABLE:
        raise errors.TalentInvalid(
            gettext("“%(title)s”提出的不适宜评审专家超过 %(MAX_UNSUITABLE)s 名")
            % {"title": title, "MAX_UNSUITABLE": rules.MAX_UNSUITABLE}
        )
    chosen = []
    for name in names:
        found = [e for e in pool if e.profile.name == name]
        if len(found) != 1:
            raise errors.TalentInvalid(
                (
                    gettext("“%(title)s”提出的不适宜专家“%(name)s”在专家库中不存在")
                    if not found
                    else gettext("“%(title)s”提出的不适宜专家“%(name)s”在专家库中有重名")
                )
                % {"title": title, "name": name}
            )
        chosen.append(found[0])
    return chosen


@transaction.atomic
def round_open(*, actor: Actor, spec: RoundSpec) -> ReviewRound:
    region = region_selectors.region_get(spec.region_code)
    ReviewRoundPolicy.require(actor, "open_in", region.code)
    _check_numbers(spec)
    applications, achievements = selectors.review_sources(
        actor=actor, applications=spec.application_ids, achievements=spec.achievement_ids
    )
    items = [{"source": ItemSource.VOUCHER_APPLICATION, "source_id": a.pk, "title": f"{a.enterprise.name} 创新券申领",
              "text": a.purpose, "applicant_org": a.enterprise, "applicant_name": a.enterprise.name,
              "applicant_region_id": a.enterprise.region_id} for a in applications]  # fmt: skip
    items += [{"source": ItemSource.ACHIEVEMENT, "source_id": a.pk, "title": a.title,
               "text": "\n".join(filter(None, (a.summary, " ".join(a.keywords)))), "applicant_org": a.owner,
               "applicant_name": a.owner.name, "applicant_region_id": a.region_id} for a in achievements]  # fmt: skip
    items += _proposal_items(actor, spec.proposals)
    if not items:
        raise errors.TalentInvalid(gettext("评审轮次至少需要一个评审对象"), field="items")
    if len(items) > MAX_ITEMS:
        raise errors.TalentInvalid(
            gettext("一个评审轮次至多 %(MAX_ITEMS)s 个评审对象") % {"MAX_ITEMS": MAX_ITEMS}, field="items"
        )
    rnd = ReviewRound(title=spec.title.strip(), region=region, k=spec.k, cap=spec.cap, mode=spec.mode,
                      max_prob=spec.max_prob, seed=spec.seed, window_years=spec.window_years,
                      min_other_region=spec.min_other_region, max_same_region=spec.max_same_region,
                      created_by_id=actor.user_id)  # fmt: skip
    pool = selectors.round_pool(actor=actor, rnd=rnd)
    if spec.k > len(pool):
        raise errors.TalentInvalid(
            gettext("每项所需专家数 k（%(k)s）大于可抽取的专家人数（%(n_pool)s 位），无法配齐")
            % {"k": spec.k, "n_pool": len(pool)},
            field="k",
        )
    rnd.save()
    for data in items:
        names = data.pop("unsuitable", [])
        item = ReviewItem.objects.create(round=rnd, **data)
        if names:
            item.unsuitable.set(_unsuitable(pool, names, item.title))
    audit.record(actor=actor, verb="talent.round_opened", target=rnd, data={"items": len(items)})
    return rnd


@transaction.atomic
def item_unsuitable_set(
    *, actor: Actor, round_id: int, item_id: int, expert_ids: Sequence[int]
) -> ReviewItem:
    """Record the up-to-3 experts the applicant names as unsuitable (before the draw)."""
    rnd = selectors.round_get(actor=actor, round_id=round_id)
    ReviewRoundPolicy.require(actor, "manage", rnd)
    if rnd.status != RoundStatus.OPEN:
        raise Conflict(gettext("专家已分配，不能再修改不适宜专家名单"))
    item = next((i for i in selectors.round_items(actor=actor, rnd=rnd) if i.pk == item_id), None)
    if item is None:
        raise errors.RoundNotFound(gettext("评审对象不存在"))
    ids = list(dict.fromkeys(expert_ids))
    if len(ids) > rules.MAX_UNSUITABLE:
        raise errors.TalentInvalid(
            gettext("不适宜评审专家至多 %(MAX_UNSUITABLE)s 名") % {"MAX_UNSUITABLE": rules.MAX_UNSUITABLE}
        )
    experts = selectors.experts_by_ids(actor=actor, ids=ids)
    if len(experts) != len(ids):
        raise errors.TalentInvalid(gettext("不适宜专家中有不存在或您无权查看的专家"))
    item.unsuitable.set(list(experts.values()))
    audit.record(actor=actor, verb="talent.item_unsuitable_set", target=item, data={"experts": ids})
    return item


# ---------------------------------------------------------------- the draw


def _facts(
    actor: Actor,
    rnd: ReviewRound,
    items: list[ReviewItem],
    pool: list[ExpertEntry],
    *,
    taken_here: dict[int, int],
):
    today = clock.today()
    since = today.replace(year=today.year - rnd.window_years) if rnd.window_years else today
    taken_year = selectors.seats_taken_this_year(
        actor=actor, expert_ids=[e.pk for e in pool], year=today.year
    )
    appointed = selectors.appointed_orgs(actor=actor, profile_ids=[e.profile_id for e in pool], since=since)
    experts = {
        e.pk: eligibility.ExpertFacts(
            id=e.pk, name=e.profile.name, org_id=e.profile.organisation_id,
            region_code=region_selectors.locality_code(e.profile.region_id),
            capacity=max(0, min(rnd.cap - taken_here.get(e.pk, 0), e.yearly_cap - taken_year.get(e.pk, 0))),
            declared_orgs=frozenset(o.pk for o in e.avoid_orgs.all()),
            declared_profiles=frozenset(p.pk for p in e.avoid_profiles.all()),
            appointed_orgs=appointed.get(e.profile_id, frozenset()),
        )
        for e in pool
    }  # fmt: skip
    item_facts = [
        eligibility.ItemFacts(
            id=i.pk, org_id=i.applicant_org_id, region_code=region_selectors.locality_code(i.applicant_region_id),
            principal_id=i.principal_id, unsuitable=frozenset(e.pk for e in i.unsuitable_list),
        )
        for i in items
    ]  # fmt: skip
    partners = selectors.collaboration_partners(
        actor=actor, org_ids=[i.applicant_org_id for i in items] if rnd.window_years else [], since=since
    )
    return item_facts, experts, partners


def _affinities(items: list[ReviewItem], elig: eligibility.Eligibility) -> tuple[dict, dict]:
    """Matching-engine scores item text vs expert profile for every eligible pair, and each hit's explanation."""
    index = selectors.expert_index()
    scores: dict[tuple[int, int], float] = {}
    why: dict[tuple[int, int], Any] = {}
    for item in items:
        allowed = elig.eligible.get(item.pk, [])
        query = search.item_document(item_id=str(item.pk), title=item.title, text=item.text)
        for hit in search.ranked(index, query, k=len(allowed), allowed=allowed):
            scores[(item.pk, int(hit.id))] = round(float(hit.score), 4)
            why[(item.pk, int(hit.id))] = hit.explanation
    return scores, why


def _fresh_seed() -> int:
    return secrets.randbelow(2**31)


def _solve(rnd, item_facts, experts, elig, scores, *, seed, fixed=()):
    try:
        return assignment.draw(
            items=item_facts, experts=experts, eligibility=elig, affinity=scores, k=rnd.k, mode=rnd.mode,
            seed=seed, max_prob=rnd.max_prob, min_other_region=rnd.min_other_region,
            max_same_region=rnd.max_same_region, fixed=list(fixed),
        )  # fmt: skip
    except assignment.InvalidInstance as exc:
        raise errors.TalentInvalid(str(exc)) from exc
    except TimeoutError as exc:
        raise errors.TalentInvalid(
            gettext(
                "公平优先优化在 %(FAIR_TIME_LIMIT).0f 秒内未求得最优解，未做任何分配；请改用按匹配度优化或随机化优化"
            )
            % {"FAIR_TIME_LIMIT": assignment.FAIR_TIME_LIMIT}
        ) from exc


@transaction.atomic
def round_assign(*, actor: Actor, round_id: int) -> ReviewRound:
    """Draw every item's experts; all items staffed, or nothing written and each blocked item reported."""
    rnd = selectors.round_get(actor=actor, round_id=round_id)
    ReviewRoundPolicy.require(actor, "manage", rnd)
    rnd = ReviewRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status != RoundStatus.OPEN:
        raise Conflict(gettext("该评审轮次已分配专家"))
    items = selectors.round_items(actor=actor, rnd=rnd)
    pool = selectors.round_pool(actor=actor, rnd=rnd)
    item_facts, experts, partners = _facts(actor, rnd, items, pool, taken_here={})
    elig = eligibility.evaluate(item_facts, experts.values(), partners)
    blocked = {
        i.pk: reason
        for i in items
        if (
            reason := assignment.blocking_reason(
                i.pk, elig, rnd.k, years=rnd.window_years, title=i.title, translate=gettext
            )
        )
    }
    if blocked:
        raise errors.RoundInfeasible(
            gettext("以下项目无法配齐专家，未做任何分配：%(items)s")
            % {"items": gettext("；").join(blocked.values())},
            items=[{"item": i.title, "reason": blocked[i.pk]} for i in items if i.pk in blocked],
        )
    scores, why = _affinities(items, elig)
    seed = (
        rnd.seed
        if rnd.seed is not None
        else (_fresh_seed() if rnd.mode in ("random", "randomized") else None)
    )
    drawn = _solve(rnd, item_facts, experts, elig, scores, seed=seed)
    if drawn.blocked:
        titles = {i.pk: i.title for i in items}
        raise errors.RoundInfeasible(
            gettext("以下项目无法配齐专家，未做任何分配：%(items)s")
            % {"items": gettext("；").join((f"“{titles[i]}”：{r}" for i, r in drawn.blocked.items()))},
            items=[{"item": titles[i], "reason": r} for i, r in drawn.blocked.items()],
        )
    _write_seats(rnd, drawn.pairs, drawn.probabilities, why)
    for item in items:
        item.exclusions = {str(e): codes for e, codes in elig.excluded.get(item.pk, {}).items()}
        item.save(update_fields=["exclusions"])
    rnd.status, rnd.seed, rnd.objective, rnd.assigned_at = (
        RoundStatus.ASSIGNED,
        drawn.seed,
        drawn.objective,
        clock.now(),
    )
    rnd.save(update_fields=["status", "seed", "objective", "assigned_at"])
    audit.record(actor=actor, verb="talent.round_assigned", target=rnd,
                 data={"mode": rnd.mode, "seed": drawn.seed, "seats": len(drawn.pairs), "objective": drawn.objective})  # fmt: skip
    return rnd


def _write_seats(rnd, pairs, probabilities, why, *, only_new: set | None = None) -> list[ReviewSeat]:
    seats = []
    for item_id, expert_id, affinity in pairs:
        if only_new is not None and (item_id, expert_id) not in only_new:
            continue
        probability = probabilities.get((item_id, expert_id))
        explanation = why.get((item_id, expert_id))
        reason = (
            eligibility.chosen_reason(  # stored in Chinese; pages reword it from the seat (`seat_reason`)
                affinity=affinity,
                explanation=explanation.render_zh() if explanation is not None else "",
                mode=rnd.mode,
                probability=probability,
            )
        )
        seats.append(
            ReviewSeat(
                item_id=item_id,
                expert_id=expert_id,
                affinity=affinity,
                probability=probability,
                reason=reason,
                why=explanations.parts(explanation) if explanation is not None else explanations.nothing(),
            )
        )
    return ReviewSeat.objects.bulk_create(seats)


@transaction.atomic
def seat_answer(*, actor: Actor, seat_id: int, accept: bool) -> ReviewSeat:
    """The invited expert accepts or declines; a decline re-draws that one seat under the same rules."""
    seat = selectors.seat_get(actor=actor, seat_id=seat_id)
    ReviewSeatPolicy.require(actor, "answer", seat)
    seat = ReviewSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.status != SeatStatus.INVITED:
        raise Conflict(gettext("该评审邀请已答复"))
    seat.status = SeatStatus.ACCEPTED if accept else SeatStatus.DECLINED
    seat.answered_at = clock.now()
    seat.save(update_fields=["status", "answered_at"])
    audit.record(actor=actor, verb="talent.seat_accepted" if accept else "talent.seat_declined", target=seat)
    if not accept:
        _redraw(seat)
    return seat


def _redraw(declined: ReviewSeat) -> ReviewSeat | None:
    """Fill the declined seat: the item's other seats stay (fixed), decliners are excluded, same mode and rules.
    Runs as the system on behalf of the round's bureau (the expert who declined cannot see the pool)."""
    from xietong.core.actor import SYSTEM

    item = ReviewItem.objects.select_related("round").get(
        pk=declined.item_id
    )  # tenancy-ok: the declined seat's own item
    rnd = item.round
    seats = list(ReviewSeat.objects.select_for_update().filter(item=item).order_by("id"))
    kept = [s for s in seats if s.status != SeatStatus.DECLINED]
    refused = {s.expert_id for s in seats if s.status == SeatStatus.DECLINED}
    in_round = selectors.round_seat_counts(actor=SYSTEM, rnd=rnd, exclude_item=item)
    pool = [e for e in selectors.round_pool_for(actor=SYSTEM, rnd=rnd) if e.pk not in refused]
    [item] = selectors.round_items(actor=SYSTEM, rnd=rnd, only=[item.pk])
    item_facts, experts, partners = _facts(SYSTEM, rnd, [item], pool, taken_here=in_round)
    for s in kept:  # a kept seat counts in this year's tally: give it back for the fixed pair
        if s.expert_id in experts:
            f = experts[s.expert_id]
            experts[s.expert_id] = eligibility.ExpertFacts(**{**f.__dict__, "capacity": f.capacity + 1})
    elig = eligibility.evaluate(item_facts, experts.values(), partners)
    fixed = [(item.pk, s.expert_id) for s in kept]
    facts = assignment.blocking_facts(item.pk, elig, rnd.k, years=rnd.window_years, title=item.title)
    scores, why = _affinities([item], elig)
    seed = None if rnd.seed is None else rnd.seed + len(refused)
    drawn = None if facts else _solve(rnd, item_facts, experts, elig, scores, seed=seed, fixed=fixed)
    if drawn is not None and drawn.blocked:
        facts = {"solver": drawn.blocked.get(item.pk) or ""}
    if facts:
        item.blocking_data = {**facts, "declined": True}  # the page words it in its reader's language
        item.blocking = assignment.blocking_text(item.blocking_data)[:300]
        item.save(update_fields=["blocking", "blocking_data"])
        audit.record(actor=SYSTEM, verb="talent.seat_unfilled", target=item, data={"reason": item.blocking})
        return None
    new_pairs = {(i, e) for i, e, _ in drawn.pairs} - set(fixed)
    [seat] = _write_seats(rnd, drawn.pairs, drawn.probabilities, why, only_new=new_pairs)
    item.exclusions = {str(e): codes for e, codes in elig.excluded.get(item.pk, {}).items()}
    item.exclusions.update({str(e): ["declined"] for e in refused})
    item.save(update_fields=["exclusions"])
    audit.record(
        actor=SYSTEM, verb="talent.seat_redrawn", target=seat, data={"replaces": declined.pk, "seed": seed}
    )
    return seat


@transaction.atomic
def round_close(*, actor: Actor, round_id: int) -> ReviewRound:
    """End a round once every seat is answered and no item is left short (a finished review)."""
    rnd = selectors.round_get(actor=actor, round_id=round_id)
    ReviewRoundPolicy.require(actor, "manage", rnd)
    rnd = ReviewRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status != RoundStatus.ASSIGNED:
        raise Conflict(gettext("只有已分配专家的评审轮次可以结束"))
    seats = ReviewSeat.objects.select_for_update().filter(item__round=rnd)
    if seats.filter(status=SeatStatus.INVITED).exists():
        raise Conflict(gettext("还有专家尚未答复邀请，不能结束"))
    rnd.status = RoundStatus.CLOSED
    rnd.save(update_fields=["status"])
    audit.record(actor=actor, verb="talent.round_closed", target=rnd)
    return rnd
