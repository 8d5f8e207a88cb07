"""Economic complexity (Hidalgo & Hausmann 2009) with the Harvard Growth Lab's Stata conventions.

Source of the conventions: the Growth Lab's Stata command ``ecomplexity`` (default options: RCA threshold
1, discrete symmetric proximity), whose output on its trade sample is the ground truth this module is
tested against (``shared/reference/ecomplexity-stata/``). The formulas, for the presence matrix ``M``
(regions c × segments p):

1. ``diversity_c = Σ_p M_cp``, ``ubiquity_p = Σ_c M_cp``.
2. ``kp`` is the eigenvector of ``Mpp = (M / ubiquity)ᵀ (M / diversity)`` for its second-largest
   eigenvalue and ``kc = (M / diversity) kp``; both change sign together so that ``corr(kc, diversity) > 0``.
3. Standardisation with the *sample* standard deviation over the long region × segment panel:
   ``sd = sqrt(Σ_c (kc_c − mean(kc))² · N_p / (N_c·N_p − 1))``;
   ``ECI = (kc − mean(kc)) / sd`` and ``PCI = (kp − mean(kc)) / sd`` (PCI uses ECI's mean and sd).
4. Proximity ``φ_pq = (MᵀM)_pq / max(ubiquity_p, ubiquity_q)`` (the smaller of the two conditional
   probabilities of presence), with the **diagonal set to 0**.
5. Density ``density_cp = Σ_q M_cq φ_qp / Σ_q φ_qp`` (Hausmann & Klinger 2007's relatedness density).
6. With the *raw* ``kp`` of step 2: ``coi_raw_c = Σ_p density_cp (1 − M_cp) kp_p``, COI is ``coi_raw``
   standardised like step 3 (its own mean and panel sd); ``COG_cp = (1 − M_cp) Σ_q (1 − M_cq) φ_qp kp_q /
   Σ_r φ_qr``, divided by step 3's ``sd``.

The PyPI package ``ecomplexity`` departs from this (it keeps 1 on the proximity diagonal and uses the
population sd over locations), so it is not used.

Computation: ``Mpp`` is similar to the symmetric ``BᵀB`` with ``B = D_c^{-1/2} M D_p^{-1/2}``, and its
non-zero spectrum is that of the smaller ``B Bᵀ``; the engine takes the eigenvector of whichever is
smaller with ``numpy.linalg.eigh`` and maps it to the other side, so 300 regions × 2,000 segments needs
a 300 × 300 eigenproblem. The scale of the eigenvector never matters (every output is a ratio of it).

Defined results for degenerate input: regions with nothing present and segments nobody has are left out
of steps 2–3 and get ECI / PCI 0 (``eci_defined`` / ``pci_defined`` say so), and so are regions and
segments outside the largest connected part of the region–segment graph (a group of regions sharing no
segment with the rest: there "the second eigenvector" is not unique, Stata's included). With fewer than two regions
or segments left, a second eigenvalue of 0 (every region alike, e.g. all present everywhere) or no spread
of ``kc``, every ECI, PCI, COI and COG is 0. Empty rows of ``φ`` give density 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, sparse
from scipy.sparse import csgraph

from .errors import SpecialisationError
from .threads import single_threaded_blas

TOLERANCE = 1e-12  # a spread of kc below this (relative to its scale) counts as none


def _presence_values(m: pd.DataFrame) -> np.ndarray:
    values = m.to_numpy(dtype=np.float64)
    if not np.isin(values, (0.0, 1.0)).all():
        raise SpecialisationError("存在矩阵 M 只能取 0 或 1")
    return values


def diversity(m: pd.DataFrame) -> pd.Series:
    """``diversity_c = Σ_p M_cp``: how many segments the region is specialised in."""
    return pd.Series(_presence_values(m).sum(axis=1).astype(np.int64), index=m.index, name="diversity")


def ubiquity(m: pd.DataFrame) -> pd.Series:
    """``ubiquity_p = Σ_c M_cp``: how many regions are specialised in the segment."""
    return pd.Series(_presence_values(m).sum(axis=0).astype(np.int64), index=m.columns, name="ubiquity")


def _proximity(values: np.ndarray) -> np.ndarray:
    # Co-occurrence counts are small integers, exact in float32, whose product is twice as fast; the
    # divisions then run in place on the one 2,000 × 2,000 array.
    as32 = values.astype(np.float32)
    phi = (as32.T @ as32).astype(np.float64)
    u = values.sum(axis=0)
    denominator = np.maximum(u[:, None], u[None, :])
    denominator[denominator == 0] = 1.0  # both segments nobody has: their co-occurrence is 0 anyway
    np.divide(phi, denominator, out=phi)
    np.fill_diagonal(phi, 0.0)
    return phi


def proximity(m: pd.DataFrame) -> pd.DataFrame:
    """``φ_pq = (MᵀM)_pq / max(ubiquity_p, ubiquity_q)``, 0 on the diagonal (Stata's convention).

    Examples
    --------
    >>> m = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], columns=["a", "b", "c"])
    >>> proximity(m).round(3).to_numpy().tolist()
    [[0.0, 0.667, 0.667], [0.667, 0.0, 0.5], [0.667, 0.5, 0.0]]
    """
    with single_threaded_blas():
        return pd.DataFrame(_proximity(_presence_values(m)), index=m.columns, columns=m.columns)


def _density(values: np.ndarray, phi: np.ndarray) -> np.ndarray:
    return _over_columns(sparse.csr_matrix(values) @ phi, phi.sum(axis=0))


def _over_columns(numerator: np.ndarray, column_sums: np.ndarray) -> np.ndarray:
    """``numerator / column_sums`` column by column, 0 where a column of ``φ`` is empty."""
    safe = np.where(column_sums > 0, column_sums, 1.0)
    return np.where(column_sums > 0, numerator / safe, 0.0)


def density(m: pd.DataFrame, phi: pd.DataFrame | None = None) -> pd.DataFrame:
    """Relatedness density ``Σ_q M_cq φ_qp / Σ_q φ_qp``: the share of the segment's neighbours the region has."""
    values = _presence_values(m)
    if phi is not None and not (phi.index.equals(m.columns) and phi.columns.equals(m.columns)):
        raise SpecialisationError("邻近度矩阵的行与列须与存在矩阵的环节一致")
    with single_threaded_blas():
        phi_values = _proximity(values) if phi is None else phi.to_numpy(dtype=np.float64)
        return pd.DataFrame(_density(values, phi_values), index=m.index, columns=m.columns)


def _panel_sd(values: np.ndarray, n_columns: int) -> float:
    """Sample sd of ``values`` repeated ``n_columns`` times (the long panel Stata standardises over)."""
    n = len(values) * n_columns
    if n < 2:
        return 0.0
    return float(np.sqrt(((values - values.mean()) ** 2).sum() * n_columns / (n - 1)))


def _eigen(values: np.ndarray, d: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Raw ``kc`` and ``kp`` (second eigenvectors) on regions and segments with ``d > 0`` and ``u > 0``;
    ``None`` when the second eigenvalue is 0 (every region alike: its eigenvector would be arbitrary)."""
    b = values / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
    small_side_is_regions = len(d) <= len(u)
    gram = b @ b.T if small_side_is_regions else b.T @ b
    n = gram.shape[0]
    eigenvalues, vectors = linalg.eigh(gram, subset_by_index=[n - 2, n - 1])  # the two largest only
    lam = eigenvalues[0]
    if lam <= TOLERANCE:
        return None
    if small_side_is_regions:
        kc = vectors[:, 0] / np.sqrt(d)
        kp = (values.T @ kc) / u / lam
    else:
        kp = vectors[:, 0] / np.sqrt(u)
        kc = (values @ kp) / d
    return kc, kp


def _main_component(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Regions and segments of the largest connected part of the region–segment graph of ``M``.

    On a graph in several parts the eigenvalue 1 repeats and "the second eigenvector" is any mix of the
    parts' indicators, so ECI could not compare regions across parts; it is computed on the part with the
    most regions (then the most presences; then the first), and the others are left undefined.
    """
    n_regions, n_segments = values.shape
    graph = sparse.bmat([[None, sparse.csr_matrix(values)], [sparse.csr_matrix(values.T), None]])
    _, labels = csgraph.connected_components(graph, directed=False)
    region_labels, segment_labels = labels[:n_regions], labels[n_regions:]
    present = values.sum(axis=1) > 0
    if not present.any():
        return np.zeros(n_regions, dtype=bool), np.zeros(n_segments, dtype=bool)
    regions_per_part = np.bincount(region_labels[present], minlength=labels.max() + 1)
    presences_per_part = np.bincount(region_labels, weights=values.sum(axis=1), minlength=labels.max() + 1)
    best = max(range(len(regions_per_part)), key=lambda k: (regions_per_part[k], presences_per_part[k], -k))
    return (region_labels == best) & present, (segment_labels == best) & (values.sum(axis=0) > 0)


def _sign(kc: np.ndarray, d: np.ndarray) -> float:
    """Stata's sign rule: ``kc`` must correlate positively with diversity (kept as is when either is flat)."""
    if np.ptp(d) == 0 or np.ptp(kc) == 0:
        return 1.0
    return -1.0 if np.corrcoef(kc, d)[0, 1] < 0 else 1.0


@dataclass(frozen=True, eq=False)
class Complexity:
    """Every complexity measure of one presence matrix (labels as in the matrix).

    ``kc`` / ``kp`` are the raw eigenvectors after the sign rule (0 where undefined); ``sd`` the panel sd
    ECI, PCI and COG are divided by (0 when undefined); ``defined`` whether ECI / PCI could be computed.
    """

    diversity: pd.Series
    ubiquity: pd.Series
    eci: pd.Series
    pci: pd.Series
    eci_defined: pd.Series
    pci_defined: pd.Series
    proximity: pd.DataFrame
    density: pd.DataFrame
    coi: pd.Series
    cog: pd.DataFrame
    kc: pd.Series
    kp: pd.Series
    sd: float

    @property
    def defined(self) -> bool:
        return bool(self.eci_defined.any())


def complexity(m: pd.DataFrame) -> Complexity:
    """Diversity, ubiquity, ECI, PCI, proximity, density, COI and COG of presence matrix ``m``.

    Examples
    --------
    A nested zone: the most diverse region is the most complex, the rarest segment the most complex.

    >>> m = pd.DataFrame([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0]],
    ...                  index=["成都", "重庆", "绵阳", "宜宾"], columns=list("abcd"))
    >>> result = complexity(m)
    >>> result.eci.round(3).tolist(), result.pci.round(3).tolist()
    ([1.299, 0.433, -0.433, -1.299], [-1.299, 0.433, 2.165, 3.897])
    """
    with single_threaded_blas():
        return _complexity(_presence_values(m), m.index, m.columns)


def _complexity(values: np.ndarray, regions: pd.Index, segments: pd.Index) -> Complexity:
    n_regions, n_segments = values.shape
    d = values.sum(axis=1)
    u = values.sum(axis=0)
    rows, cols = _main_component(values)
    kc = np.zeros(n_regions)
    kp = np.zeros(n_segments)
    sd = 0.0
    if rows.sum() >= 2 and cols.sum() >= 2:
        active = values[np.ix_(rows, cols)]
        vectors = _eigen(active, d[rows], u[cols])
        if vectors is not None:
            sign = _sign(vectors[0], d[rows])
            kc_active, kp_active = sign * vectors[0], sign * vectors[1]
            spread = _panel_sd(kc_active, int(cols.sum()))
            if spread > TOLERANCE * max(np.abs(kc_active).max(), np.abs(kp_active).max()):
                kc[rows], kp[cols], sd = kc_active, kp_active, spread
    defined = sd > 0
    eci = np.zeros(n_regions)
    pci = np.zeros(n_segments)
    if defined:
        mean = kc[rows].mean()
        eci[rows] = (kc[rows] - mean) / sd
        pci[cols] = (kp[cols] - mean) / sd

    phi = _proximity(values)
    column_sums = phi.sum(axis=0)  # = row sums: φ is symmetric
    present = sparse.csr_matrix(values)
    absent = 1.0 - values
    coi = np.zeros(n_regions)
    cog = np.zeros_like(values)
    if defined:
        # COG's Σ_q (1 − M_cq) φ_qp w_q with w_q = kp_q / Σ_r φ_qr is (w φ)_p − (M diag(w) φ)_cp: one pass
        # over φ computes density's M φ and COG's M diag(w) φ together.
        weights = np.divide(kp, column_sums, out=np.zeros_like(kp), where=column_sums > 0)
        both = sparse.vstack([present, present @ sparse.diags(weights)]).tocsr() @ phi
        dens = _over_columns(both[:n_regions], column_sums)
        coi_raw = (dens * absent) @ kp
        coi_sd = _panel_sd(coi_raw, int(cols.sum()))
        if coi_sd > TOLERANCE * np.abs(coi_raw).max():
            coi = (coi_raw - coi_raw.mean()) / coi_sd
        cog = absent * ((weights @ phi)[None, :] - both[n_regions:]) / sd
    else:
        dens = _over_columns(present @ phi, column_sums)

    return Complexity(
        diversity=pd.Series(d.astype(np.int64), index=regions, name="diversity"),
        ubiquity=pd.Series(u.astype(np.int64), index=segments, name="ubiquity"),
        eci=pd.Series(eci, index=regions, name="eci"),
        pci=pd.Series(pci, index=segments, name="pci"),
        eci_defined=pd.Series(rows & defined, index=regions, name="eci_defined"),
        pci_defined=pd.Series(cols & defined, index=segments, name="pci_defined"),
        proximity=pd.DataFrame(phi, index=segments, columns=segments),
        density=pd.DataFrame(dens, index=regions, columns=segments),
        coi=pd.Series(coi, index=regions, name="coi"),
        cog=pd.DataFrame(cog, index=regions, columns=segments),
        kc=pd.Series(kc, index=regions, name="kc"),
        kp=pd.Series(kp, index=segments, name="kp"),
        sd=sd,
    )
