"""Traces: the model, decoding from solver models, replay, and the output formats."""
