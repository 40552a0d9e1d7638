"""Analytic queueing references the simulator is checked against."""
