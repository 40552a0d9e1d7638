"""hotline-sim: a discrete-event simulator of a military deconfliction hotline.

``import sim`` gives the Python API (``sim.api``): ``sim.load``, ``sim.simulate``,
``sim.replicate``, ``sim.sweep``, ``sim.open_results`` and their types. The
API is imported on first use, so the model's own modules (and every worker
process) do not pay for pandas.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("hotline-sim")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

if TYPE_CHECKING:
    from sim.api import (LoadedScenario, Results, Run, load, open_results, replicate, scenario_path, simulate,
                         shipped_scenarios, sweep, sweep_path)

__all__ = ["LoadedScenario", "Run", "Results", "load", "simulate", "replicate", "sweep", "open_results",
           "shipped_scenarios", "scenario_path", "sweep_path", "__version__"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
