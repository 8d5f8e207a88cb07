"""Shared invariants of every registered step (STYLE §7): shape, no NaN, deterministic, fit/transform."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from xietong.matching import Analyzer, SemanticModel, analyze, fit_semantic

TEXTS = ["动力电池热管理系统", "小麦抗旱品种选育", "锂离子电池正极材料", "", "ＡＩ芯片 5G 通信"]


def _matrix(seed=0):
    return sp.random(60, 40, density=0.2, random_state=seed, format="csr", dtype=np.float32)


STEPS = {
    "Analyzer": lambda: Analyzer(),
    "SemanticModel": lambda: SemanticModel(dim=5, min_df=1, seed=3),
}


@pytest.mark.parametrize("name", sorted(STEPS))
def test_init_only_stores_parameters(name):
    step = STEPS[name]()
    fitted = [a for a in vars(step) if a.endswith("_") and not a.startswith("_")]
    assert fitted == []


def test_analyzer_deterministic_and_function_twin():
    for text in TEXTS:
        assert Analyzer().analyze(text) == Analyzer().analyze(text) == analyze(text)


def test_semantic_shapes_no_nan_deterministic():
    x = _matrix()
    first = SemanticModel(dim=5, min_df=1, seed=3).fit(x)
    second = fit_semantic(x, dim=5, min_df=1, seed=3)
    a, b = first.transform(x), second.transform(x)
    assert a.shape == (60, 5)
    assert not np.isnan(a).any()
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    norms = np.linalg.norm(a, axis=1)
    assert np.all((np.abs(norms - 1) < 1e-4) | (norms == 0))


def test_semantic_fit_transform_consistency_and_unknown_terms():
    x = _matrix()
    model = SemanticModel(dim=4, min_df=1).fit(x)
    wider = sp.hstack([x, sp.random(60, 5, density=0.3, random_state=1, format="csr")], format="csr")
    np.testing.assert_allclose(model.transform(wider), model.transform(x), atol=1e-6)
    query = model.transform_terms(np.array([0, 1, 99]), np.array([1.0, 2.0, 5.0]))
    assert query.shape == (4,) and not np.isnan(query).any()


def test_semantic_samples_large_inputs():
    model = SemanticModel(dim=3, min_df=1, max_docs=20, seed=1).fit(_matrix())
    assert model.term_vectors_.shape == (40, 3)
