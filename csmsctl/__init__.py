"""Command-line tool for operators' bulk work against the tables of a stage (AWS or the local stack)."""
