"""Xietong matching engine (no Django): Chinese text + structured matching with explanations.

>>> from xietong.matching import Document, MatchIndex
>>> idx = MatchIndex()
>>> idx.add([Document(id="a1", title="动力电池热管理", attrs={"zones": ["长三角"]})])
>>> hit = idx.search(Document(id="q", body="电池热管理技术", attrs={"zones": ["长三角"]}), k=1)[0]
>>> hit.id, hit.explanation.render_zh()
('a1', '标题匹配：热管理、电池；同属长三角')
"""

from .analysis import Analyzer, analyze, normalize_text
from .config import DEFAULT_FEATURE_WEIGHTS, MatchConfig
from .features import FEATURES, feature_contributions
from .index import MatchIndex
from .semantic import SemanticModel, fit_semantic
from .types import Contribution, Document, Explanation, FieldMatch, Hit

__all__ = [
    "DEFAULT_FEATURE_WEIGHTS",
    "FEATURES",
    "Analyzer",
    "Contribution",
    "Document",
    "Explanation",
    "FieldMatch",
    "Hit",
    "MatchConfig",
    "MatchIndex",
    "SemanticModel",
    "analyze",
    "feature_contributions",
    "fit_semantic",
    "normalize_text",
]
