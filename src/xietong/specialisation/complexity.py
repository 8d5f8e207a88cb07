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
of steps 2–3 and get ECI / PCI 0 (``eci_defined`` / ``pci_defined`` say so); with fewer than two regions or
segments left, or no spread of ``kc``, every ECI, PCI and COG is 0 and every COI 0. Empty rows of ``φ``
give density 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import SpecialisationError

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
    # Co-occurrence counts are small integers: exact in float32, and the float32 product is twice as fast.
    as32 = values.astype(np.float32)
    co = (as32.T @ as32).astype(np.float64)
    u = values.sum(axis=0)
    denominator = np.maximum(u[:, None], u[None, :])
    phi = np.divide(co, denominator, out=np.zeros_like(co), where=denominator > 0)
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
    return pd.DataFrame(_proximity(_presence_values(m)), index=m.columns, columns=m.columns)


def _density(values: np.ndarray, phi: np.ndarray) -> np.ndarray:
    column_sums = phi.sum(axis=0)
    numerator = values @ phi
    return np.divide(numerator, column_sums[None, :], out=np.zeros_like(numerator), where=column_sums > 0)


def density(m: pd.DataFrame, phi: pd.DataFrame | None = None) -> pd.DataFrame:
    """Relatedness density ``Σ_q M_cq φ_qp / Σ_q φ_qp``: the share of the segment's neighbours the region has."""
    values = _presence_values(m)
    phi_values = _proximity(values) if phi is None else phi.to_numpy(dtype=np.float64)
    return pd.DataFrame(_density(values, phi_values), index=m.index, columns=m.columns)


def _panel_sd(values: np.ndarray, n_columns: int) -> float:
    """Sample sd of ``values`` repeated ``n_columns`` times (the long panel Stata standardises over)."""
    n = len(values) * n_columns
    if n < 2:
        return 0.0
    return float(np.sqrt(((values - values.mean()) ** 2).sum() * n_columns / (n - 1)))


def _eigen(values: np.ndarray, d: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw ``kc`` and ``kp`` (second eigenvectors) on regions and segments with ``d > 0`` and ``u > 0``."""
    b = values / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
    if len(d) <= len(u):
        eigenvalues, vectors = np.linalg.eigh(b @ b.T)
        kc = vectors[:, -2] / np.sqrt(d)
        lam = eigenvalues[-2]
        kp = (values.T @ kc) / u / lam if abs(lam) > TOLERANCE else np.zeros(len(u))
    else:
        eigenvalues, vectors = np.linalg.eigh(b.T @ b)
        kp = vectors[:, -2] / np.sqrt(u)
        kc = (values @ kp) / d
    return kc, kp


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
    values = _presence_values(m)
    n_regions, n_segments = values.shape
    d = values.sum(axis=1)
    u = values.sum(axis=0)
    rows, cols = d > 0, u > 0
    kc = np.zeros(n_regions)
    kp = np.zeros(n_segments)
    sd = 0.0
    if rows.sum() >= 2 and cols.sum() >= 2:
        active = values[np.ix_(rows, cols)]
        kc_active, kp_active = _eigen(active, d[rows], u[cols])
        sign = _sign(kc_active, d[rows])
        kc_active, kp_active = sign * kc_active, sign * kp_active
        spread = _panel_sd(kc_active, int(cols.sum()))
        scale = max(np.abs(kc_active).max(), np.abs(kp_active).max(), 1e-300)
        if spread > TOLERANCE * scale:
            kc[rows], kp[cols], sd = kc_active, kp_active, spread
    defined = sd > 0
    eci = np.zeros(n_regions)
    pci = np.zeros(n_segments)
    if defined:
        mean = kc[rows].mean()
        eci[rows] = (kc[rows] - mean) / sd
        pci[cols] = (kp[cols] - mean) / sd

    phi = _proximity(values)
    dens = _density(values, phi)
    absent = 1.0 - values
    coi = np.zeros(n_regions)
    cog = np.zeros_like(values)
    if defined:
        coi_raw = (dens * absent) @ kp
        coi_sd = _panel_sd(coi_raw, int(cols.sum()))
        if coi_sd > TOLERANCE * max(np.abs(coi_raw).max(), 1e-300):
            coi = (coi_raw - coi_raw.mean()) / coi_sd
        row_sums = phi.sum(axis=1)
        weights = np.divide(kp, row_sums, out=np.zeros_like(kp), where=row_sums > 0)
        weighted_phi = phi * weights[:, None]  # φ_qp · kp_q / Σ_r φ_qr
        cog = absent * (weighted_phi.sum(axis=0)[None, :] - values @ weighted_phi) / sd

    regions, segments = m.index, m.columns
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
