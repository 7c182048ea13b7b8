"""A Z3 model's values of many terms, read through the C API.

Decoding a trace asks the model for every slot of every state, every selector and every
pick: hundreds of small evaluations once a trace is found. Through z3's Python layer each
one builds and frees a wrapper object for the result (about 25-35 us); reading the value
straight off the C API takes a third of that, and a term asked twice (a slot shared by two
states) is answered from a cache. On the 31-move Hanoi witness this is most of the Python
time of the depth where the witness is found.
"""
from __future__ import annotations

import ctypes
from typing import Any, Dict, Optional

import z3
from z3 import z3core as C
from z3.z3types import Ast

from ..errors import InternalError


class ModelValues:
    """Values of Z3 terms in one model, with model completion (a symbol the model leaves
    free gets its sort's default, as the decoder has always assumed)."""

    def __init__(self, model: Optional[z3.ModelRef]):
        self.model = model
        self._bools: Dict[int, bool] = {}
        self._ints: Dict[int, int] = {}
        self._codes: Dict[int, int] = {}

    def boolean(self, t: Any) -> bool:
        if isinstance(t, bool):
            return t
        key = t.ast.value
        v = self._bools.get(key)
        if v is None:
            ctx = t.ctx.ref()
            r = self._eval(ctx, t)
            v = self._bools[key] = C.Z3_get_bool_value(ctx, r) == 1   # Z3_L_TRUE
        return v

    def integer(self, t: Any) -> int:
        """An integer term's value; a bit-vector is read as signed (how integers are encoded)."""
        if isinstance(t, int):
            return t
        key = t.ast.value
        v = self._ints.get(key)
        if v is None:
            v = self._numeral(t)
            if isinstance(t, z3.BitVecRef):
                width = C.Z3_get_bv_sort_size(t.ctx.ref(), C.Z3_get_sort(t.ctx.ref(), t.as_ast()))
                if v >= 1 << (width - 1):
                    v -= 1 << width
            self._ints[key] = v
        return v

    def code(self, t: Any) -> int:
        """An unsigned code's value: an enum member's or a string's index, a variant's tag, a selector."""
        if isinstance(t, int):
            return t
        key = t.ast.value
        v = self._codes.get(key)
        if v is None:
            v = self._codes[key] = self._numeral(t)
        return v

    def _numeral(self, t: Any) -> int:
        ctx = t.ctx.ref()
        # no reference count is taken on the result: Z3 keeps an API call's last result alive until
        # another call returns a term, and reading a numeral returns none (z3's own wrappers rely on
        # the same when they take their reference in the next call)
        return int(C.Z3_get_numeral_string(ctx, self._eval(ctx, t)))

    def _eval(self, ctx: Any, t: Any) -> Ast:
        if self.model is None:
            raise InternalError(f"no model to read {t} from")
        r = Ast(0)
        if not C.Z3_model_eval(ctx, self.model.model, t.as_ast(), True, ctypes.byref(r)):
            raise InternalError(f"the model gives no value to {t}")
        return r


def model_values(model: Any) -> ModelValues:
    """`model` as ModelValues (a decoder may be handed either, and a shared one keeps its cache)."""
    return model if isinstance(model, ModelValues) else ModelValues(model)
