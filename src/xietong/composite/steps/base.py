"""The step contract (STYLE §7): ``__init__`` stores keyword parameters, ``fit`` learns ``*_`` attributes."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Self

from ..data import Dataset
from ..errors import StepError
from ..framework import Framework

STEP_TYPES: dict[str, type[Step]] = {}


class Step:
    """Base of every pipeline step.

    Subclasses register under ``kind`` so presets (plain data) can name them. A step may also return
    a changed framework from :meth:`update_framework` (weighting steps do: they learn weights).
    """

    kind: ClassVar[str] = ""
    stage: ClassVar[str] = ""  # default name of the data set the step writes (COINr's dset names)
    uses_weights: ClassVar[bool] = False  # output depends on the framework's weights (cache key)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            STEP_TYPES[cls.kind] = cls

    def get_params(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.endswith("_") and not k.startswith("_")}

    def with_params(self, **params: Any) -> Self:
        """An unfitted copy with some parameters changed (used by the sensitivity analysis)."""
        new = copy.copy(self)
        new.__dict__ = {k: v for k, v in self.get_params().items()}
        for key, value in params.items():
            if key not in new.__dict__:
                raise StepError(
                    "{step} has no parameter '{parameter}'; its parameters are {choices}",
                    code="unknown_parameter", step=type(self).__name__, parameter=str(key),
                    choices=sorted(new.__dict__),
                )  # fmt: skip
            setattr(new, key, value)
        return new

    def fit(self, data: Dataset, framework: Framework) -> Self:
        raise NotImplementedError

    def transform(self, data: Dataset) -> Dataset:
        raise NotImplementedError

    def fit_transform(self, data: Dataset, framework: Framework) -> Dataset:
        return self.fit(data, framework).transform(data)

    def update_framework(self, framework: Framework) -> Framework:
        return framework

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"


def check_fitted(step: Step, attribute: str) -> None:
    if not hasattr(step, attribute):
        raise RuntimeError(f"{type(step).__name__} is not fitted yet; call fit() first")


@contextmanager
def ignore_nan_warnings() -> Iterator[None]:
    """Silence numpy's all-NaN / empty-slice warnings where an empty column is an expected, handled case."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
