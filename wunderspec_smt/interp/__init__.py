"""Concrete execution of specs: evaluation of terms and of action IR."""
