"""Pipeline steps: each a class (fit/transform) with a function twin."""

from .aggregate import Aggregator, aggregate, weighted_mean
from .base import STEP_TYPES, Step
from .denominate import Denominator, denominate
from .impute import Imputer, impute
from .normalise import Normaliser, normalise
from .screen import Screener, screen
from .treat import OutlierTreater, passes_skew_kurt, treat, winsorise_bounds
from .weights import Weighter, critic_weights, entropy_weights, pca_weights

__all__ = [
    "STEP_TYPES",
    "Aggregator",
    "Denominator",
    "Imputer",
    "Normaliser",
    "OutlierTreater",
    "Screener",
    "Step",
    "Weighter",
    "aggregate",
    "critic_weights",
    "denominate",
    "entropy_weights",
    "impute",
    "normalise",
    "passes_skew_kurt",
    "pca_weights",
    "screen",
    "treat",
    "weighted_mean",
    "winsorise_bounds",
]
