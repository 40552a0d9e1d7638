"""Where results go: run folders, databases, tables and plots."""
