"""The shipped scenario files, installed as package data (``sim.scenarios``)."""
