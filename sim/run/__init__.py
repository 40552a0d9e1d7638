"""Replications of a scenario and their statistics."""
