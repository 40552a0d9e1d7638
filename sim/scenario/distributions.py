"""Inline probability distributions for every uncertain quantity in a scenario.

A scenario never names a random number generator. It writes each uncertain
quantity where it is used, as a bare number when it is known::

    abort_latency: "4 min"

or as a distribution when it is not::

    detection_delay: {dist: lognormal, mean: "30 min", sd: "8 min"}

Every draw takes exactly one uniform number u from the quantity's own stream
(``sim.model.streams``) and returns the value below which a fraction u of
the distribution lies (its inverse distribution function, ``quantile``).
One uniform per draw, whatever the distribution, is what keeps common random
numbers intact when a fixed value becomes a distribution, and what lets an
engine working on arrays (``quantiles``) reproduce every draw exactly.
Durations may carry units in every parameter; plain quantities (kilometres,
people) are numbers. Infinite and NaN parameters are refused.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    model_validator,
)
from scipy.special import ndtri

from sim.scenario.quantiles import gamma_row
from sim.scenario.quantiles import quantile as compiled_quantile
from sim.scenario.quantiles import quantiles as compiled_quantiles
from sim.scenario.units import parse_duration

if TYPE_CHECKING:  # the model layer draws; the input layer only describes
    from sim.model.streams import Stream

_PARAMS = ("value", "mean", "sd", "low", "mode", "high", "shape", "scale", "values")


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    def quantile(self, u: float) -> float:  # pragma: no cover - abstract
        """The value at cumulative probability ``u`` in (0, 1)."""
        raise NotImplementedError

    def quantiles(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """``quantile`` of every element of ``u``."""
        raise NotImplementedError

    @property
    def minimum(self) -> float:  # pragma: no cover - abstract
        """The lowest value a draw can take."""
        raise NotImplementedError

    @property
    def mean_value(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, stream: "Stream") -> float:
        return self.quantile(stream.uniform())

    def sample_many(self, stream: "Stream", count: int) -> np.ndarray:
        return self.quantiles(stream.uniforms(count))


class Fixed(_Dist):
    """A known value: written in the file as a bare number or duration."""

    dist: Literal["fixed"] = "fixed"
    value: float

    def quantile(self, u: float) -> float:
        return self.value

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value)

    @property
    def minimum(self) -> float:
        return self.value

    @property
    def mean_value(self) -> float:
        return self.value


class Exponential(_Dist):
    dist: Literal["exponential"]
    mean: float = Field(gt=0)

    def quantile(self, u: float) -> float:
        return -self.mean * math.log1p(-u)

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        return -self.mean * np.log1p(-u)

    @property
    def minimum(self) -> float:
        return 0.0

    @property
    def mean_value(self) -> float:
        return self.mean


class Lognormal(_Dist):
    """Parameterised by the mean and standard deviation of the value itself."""

    dist: Literal["lognormal"]
    mean: float = Field(gt=0)
    sd: float = Field(ge=0)

    def _log_parameters(self) -> tuple[float, float]:
        cv = self.sd / self.mean
        sigma2 = math.log1p(cv * cv) if cv < 1e150 else 2 * math.log(cv)  # log1p(cv^2) would overflow
        return math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)

    def quantile(self, u: float) -> float:
        mu, sigma = self._log_parameters()
        return math.exp(mu + sigma * float(ndtri(u)))

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        mu, sigma = self._log_parameters()
        return np.exp(mu + sigma * ndtri(u))

    @property
    def minimum(self) -> float:
        return 0.0

    @property
    def mean_value(self) -> float:
        return self.mean


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> "Uniform":
        if self.high < self.low:
            raise ValueError(f"uniform needs low <= high, got low={self.low}, high={self.high}")
        return self

    def quantile(self, u: float) -> float:
        return self.low + u * (self.high - self.low)

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        return self.low + u * (self.high - self.low)

    @property
    def minimum(self) -> float:
        return self.low

    @property
    def mean_value(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> "Triangular":
        if not (self.low <= self.mode <= self.high) or self.low == self.high:
            raise ValueError(
                f"triangular needs low <= mode <= high and low < high, "
                f"got low={self.low}, mode={self.mode}, high={self.high}"
            )
        return self

    def quantile(self, u: float) -> float:
        width, split = self.high - self.low, (self.mode - self.low) / (self.high - self.low)
        if u < split:
            return self.low + math.sqrt(u * width * (self.mode - self.low))
        return self.high - math.sqrt((1 - u) * width * (self.high - self.mode))

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        width, split = self.high - self.low, (self.mode - self.low) / (self.high - self.low)
        return np.where(u < split, self.low + np.sqrt(u * width * (self.mode - self.low)),
                        self.high - np.sqrt((1 - u) * width * (self.high - self.mode)))

    @property
    def minimum(self) -> float:
        return self.low

    @property
    def mean_value(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Gamma(_Dist):
    dist: Literal["gamma"]
    shape: float = Field(gt=0)
    scale: float = Field(gt=0)

    def quantile(self, u: float) -> float:
        """From a table of the shape's quantiles (``sim.scenario.gamma_table``): scipy's iteration costs 25 times more."""
        return float(compiled_quantile(gamma_row(self.shape, self.scale), u))

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        return compiled_quantiles(gamma_row(self.shape, self.scale), np.asarray(u, dtype=float))

    @property
    def minimum(self) -> float:
        return 0.0

    @property
    def mean_value(self) -> float:
        return self.shape * self.scale


class Weibull(_Dist):
    dist: Literal["weibull"]
    shape: float = Field(gt=0)
    scale: float = Field(gt=0)

    def quantile(self, u: float) -> float:
        return self.scale * (-math.log1p(-u)) ** (1 / self.shape)

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        return self.scale * (-np.log1p(-u)) ** (1 / self.shape)

    @property
    def minimum(self) -> float:
        return 0.0

    @property
    def mean_value(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)


class Empirical(_Dist):
    """Observed values, each drawn with equal probability."""

    dist: Literal["empirical"]
    values: list[float] = Field(min_length=1)

    def quantile(self, u: float) -> float:
        return self.values[int(u * len(self.values))]

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        return np.asarray(self.values, dtype=float)[(u * len(self.values)).astype(np.int64)]

    @property
    def minimum(self) -> float:
        return min(self.values)

    @property
    def mean_value(self) -> float:
        return sum(self.values) / len(self.values)


_Any = Annotated[
    Union[Fixed, Exponential, Lognormal, Uniform, Triangular, Gamma, Weibull, Empirical],
    Field(discriminator="dist"),
]


def _coerce(with_units: bool):
    """Turn shorthand (a bare number or duration) into a ``fixed`` mapping."""

    def convert_scalar(value: Any) -> Any:
        if not with_units:
            return value
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        minutes = parse_duration(value) if isinstance(value, str) or is_number else value
        if isinstance(minutes, (int, float)) and not isinstance(minutes, bool) and minutes < 0:
            raise ValueError(f"a duration cannot be negative, got {value!r}")
        return minutes

    def coerce(value: Any) -> Any:
        if isinstance(value, dict):
            if "dist" not in value:
                raise ValueError(
                    "a distribution mapping needs 'dist' (one of fixed, exponential, lognormal, "
                    "uniform, triangular, gamma, weibull, empirical)"
                )
            out = dict(value)
            for key in _PARAMS:
                if key in out:
                    if isinstance(out[key], list):
                        out[key] = [convert_scalar(v) for v in out[key]]
                    else:
                        out[key] = convert_scalar(out[key])
            return out
        if isinstance(value, bool) or value is None:
            raise ValueError(f"expected a number or a distribution, got {value!r}")
        return {"dist": "fixed", "value": convert_scalar(value)}

    return coerce


_MODELS = (Fixed, Exponential, Lognormal, Uniform, Triangular, Gamma, Weibull, Empirical)


_HELP = {
    "dist": "Which distribution: fixed, exponential, lognormal, uniform, triangular, gamma, weibull or empirical.",
    "value": "The one value every draw takes.",
    "mean": "Mean of the draws.",
    "sd": "Standard deviation of the draws.",
    "low": "Lowest value a draw can take.",
    "mode": "Most likely value.",
    "high": "Highest value a draw can take.",
    "shape": "Shape parameter (k).",
    "scale": "Scale parameter (theta for gamma, lambda for Weibull).",
    "values": "Observed values; each draw is one of them, equally likely.",
}
"""Hover help of each parameter in the JSON Schema, for editors."""


def _as_written(model: type[_Dist], with_units: bool) -> type[BaseModel]:
    """The mapping as a file writes it, for the JSON Schema only.

    It differs from the model in two ways: ``dist`` is required (the shorthand
    for ``fixed`` is a bare value), and in a duration every parameter may be
    a string with a unit, ``{dist: exponential, mean: "10 min"}``.
    """
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "dist":
            fields[name] = (info.annotation, Field(description=_HELP[name]))
            continue
        if name == "values":
            item: Any = float | str if with_units else float
            annotation: Any = Annotated[(list[item], *info.metadata)]
        else:
            number: Any = Annotated[(float, *info.metadata)] if info.metadata else float
            annotation = number | str if with_units else number
        fields[name] = (annotation, Field(description=_HELP[name]))
    suffix = "Duration" if with_units else "Quantity"
    return create_model(f"{model.__name__}{suffix}", __config__=ConfigDict(extra="forbid"),
                        __doc__=model.__doc__, **fields)


def _written_union(with_units: bool) -> Any:
    members = tuple(_as_written(model, with_units) for model in _MODELS)
    return Annotated[Union[members], Field(discriminator="dist")]  # noqa: UP007 - a union of a tuple


Distribution = Annotated[_Any, BeforeValidator(
    _coerce(with_units=False), json_schema_input_type=float | _written_union(with_units=False))]
"""A plain quantity (km, people, probability-free counts): number or distribution."""

DurationDistribution = Annotated[_Any, BeforeValidator(
    _coerce(with_units=True), json_schema_input_type=float | str | _written_union(with_units=True))]
"""A duration in minutes: number, ``"90 s"``-style string, or distribution."""


def _non_negative(dist: _Dist) -> _Dist:
    if dist.minimum < 0:
        what = "the value" if isinstance(dist, Fixed) else f"this {getattr(dist, 'dist')} distribution"
        raise ValueError(f"cannot be negative, but {what} goes down to {dist.minimum:g}")
    return dist


NonNegativeDistribution = Annotated[_Any, BeforeValidator(
    _coerce(with_units=False), json_schema_input_type=float | _written_union(with_units=False)),
    AfterValidator(_non_negative)]
"""A quantity that cannot be negative (people harmed, kilometres): number or distribution."""
