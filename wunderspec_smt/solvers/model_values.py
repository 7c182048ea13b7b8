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
from typing import Any, Callable, Dict, Optional

import z3
from z3 import z3core as C
from z3.z3types import Ast

from ..errors import InternalError
from .z3capi import bv_size, unchecked


class ModelValues:
    """Values of Z3 terms in one model, with model completion (a symbol the model leaves
    free gets its sort's default, as the decoder has always assumed)."""

    def __init__(self, model: Optional[z3.ModelRef]):
        self.model = model
        self._bools: Dict[int, bool] = {}
        self._ints: Dict[int, int] = {}
        self._codes: Dict[int, int] = {}
        # out-parameters of the C calls, made once: a read is a few ctypes calls, and making these
        # was a fifth of one
        self._value, self._small = Ast(0), ctypes.c_ulonglong()
        self._value_out, self._small_out = ctypes.byref(self._value), ctypes.byref(self._small)

    def boolean(self, t: Any) -> bool:
        return t if isinstance(t, bool) else self._cached(self._bools, t, self._read_bool)

    def integer(self, t: Any) -> int:
        """An integer term's value; a bit-vector is read as signed (how integers are encoded)."""
        return t if isinstance(t, int) else self._cached(self._ints, t, self._read_int)

    def code(self, t: Any) -> int:
        """An unsigned code's value: an enum member's or a string's index, a variant's tag, a selector."""
        return t if isinstance(t, int) else self._cached(self._codes, t, self._numeral)

    @staticmethod
    def _cached(cache: Dict[int, Any], t: Any, read: Callable[[Any], Any]) -> Any:
        key = t.ast.value   # the term's address: equal terms are one term in Z3
        v = cache.get(key)
        if v is None:
            v = cache[key] = read(t)
        return v

    def _read_bool(self, t: Any) -> bool:
        ctx = t.ctx.ref()
        return C.Z3_get_bool_value(ctx, self._eval(ctx, t)) == 1   # Z3_L_TRUE

    def _read_int(self, t: Any) -> int:
        v = self._numeral(t)
        if isinstance(t, z3.BitVecRef):
            width = bv_size(t)
            if v >= 1 << (width - 1):
                v -= 1 << width
        return v

    def _numeral(self, t: Any) -> int:
        ctx = t.ctx.ref()
        r = self._eval(ctx, t)
        if _numeral_uint64(ctx, r, self._small_out):
            return self._small.value
        # a negative or wider number. No reference count is taken on the result: Z3 keeps an API
        # call's last result alive until another call returns a term, and reading a numeral
        # returns none (z3's own wrappers rely on the same when they take their reference in the
        # next call)
        return int(C.Z3_get_numeral_string(ctx, r))

    def _eval(self, ctx: Any, t: Any) -> Ast:
        if self.model is None:
            raise InternalError(f"no model to read {t} from")
        if not _model_eval(ctx, self.model.model, t.ast, True, self._value_out):
            C.Z3_model_eval(ctx, self.model.model, t.ast, True, self._value_out)  # raises Z3's own error
            raise InternalError(f"the model gives no value to {t}")
        return self._value


_model_eval = unchecked(C.Z3_model_eval)
_numeral_uint64 = unchecked(C.Z3_get_numeral_uint64)   # false, with no error, for a negative or wide number


def model_values(model: Any) -> ModelValues:
    """`model` as ModelValues (a decoder may be handed either, and a shared one keeps its cache)."""
    return model if isinstance(model, ModelValues) else ModelValues(model)
