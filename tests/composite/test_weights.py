"""Objective weights against published worked examples and hand-computed cases."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

from xietong.composite import (
    Dataset,
    Framework,
    Node,
    StepError,
    Weighter,
    critic_weights,
    entropy_weights,
    pca_weights,
    preset_pipeline,
)

from .conftest import MCDA


def _matrix(name: str) -> list[list[float]]:
    with open(MCDA / name, newline="") as handle:
        return [[float(v) for v in row[1:]] for row in list(csv.reader(handle))[1:]]


def test_entropy_reproduces_elsayed_2017():
    # given: the 12 × 5 matrix, used raw; weights published in the paper (as cited by pymcdm's tests)
    weights = entropy_weights(_matrix("entropy_elsayed2017_matrix.csv"))
    # then
    assert [round(w, 6) for w in weights] == [0.104991, 0.069124, 0.071373, 0.449937, 0.304575]


def test_critic_reproduces_tus_adali_2019():
    weights = critic_weights(_matrix("critic_tus_adali2019_matrix.csv"))
    assert [round(w, 3) for w in weights] == [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]


def _plain_critic(rows: list[list[float]]) -> list[float]:
    columns = list(zip(*rows, strict=True))
    scaled = [[(v - min(c)) / (max(c) - min(c)) for v in c] for c in columns]
    n = len(rows)
    means = [sum(c) / n for c in scaled]
    sds = [math.sqrt(sum((v - m) ** 2 for v in c) / (n - 1)) for c, m in zip(scaled, means, strict=True)]

    def r(a, b):
        cov = sum((x - means[a]) * (y - means[b]) for x, y in zip(scaled[a], scaled[b], strict=True)) / (
            n - 1
        )
        return cov / (sds[a] * sds[b])

    info = [sds[j] * sum(1 - r(j, k) for k in range(len(columns))) for j in range(len(columns))]
    return [i / sum(info) for i in info]


def test_critic_small_matrix_matches_plain_formula():
    rows = _matrix("critic_small_3x4_matrix.csv")
    np.testing.assert_allclose(critic_weights(rows), _plain_critic(rows), rtol=0, atol=1e-12)


def test_entropy_with_a_zero_proportion_is_not_zeroed():
    # given: column 1 has p = (0, 1/2, 1/2) → e1 = ln 2 / ln 3 (the 0 term counts as 0, the entropy is kept);
    # column 2 has p = (1/6, 2/6, 3/6)
    weights = entropy_weights([[0.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    e1 = math.log(2) / math.log(3)
    e2 = -sum(p * math.log(p) for p in (1 / 6, 2 / 6, 3 / 6)) / math.log(3)
    # then
    assert weights.tolist() == pytest.approx([(1 - e1) / (2 - e1 - e2), (1 - e2) / (2 - e1 - e2)], abs=1e-15)


def test_entropy_rejects_negative_values():
    with pytest.raises(StepError, match="needs non-negative data"):
        entropy_weights([[-1.0, 1.0], [1.0, 2.0]])


def test_pca_weights_conventions():
    rows = np.array([[1.0, 2.0, 5.0], [2.0, 4.5, 3.0], [3.0, 5.5, 4.0], [4.0, 8.0, 1.0]])
    coinr = pca_weights(rows)
    cn = pca_weights(rows, style="cn")
    # PC1 loadings from numpy's SVD of the standardised matrix (independent route)
    z = (rows - rows.mean(0)) / rows.std(0, ddof=1)
    _, _, vt = np.linalg.svd(z, full_matrices=False)
    pc1 = vt[0] * np.sign(vt[0].sum())
    np.testing.assert_allclose(coinr, pc1 / pc1.sum(), atol=1e-12)
    assert math.isclose(cn.sum(), 1.0) and (cn >= 0).all()


def test_weighter_scope_all_gives_aggregates_the_sum_of_children():
    # given
    fw = Framework.from_nodes(
        [
            Node("a", parent="P"),
            Node("b", parent="P"),
            Node("c", parent="Q"),
            Node("P", kind="Aggregate", level=2, parent="I"),
            Node("Q", kind="Aggregate", level=2, parent="I"),
            Node("I", kind="Aggregate", level=3),
        ]
    )
    data = Dataset.from_arrays(
        [[1.0, 2.0, 1.0], [2.0, 2.5, 4.0], [3.0, 2.0, 9.0]], units="xyz", columns=["a", "b", "c"]
    )
    # when
    step = Weighter(method="entropy", scope="all").fit(data, fw)
    # then
    expected = entropy_weights(data.values[0])
    assert [step.weights_[c] for c in "abc"] == pytest.approx(expected.tolist(), abs=1e-15)
    assert step.weights_["P"] == pytest.approx(expected[0] + expected[1])
    assert step.weights_["I"] == pytest.approx(1.0)
    assert step.update_framework(fw).effective_weights().tolist() == pytest.approx(expected.tolist())


def test_cn_entropy_index_is_weighted_sum(asem_panel, asem_framework):
    # when
    result = preset_pipeline("cn-entropy").run(asem_panel, asem_framework)
    # then: index = Σ w_j x_j over the normalised indicators, w = panel entropy weights
    normalised = result.datasets["Normalised"]
    rows = normalised.values[normalised.present]
    w = entropy_weights(rows)
    index = result.data.column("Index")[result.data.present]
    np.testing.assert_allclose(index, rows @ w, atol=1e-12)
