"""Matching configuration: every weight is data (a dict / JSON), none is code.

The BM25F and feature defaults are hand-set for listings (title, keywords, body). The fusion values
(``semantic_weight``, ``semantic_prf_weight``, ``lexical_power``, ``smooth_*``) WERE chosen on a coarse
grid scored with the csl-sci-lit relevance labels; ``docs/matching.md`` says so, lists the grid and
gives held-out figures (chosen on half of the queries, reported on the other half).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_FEATURE_WEIGHTS: dict[str, float] = {
    "field_overlap": 0.30,  # industry / technology field shared
    "same_zone": 0.20,  # both in one cooperation zone (长三角, 京津冀, …)
    "same_region": 0.0,  # same region; set negative to favour cross-region partners
    "maturity": 0.15,  # TRL offered vs TRL the demand needs
    "budget": 0.15,  # asking price vs budget
    "transfer_mode": 0.10,  # 转让 / 许可 / 作价入股 / 合作开发 wanted vs offered
    "org_type": 0.05,  # organisation type the query prefers
    "track_record": 0.05,  # past transfers / contracts of the owner
}


@dataclass(frozen=True)
class MatchConfig:
    """Parameters of analysis, scoring, fusion and features.

    Analysis parameters (``char_ngrams``, ``search_mode``, dictionaries, stop words) take effect for
    new documents at once and for old ones after :meth:`MatchIndex.rebuild`. Scoring parameters take
    effect at the next query.

    Examples
    --------
    >>> MatchConfig.from_dict({"field_weights": {"title": 2.0}}).field_weights["title"]
    2.0
    """

    # analysis
    char_ngrams: tuple[int, ...] = (2,)
    search_mode: bool = True
    user_dictionaries: tuple[str, ...] = ()
    stop_words: str | None = None
    boilerplate_files: tuple[
        str, ...
    ] = ()  # operators' request-boilerplate lists (data/boilerplate.txt format)
    boilerplate_weight: float = 0.1  # a query's boilerplate terms count this much of a content term
    # BM25F
    field_weights: Mapping[str, float] = field(
        default_factory=lambda: {"title": 2.0, "keywords": 2.0, "body": 1.0}
    )
    field_b: Mapping[str, float] = field(
        default_factory=lambda: {"title": 0.5, "keywords": 0.3, "body": 0.75}
    )
    k1: float = 1.2
    query_k3: float = 8.0  # saturation of a term repeated in the query (long queries)
    max_query_terms: int = 64  # keep the query's terms with the highest weight (speed on long queries)
    ngram_weight: float = 1.0  # weight of char n-gram terms relative to words in the query
    # semantic layer (fit at index / rebuild time on the index's own corpus)
    semantic_dim: int = 256
    semantic_weight: float = 0.4  # share of the semantic similarity in the text score (0 = off)
    semantic_prf_docs: int = 5  # pseudo-relevance feedback: centroid of the top lexical hits
    semantic_prf_weight: float = 2.0
    semantic_fit_docs: int = 100_000  # sample size for fitting at large scale
    semantic_min_df: int = 2
    lexical_power: float = 3.0  # only when fusion_temperature = 0: lexical part = (score / best) ** power
    # neighbourhood smoothing: a candidate gains from its nearest fellow candidates' scores
    smooth_neighbors: int = 5
    smooth_weight: float = 0.6  # 0 = off
    smooth_duplicate_cosine: float = 0.9  # neighbours this similar are duplicates and lend nothing
    # neighbour weights are divided by max(their sum, smooth_floor): 0 = normalised to sum 1, so a candidate
    # like no other still gets the full boost; 1 = a candidate only gains what its similarities justify
    smooth_floor: float = 1.0
    unit_row_terms: int = 64  # each unit row keeps its heaviest shared terms (0 = all; CSL dev: 64)
    candidates: int = 200  # lexical candidates re-ranked by the semantic layer and the features
    # structured features
    text_weight: float = 1.0
    feature_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_FEATURE_WEIGHTS))
    track_record_saturation: int = 20
    # segments
    max_segments: int = 8
    segment_docs: int = 250_000  # an add of more documents writes several segments (bounded memory)
    seed: int = 0
    # query analysis and fusion (issue 13); see docs/matching.md 一
    grouped_query: bool = True  # one word = one query term, its sub-words and n-grams only a backoff
    backoff_weight: float = 0.5  # what a document with only a word's pieces earns of the word's weight
    boundary_weight: float = 0.5  # query-side weight of the bigram across two adjacent words (word order)
    fusion_temperature: float = 4.0  # lexical part = exp((score - best) / T); 0 = old (score/best)**power
    # "best": gaps measured from the best candidate; "runner_up": from the second (the leader keeps
    # 1 + (1 - exp(-lead / T))), so one far-ahead record (the query's own) does not flatten the others;
    # "auto": from the second only when the best repeats the query (its title or text is the query's)
    fusion_reference: str = "auto"
    doc_b: float = 0.0  # BM25 length normalisation over the whole document on top of the per-field one
    body_idf_floor: float = 6.0  # body weight of a term × min(1, idf / floor): common words count less there

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> MatchConfig:
        """A config from a dict (e.g. parsed JSON); unknown keys raise, missing keys keep defaults."""
        data = dict(data or {})
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown matching config keys: {sorted(unknown)}")
        if data.get("fusion_reference", "auto") not in ("auto", "best", "runner_up"):
            raise ValueError(
                f"fusion_reference must be auto, best or runner_up, not {data['fusion_reference']!r}"
            )
        base = cls()
        for key in ("field_weights", "field_b", "feature_weights"):
            if key in data:
                data[key] = {**getattr(base, key), **data[key]}
        for key in ("char_ngrams", "user_dictionaries", "boilerplate_files"):
            if key in data:
                data[key] = tuple(data[key])
        return dataclasses.replace(base, **data)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for key in ("field_weights", "field_b", "feature_weights"):
            out[key] = dict(out[key])
        for key in ("char_ngrams", "user_dictionaries", "boilerplate_files"):
            out[key] = list(out[key])
        return out

    def replace(self, **changes: Any) -> MatchConfig:
        return MatchConfig.from_dict({**self.to_dict(), **changes})
