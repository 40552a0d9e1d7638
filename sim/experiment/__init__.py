"""Experiments: what to run, who runs it, and where the rows go.

Kept apart in the manner of the EMA Workbench: the *design* (a sweep file,
its factors and their grid or Latin hypercube: ``sim.scenario.sweep_spec``
and ``sim.scenario.design``, input like a scenario; expanded and checked by
``plan``) says which what-ifs to run; the *executors* (``executors``) run
batches of replications on local processes or a Dask cluster; the *sweep*
(``sweep``) hands out batches and streams the outcomes into whatever store
the caller opened (``sim.results.store``, a layer above, which this package
never imports), from which statistics and plots are drawn.
"""
