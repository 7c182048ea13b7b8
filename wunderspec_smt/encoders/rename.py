"""Reuse what was encoded at one depth at a later depth, by renaming symbols.

Once the unrolling's states keep one shape from a depth to the next (the same structure
and constants, symbols in the same places), everything encoded from the later state
(the step out of it, the next state's symbols and their binding, the properties) is
what was encoded from the earlier state with

* the earlier state's symbols replaced by the later state's, and
* the symbols that encoding created itself (selectors, picks, witnesses, the next
  state's symbols) replaced by new ones.

Z3 makes the replacement in C (`Z3_substitute`), at a small fraction of the cost of
walking the IR again in Python. It is sound because the encoders never conclude
anything from two symbols being different: a term built over symbols means the same
for every value of them, so renaming gives what encoding the later state would give,
up to simplifications.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple

import z3

from ..solvers.z3capi import plain_class, substitute
from .symvals import term_class, term_key

_LEAVES = (bool, int, type(None))


def match_states(old: Mapping[str, Any], new: Mapping[str, Any]) -> Optional[Dict[int, Tuple[Any, Any]]]:
    """The renaming of `old`'s symbols that gives `new`, or None when their shapes differ.

    Shapes differ when the structures differ (tuple lengths, slot counts, kinds of set),
    when a constant differs, or when one symbol of `old` would have to become two different
    terms. Returns {pointer of old symbol: (old symbol, new term)}.
    """
    out: Dict[int, Tuple[Any, Any]] = {}
    for name, v in old.items():
        if not _match(v, new[name], out):
            return None
    return out


def _match(a: Any, b: Any, out: Dict[int, Tuple[Any, Any]]) -> bool:
    if isinstance(a, z3.ExprRef):
        if plain_class(type(a)) is not plain_class(type(b)):
            return False
        seen = out.get(term_key(a))
        if seen is None:
            out[term_key(a)] = (a, b)
            return True
        return term_key(seen[1]) == term_key(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_match(x, y, out) for x, y in zip(a, b))
    if isinstance(a, _LEAVES):
        return a == b
    # a symbolic collection (symvals.SSet, SMap, SList, ...): field by field
    return all(_match(x, y, out) for x, y in zip(vars(a).values(), vars(b).values()))


def _renamed_symbol(x: z3.ExprRef, suffix: str) -> z3.ExprRef:
    ctx = x.ctx
    ref = ctx.ref()
    name = z3.z3core.Z3_get_symbol_string(ref, z3.z3core.Z3_get_decl_name(ref, z3.z3core.Z3_get_app_decl(
        ref, x.as_ast())))
    sym = z3.z3core.Z3_mk_string_symbol(ref, name + suffix)
    return type(x)(z3.z3core.Z3_mk_const(ref, sym, z3.z3core.Z3_get_sort(ref, x.as_ast())), ctx)


class Renamer:
    """One renaming of symbols, applied to terms and to symbolic values of any shape."""

    def __init__(self, pairs: Iterable[Tuple[Any, Any]], fresh: Sequence[Any] = (), suffix: str = ""):
        """`pairs` (old symbol, new term), plus each symbol of `fresh` renamed to its name + `suffix`."""
        pairs = list(pairs)
        seen = {term_key(a) for a, _ in pairs}
        for x in fresh:
            if term_key(x) not in seen:
                seen.add(term_key(x))
                pairs.append((x, _renamed_symbol(x, suffix)))
        self._pairs = pairs  # keeps both sides alive: the arrays below and the keys are raw pointers
        self._direct = {term_key(a): b for a, b in pairs}
        n = len(pairs)
        self._n = n
        self._from = (z3.Ast * n)()
        self._to = (z3.Ast * n)()
        for i, (a, b) in enumerate(pairs):
            self._from[i] = a.as_ast()
            self._to[i] = b.as_ast()

    def term(self, x: Any) -> Any:
        """The renamed term (a Python constant stays as it is)."""
        if isinstance(x, _LEAVES):
            return x
        hit = self._direct.get(term_key(x))
        if hit is not None:
            return hit
        if not self._n:
            return x
        return substitute(term_class(x), x, self._n, self._from, self._to)

    def value(self, v: Any) -> Any:
        """A symbolic value (symvals) with every term in it renamed."""
        if isinstance(v, z3.ExprRef):
            return self.term(v)
        if isinstance(v, _LEAVES):
            return v
        if isinstance(v, tuple):
            return tuple(self.value(x) for x in v)
        return type(v)(*(self.value(x) for x in vars(v).values()))


class RenamedEncoder:
    """A term encoder's answers at a later depth: the earlier encoder's, renamed.

    Decoding a renamed step asks its encoder for the values of action arguments; those
    are encoded once, at the depth the step was encoded from scratch.
    """

    def __init__(self, encoder: Any, renamer: Renamer):
        self._encoder = encoder
        self._renamer = renamer

    def value(self, term: Any, *args: Any) -> Any:
        return self._renamer.value(self._encoder.value(term, *args))

    def undefined(self, term: Any) -> Any:
        return self._renamer.term(self._encoder.undefined(term))


class RenamedValues(Mapping[str, Any]):
    """Next values of a renamed step, each renamed when first read (BMC itself reads none)."""

    def __init__(self, values: Mapping[str, Any], renamer: Renamer):
        self._values = values
        self._renamer = renamer
        self._done: Dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._done:
            self._done[name] = self._renamer.value(self._values[name])
        return self._done[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)
