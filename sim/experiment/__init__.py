"""Experiments: what to run, who runs it, and where the rows go.

Kept apart in the manner of the EMA Workbench: the *design* (a sweep file,
its factors and their grid or Latin hypercube, ``sweep_spec``, ``design``,
``plan``) says which what-ifs to run; the *executors* (``executors``) run
batches of replications on local processes or a Dask cluster; the *sweep*
(``sweep``) hands out batches and streams the outcomes into the results
store (``sim.results.store``), from which statistics and plots are drawn.
"""
