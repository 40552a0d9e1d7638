"""The Python API: everything the ``hotline`` command does, from a notebook.

::

    import sim
    deir = sim.load("deir_ez_zor_2016_stochastic")                # a shipped name, a file or a dict
    two = deir.override("desk.pocs.count=2")                        # the same as --set
    run = sim.simulate(deir)                                        # one replication, with its trace
    run.outcomes["time_to_message"], run.trace().head()
    reps = sim.replicate(two, 500, workers=1)                       # a results folder ...
    reps.replications.killed_due_to_delay.mean()                    # ... as pandas tables
    staffing = sim.sweep("staffing", out="results/sweeps/mine")     # a sweep file or a shipped sweep
    sim.open_results("results/sweeps/mine").summary                 # any results folder, later
    staffing.figures()                                              # matplotlib figures

The command line is a thin layer over these functions: ``hotline run`` is
``load`` + ``simulate`` (or ``replicate``), ``hotline sweep`` is ``sweep``,
``hotline export``/``plot``/``report`` are methods of ``Results``. This
module sits above every layer and nothing in the package imports it except
the command line.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from sim.experiment.executors import Executor, LocalExecutor
from sim.experiment.plan import SweepPlan, override as factor_override, plan_replications, plan_sweep
from sim.experiment.sweep import Progress, largest_batch, run_plan
from sim.model.trace import Event, Trace
from sim.model.world import run_replication
from sim.results.provenance import environment, scenario_fingerprint
from sim.results.report import budget_table, summary_document, summary_table, warnings
from sim.results.run_folder import SWEEP_COPY, write_json, write_trace
from sim.results.store import ResultStore, open_for_writing
from sim.results.sweep_plots import FORMATS, draw_all, figures
from sim.results.sweep_report import statistics_document
from sim.results.timeline import plot_timeline
from sim.scenario.loader import apply_overrides, load_scenario, read_scenario_data, scenario_from_data
from sim.scenario.limits import DEFAULT, Limits
from sim.scenario.schema import Scenario
from sim.scenario.shipped import SWEEP_FOLDERS, resolve, shipped_names
from sim.scenario.sweep_spec import SweepError

if TYPE_CHECKING:  # pandas, and the tables and report made with it, load on first use: `hotline sweep` starts
    import pandas as pd  # without them (0.4 s less of serial start before the workers run)
    from matplotlib.figure import Figure

    from sim.results import tables

__all__ = ["LoadedScenario", "Run", "Results", "load", "simulate", "replicate", "sweep", "open_results",
           "shipped_scenarios", "scenario_path", "sweep_path"]

Source = Union[str, Path, Mapping[str, Any]]
Setting = Union[str, Mapping[str, Any]]
"""An override: ``"desk.pocs.count=2"`` as on the command line, or ``{"desk.pocs.count": 2}``."""
PathLike = Union[str, Path]


def shipped_scenarios() -> list[str]:
    """The names ``load`` accepts besides file paths: scenarios and validation cases."""
    return sorted(shipped_names("") + shipped_names("validation/"))


def scenario_path(name: PathLike) -> Path:
    """A file path as given, else a shipped scenario (or validation case) of that name."""
    return resolve(str(name))


def sweep_path(name: PathLike) -> Path:
    """A file path as given, else a shipped sweep of that name."""
    return resolve(str(name), folders=SWEEP_FOLDERS)


def _settings(settings: Sequence[Setting]) -> tuple[str, ...]:
    """Every setting as ``PATH=VALUE`` text, the one form the loader reads."""
    texts: list[str] = []
    for setting in settings:
        if isinstance(setting, str):
            texts.append(setting)
        else:
            texts += [factor_override(path, value) for path, value in setting.items()]
    return tuple(texts)


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from and the overrides laid on it."""

    source: str
    """The file it was read from, or ``<dict>``."""
    base: dict[str, Any] = field(repr=False)
    """The data before the overrides (``extends`` resolved)."""
    overrides: tuple[str, ...]
    scenario: Scenario = field(repr=False)
    path: Optional[Path] = None
    limits: Limits = DEFAULT
    """Size limits it was checked against (``--allow-large`` raises them)."""

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def seed(self) -> int:
        return self.scenario.seed

    @property
    def data(self) -> dict[str, Any]:
        """The data the model runs: base with the overrides applied."""
        return apply_overrides(self.base, self.overrides)

    @property
    def fingerprint(self) -> str:
        return scenario_fingerprint(self.data)

    def override(self, *settings: Setting) -> "LoadedScenario":
        """A copy with more overrides (``--set`` semantics); raises ``ScenarioError`` on a bad one."""
        overrides = self.overrides + _settings(settings)
        if self.path is not None:
            scenario = load_scenario(self.path, overrides, self.limits)
        else:
            scenario = scenario_from_data(apply_overrides(self.base, overrides), self.source, self.limits)
        return LoadedScenario(self.source, self.base, overrides, scenario, self.path, self.limits)


def load(source: Source, *settings: Setting, limits: Limits = DEFAULT) -> LoadedScenario:
    """A scenario from a file, a shipped name (``shipped_scenarios()``) or a dict, with overrides.

    Every problem is raised as one ``ScenarioError`` whose messages name the
    file, line and key, exactly as the command line prints them.
    """
    if isinstance(source, Mapping):
        data = dict(source)
        return LoadedScenario("<dict>", data, (), scenario_from_data(data, "<dict>", limits),
                              limits=limits).override(*settings)
    path = scenario_path(source)
    overrides = _settings(settings)
    scenario = load_scenario(path, overrides, limits)
    return LoadedScenario(str(path), read_scenario_data(path), overrides, scenario, path, limits)


@dataclass(frozen=True)
class Run:
    """One replication with its trace, as ``hotline run`` shows and writes it."""

    scenario: LoadedScenario
    seed: int
    replication: int
    outcomes: dict[str, float]
    recorded: Trace = field(repr=False)

    @cached_property
    def events(self) -> tuple[Event, ...]:
        """Every event in order (made when first asked: ``write`` goes straight from the recorded trace)."""
        return tuple(self.recorded.events)

    def trace(self) -> pd.DataFrame:
        """Every event, one row each: time (min), kind, actor and the event's details as columns."""
        import pandas as pd

        rows = [{"time": e.time, "kind": e.kind.value, "actor": e.actor, **e.detail} for e in self.events]
        return pd.DataFrame(rows, columns=None if rows else ["time", "kind", "actor"])

    def table(self) -> str:
        """The figures as ``hotline run`` prints them, with warnings and where the time went."""
        origin = self.scenario.scenario.origin_minutes
        lines = [summary_table(self.outcomes, origin), *(f"warning: {w}" for w in warnings(self.outcomes))]
        breakdown = budget_table(self.outcomes, origin)
        return "\n".join(lines) + (f"\n\n{breakdown}" if breakdown else "")

    def timeline(self, path: Optional[Path] = None) -> Optional[Figure]:
        """The replay's timeline (None for a hotline-only scenario, which has no strike to draw)."""
        if self.scenario.scenario.strike is None:
            return None
        return plot_timeline(list(self.events), self.outcomes, self.scenario.scenario, path)

    def write(self, folder: PathLike) -> Path:
        """A run folder: ``summary.json``, ``trace.jsonl`` and the timeline as PNG and SVG."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        loaded = self.scenario
        document = summary_document(loaded.name, loaded.source, self.seed, self.outcomes,
                                    loaded.scenario.origin_minutes, list(loaded.overrides))
        write_json(folder / "summary.json", {**document, "clock_origin": loaded.scenario.clock_origin,
                                             "scenario_fingerprint": loaded.fingerprint,
                                             "environment": environment()})
        write_trace(folder / "trace.jsonl", self.recorded.rows())
        figure = self.timeline(folder / "timeline.png")
        if figure is not None:
            figure.savefig(folder / "timeline.svg", metadata={"Date": None})
        return folder


def simulate(scenario: LoadedScenario, seed: Optional[int] = None, replication: int = 0) -> Run:
    """Replication ``replication`` of ``scenario`` under ``seed`` (default: the scenario's), traced."""
    seed = scenario.seed if seed is None else seed
    result = run_replication(scenario.scenario, seed, replication, trace=True)
    return Run(scenario, seed, replication, result.outcomes, result.trace)


class Results:
    """A results folder (a sweep, or replications of one scenario) as pandas tables and figures."""

    def __init__(self, folder: PathLike) -> None:
        path = Path(folder)
        self.folder = path.parent if path.suffix == ".sqlite" else path
        with self._store():  # fail now, with the command line's message, if there is no database
            pass

    def __repr__(self) -> str:
        return f"Results({str(self.folder)!r})"

    def _store(self) -> ResultStore:
        return ResultStore.open(self.folder)

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """What was run: kind, name, seed, replications, factors, base scenario, code version, fingerprint."""
        with self._store() as store:
            return store.manifest()

    @cached_property
    def replications(self) -> pd.DataFrame:
        """One row per (design point, replication): factor values and every outcome (NaN where undefined)."""
        from sim.results import tables

        with self._store() as store:
            return tables.replications_frame(store)

    @cached_property
    def summary(self) -> pd.DataFrame:
        """One row per (design point, outcome): estimate, 95% interval, spread, paired effect vs the baseline."""
        from sim.results import tables

        with self._store() as store:
            return tables.summary_frame(store)

    def dictionary(self, table: tables.Table = "replications") -> pd.DataFrame:
        """The data dictionary of ``table``: each column's words, unit, kind and when it is empty."""
        import pandas as pd

        from sim.results import tables

        with self._store() as store:
            return pd.DataFrame([c.__dict__ for c in tables.dictionary(store, table)])

    def export(self, path: PathLike, table: tables.Table = "replications") -> list[Path]:
        """Write ``table`` as CSV or Parquet (by the suffix), its data dictionary beside it."""
        from sim.results import tables

        with self._store() as store:
            return tables.export(store, table, Path(path))

    def figures(self, headline_only: bool = False) -> dict[str, Figure]:
        """The sweep's figures by name, for a notebook to show."""
        with self._store() as store:
            return dict(figures(store, headline_only))

    def draw(self, out: Optional[PathLike] = None, formats: Sequence[str] = FORMATS) -> list[Path]:
        """Write the figures (default: into the folder's ``plots/``); return the files."""
        with self._store() as store:
            return draw_all(store, Path(out) if out is not None else self.folder / "plots", formats)

    def report(self, path: Optional[PathLike] = None) -> Path:
        """The self-contained HTML report (default: ``report.html`` in the folder)."""
        from sim.results.html_report import write_report

        return write_report(self.folder, Path(path) if path is not None else self.folder / "report.html")

    def write_summary(self, plots: bool = True) -> None:
        """``summary.json`` (every point's statistics) and, unless ``plots`` is false, the figures."""
        with self._store() as store:
            document = statistics_document(store)
            if document["kind"] == "replications":
                manifest = store.manifest()
                definition = manifest["definition"]
                document = {**{k: v for k, v in document.items() if k != "points"},
                            "scenario": manifest["name"], "overrides": definition.get("overrides", []),
                            "outcomes": document["points"][0]["outcomes"]}
            fingerprint = scenario_fingerprint(store.manifest()["base_scenario"])
            write_json(self.folder / "summary.json", {**document, "scenario_fingerprint": fingerprint,
                                                      "environment": environment()})
            if plots:
                draw_all(store, self.folder / "plots" if document["kind"] == "sweep" else self.folder)


def execute(plan: SweepPlan, folder: Path, resume: bool = False, executor: Optional[Executor] = None,
            batch_size: Optional[int] = None, on_progress: Optional[Callable[[Progress], None]] = None,
            workers: Optional[int] = None, engine: str = "auto") -> ResultStore:
    """Run what ``folder`` is missing of ``plan`` on ``engine`` (``sim.run.engines``: ``auto`` takes the batch
    engine where it covers a point); return its open store (closed again on failure)."""
    largest = largest_batch((scenario_from_data(s, plan.source) for s in plan.scenarios.values()), engine)
    store = open_for_writing(folder, plan.manifest(), plan.points, plan.outcomes, resume)
    try:
        if executor is not None:
            run_plan(plan, store, executor, batch_size, on_progress, engine, largest)
        else:
            with LocalExecutor(workers) as local:
                run_plan(plan, store, local, batch_size, on_progress, engine, largest)
    except BaseException:
        store.close()
        raise
    return store


def finish(folder: Path, plots: bool = True, sweep_file: Optional[Path] = None) -> Results:
    """Write a run's ``summary.json`` and figures, and keep a copy of its sweep file (``sweep.yaml``)
    whose comments state the question for the report."""
    results = Results(folder)
    results.write_summary(plots)
    if sweep_file is not None and sweep_file.resolve() != (folder / SWEEP_COPY).resolve():
        shutil.copyfile(sweep_file, folder / SWEEP_COPY)
    return results


def _results(plan: SweepPlan, out: Optional[PathLike], plots: bool, sweep_file: Optional[Path] = None,
             **how: Any) -> Results:
    """Run ``plan`` into ``out``, or into a temporary folder that lives as long as the returned Results."""
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="hotline-"))
    execute(plan, folder, **how).close()
    results = finish(folder, plots, sweep_file)
    if out is None:
        weakref.finalize(results, shutil.rmtree, folder, ignore_errors=True)
    return results


def replications_plan(scenario: LoadedScenario, n: int, seed: Optional[int] = None) -> SweepPlan:
    """``n`` replications of ``scenario`` as a sweep of one point: the plan ``replicate`` runs."""
    seed = scenario.seed if seed is None else seed
    return plan_replications(scenario.source, scenario.base, scenario.overrides, seed, n, scenario.limits)


def replicate(scenario: LoadedScenario, n: int, *, seed: Optional[int] = None, out: Optional[PathLike] = None,
              workers: Optional[int] = None, executor: Optional[Executor] = None, resume: bool = False,
              batch_size: Optional[int] = None, on_progress: Optional[Callable[[Progress], None]] = None,
              plots: bool = True, engine: str = "auto") -> Results:
    """``n`` independent replications into a results folder (``out``, or a temporary one).

    ``workers`` local processes (default: all cores; 1 runs in this process),
    or any ``executor`` (e.g. Dask). Replication k is the same whatever runs it, on either
    ``engine`` (``auto``, ``batch``, ``simpy``: see ``sim.run.engines``).
    """
    return _results(replications_plan(scenario, n, seed), out, plots, resume=resume, executor=executor,
                    batch_size=batch_size, on_progress=on_progress, workers=workers, engine=engine)


def sweep(file: PathLike, *, replications: Optional[int] = None, out: Optional[PathLike] = None,
          workers: Optional[int] = None, executor: Optional[Executor] = None, resume: bool = False,
          batch_size: Optional[int] = None, on_progress: Optional[Callable[[Progress], None]] = None,
          plots: bool = True, limits: Limits = DEFAULT, engine: str = "auto") -> Results:
    """Run a sweep file (or a shipped sweep by name) into a results folder (``out``, or a temporary one).

    ``replications`` replaces the file's count per point: fewer for a quick look in a notebook;
    ``engine`` as for ``replicate``.
    """
    path = sweep_path(file)
    plan = plan_sweep(path, limits)
    if replications is not None:
        if replications < 2:
            raise SweepError([f"replications: expected at least 2 per point, got {replications}"])
        plan = replace(plan, replications=replications, definition={**plan.definition, "replications": replications})
    return _results(plan, out, plots, path, resume=resume, executor=executor, batch_size=batch_size,
                    on_progress=on_progress, workers=workers, engine=engine)


def open_results(folder: PathLike) -> Results:
    """An existing results folder of ``hotline sweep`` or ``hotline run --replications``."""
    return Results(folder)

