"""Encoders: from IR and terms to Z3 (one module per job: values, shapes, terms, transitions)."""
