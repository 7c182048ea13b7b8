"""Solver adapters: the only place that holds solver state besides the engines."""
