"""The batch engine: whole batches of replications with array operations and one compiled loop."""
