"""Offline evaluation of the recommendations against the stored feedback.

Labels: 有用 and 已联系 are relevant (已联系 counts 2 in nDCG), 不相关 is not; hits without feedback are
left out (judged-only metrics, so an unjudged hit neither helps nor hurts). For every query listing
with feedback, the current index ranks the candidates again and P@k, MRR and nDCG@k are averaged.
"""

from __future__ import annotations

import math
from collections import defaultdict

from xietong.core.actor import SYSTEM
from xietong.transfer import search, selectors
from xietong.transfer.enums import Feedback, ListingKind
from xietong.transfer.models import Achievement, Demand, Recommendation

GAIN = {Feedback.CONTACTED: 2, Feedback.USEFUL: 1, Feedback.IRRELEVANT: 0}


def _labels() -> dict[tuple[str, int], dict[int, int]]:
    labels: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
    for r in Recommendation.objects.exclude(
        feedback=""
    ).values(  # tenancy-ok: offline ranking evaluation over feedback labels; ids only, nothing shown
        "query_kind", "query_id", "hit_id", "feedback"
    ):
        key = (r["query_kind"], r["query_id"])
        labels[key][r["hit_id"]] = max(labels[key].get(r["hit_id"], 0), GAIN[r["feedback"]])
    return labels


def _query(kind: str, pk: int):
    model = Demand if kind == ListingKind.DEMAND else Achievement
    listing = model.objects.select_related("owner").filter(pk=pk).first()
    if listing is None:
        return None, None
    if kind == ListingKind.DEMAND:
        return search.as_query(search.demand_document(listing), kind), ListingKind.ACHIEVEMENT
    return search.as_query(search.achievement_document(listing), kind), ListingKind.DEMAND


def offline_evaluate(*, k: int = 10) -> dict:
    labels = _labels()
    p_sum = mrr_sum = ndcg_sum = 0.0
    queries = 0
    for (kind, pk), judged in labels.items():
        query, target = _query(kind, pk)
        if query is None:
            continue
        hits = search.search(target, query, k=200) or []
        ranked = [int(h.id) for h in hits if int(h.id) in judged][:k]
        gains = [judged[i] for i in ranked]
        queries += 1
        p_sum += sum(1 for g in gains if g > 0) / k
        first = next((i for i, g in enumerate(gains) if g > 0), None)
        mrr_sum += 1 / (first + 1) if first is not None else 0.0
        dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted(judged.values(), reverse=True)[:k]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg_sum += dcg / idcg if idcg else 0.0
    n = max(queries, 1)
    return {
        "queries": queries,
        "judged": sum(len(v) for v in labels.values()),
        "precision_at_k": p_sum / n,
        "mrr": mrr_sum / n,
        "ndcg_at_k": ndcg_sum / n,
        "online": selectors.online_metrics(actor=SYSTEM, max_rank=k),
    }
