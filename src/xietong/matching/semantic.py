"""Semantic layer fit on the index's own corpus at (re)build time: LSA term vectors.

Documents and queries become unit vectors ``normalize(x @ term_vectors_)`` where ``x`` holds the
same BM25F weights the lexical index uses. Nothing is downloaded: the vectors come from a truncated
SVD of the corpus's weighted term matrix, so related terms that never co-occur in a query and a
document still pull them together.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def l2_normalize_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


class SemanticModel:
    """Latent term vectors learnt from a weighted document-term matrix.

    Parameters
    ----------
    dim : int
        Number of latent dimensions.
    min_df : int
        Terms in fewer documents get no vector.
    max_docs : int
        Fit on a random sample of at most this many documents (the transform covers all).
    seed : int
        Seed of the sample and of the randomised SVD.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> x = sp.random(50, 30, density=0.3, random_state=0, format="csr")
    >>> SemanticModel(dim=4).fit(x).transform(x).shape
    (50, 4)
    """

    def __init__(self, *, dim: int = 128, min_df: int = 2, max_docs: int = 200_000, seed: int = 0) -> None:
        self.dim = dim
        self.min_df = min_df
        self.max_docs = max_docs
        self.seed = seed

    def fit(self, weights: sp.csr_matrix) -> SemanticModel:
        """Learn ``term_vectors_`` (n_terms × dim) from rows of document term weights."""
        # imported here: only the writer fits; a reader process that maps the vectors saves ~80 MB
        from sklearn.decomposition import TruncatedSVD

        weights = sp.csr_matrix(weights, dtype=np.float32)
        rng = np.random.default_rng(self.seed)
        if weights.shape[0] > self.max_docs:
            weights = weights[np.sort(rng.choice(weights.shape[0], self.max_docs, replace=False))]
        df = np.bincount(weights.indices, minlength=weights.shape[1])
        keep = df >= self.min_df
        x = weights[:, np.flatnonzero(keep)]
        x = sp.csr_matrix(x.multiply(1.0 / np.maximum(sp.linalg.norm(x, axis=1), 1e-9)[:, None]))
        self.n_terms_ = weights.shape[1]
        if min(x.shape) < 2:
            # A tiny corpus (one document, or no term shared by two) has no latent structure to learn:
            # zero vectors make every semantic score 0, so ranking falls back to the lexical score.
            self.term_vectors_ = np.zeros((weights.shape[1], 1), dtype=np.float32)
            return self
        dim = max(1, min(self.dim, min(x.shape) - 1))
        svd = TruncatedSVD(n_components=dim, algorithm="randomized", n_iter=4, random_state=self.seed)
        svd.fit(x)
        vectors = np.zeros((weights.shape[1], dim), dtype=np.float32)
        vectors[keep] = svd.components_.T / np.sqrt(np.maximum(svd.singular_values_, 1e-9))
        self.term_vectors_ = vectors
        self.n_terms_ = weights.shape[1]
        return self

    def transform(self, weights: sp.spmatrix) -> np.ndarray:
        """Unit vectors of the rows (terms beyond the fitted vocabulary are ignored)."""
        weights = sp.csr_matrix(weights, dtype=np.float32)
        if weights.shape[1] > self.n_terms_:
            weights = weights[:, : self.n_terms_]
        elif weights.shape[1] < self.n_terms_:
            weights = sp.csr_matrix(
                (weights.data, weights.indices, weights.indptr), shape=(weights.shape[0], self.n_terms_)
            )
        # the stored vectors may be int8 codes (an index's ``QuantizedRows``): decoded, scipy multiplies float32
        return l2_normalize_rows(np.asarray(weights @ np.asarray(self.term_vectors_[:], dtype=np.float32)))

    def transform_terms(self, term_ids: np.ndarray, term_weights: np.ndarray) -> np.ndarray:
        """Unit vector of one weighted bag of term ids (a query)."""
        inside = term_ids < self.n_terms_
        vector = term_weights[inside].astype(np.float32) @ self.term_vectors_[term_ids[inside]]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector


def fit_semantic(weights: sp.csr_matrix, **params) -> SemanticModel:
    """Function twin of :class:`SemanticModel`: ``fit_semantic(x, dim=64)``."""
    return SemanticModel(**params).fit(weights)
