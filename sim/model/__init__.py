"""SimPy processes and resources of the hotline, the strike and the callers."""
