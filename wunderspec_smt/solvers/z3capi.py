"""Z3's C API called directly, for the few calls the encoders and decoders make by the thousand.

Each z3core wrapper checks Z3's error code after its call, and each z3py term object takes and
drops its reference through such a checked wrapper: about 3 us of a 4 us `And`/`Or`/`==` built
the fast way (through z3core, not z3py's coercing `And`). Here the C functions are called
unchecked, a result that says the call failed (a null term) is handed to the checked wrapper's
error check to raise Z3's own error, and terms are wrapped in subclasses of z3py's classes whose
reference counting is unchecked too. Everything else in z3py accepts them as its own.

Where a z3-solver release does not build z3core this way, everything falls back to the checked
wrappers and z3py's own classes: slower, the same terms.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

import z3
from z3 import z3core as C


def unchecked(api: Callable) -> Callable:
    """The C function behind one of z3core's wrappers, without the error-code check the wrapper
    makes after every call. Only for calls whose result says whether they worked. Where z3core is
    not built that way, the checked wrapper itself."""
    try:
        return api.__defaults__[0].f
    except (AttributeError, IndexError, TypeError):
        return api


def _checker(api: Callable) -> Optional[Callable[[Any], None]]:
    try:
        return api.__defaults__[0].Check
    except (AttributeError, IndexError, TypeError):
        return None


_inc_ref = unchecked(C.Z3_inc_ref)
_dec_ref = unchecked(C.Z3_dec_ref)
_raise_error = _checker(C.Z3_mk_eq)     # raises the error a failed call left in its context
_get_sort = unchecked(C.Z3_get_sort)
_bv_size = unchecked(C.Z3_get_bv_sort_size)
FAST = _raise_error is not None and all(
    f is not api for f, api in ((_inc_ref, C.Z3_inc_ref), (_dec_ref, C.Z3_dec_ref), (_get_sort, C.Z3_get_sort),
                                (_bv_size, C.Z3_get_bv_sort_size)))


def _release(self: Any) -> None:
    # z3py's AstRef.__del__ with an unchecked call; at interpreter exit the context (or this
    # module) may already be gone, which z3py's own guards check for the same reason
    ctx, ast = self.ctx, self.ast
    if ast is not None and ctx.ref() is not None and _dec_ref is not None:
        _dec_ref(ctx.ctx, ast)
        self.ast = None


def _fast_class(base: type) -> type:
    return type(base.__name__, (base,), {"__del__": _release, "__module__": __name__,
                                         "__doc__": f"z3.{base.__name__} with unchecked reference counting."})


_FAST_CLASS: Dict[type, type] = {base: _fast_class(base) for base in (z3.BoolRef, z3.BitVecRef, z3.ArithRef)}
_PLAIN_CLASS: Dict[type, type] = {fast: base for base, fast in _FAST_CLASS.items()}


def plain_class(cls: type) -> type:
    """z3py's own class for a term class (these subclasses are an implementation detail)."""
    return _PLAIN_CLASS.get(cls, cls)


def wrap(cls: type, ast: Any, ctx: z3.Context) -> Any:
    """A z3py term of class `cls` (or its unchecked subclass) owning a reference to `ast`, the
    fresh result of an unchecked call: a null one raises the error Z3 recorded."""
    fast = _FAST_CLASS.get(cls) if FAST else None
    if fast is None:
        return cls(ast, ctx)
    if not ast:
        _raise_error(ctx.ref())
        raise z3.Z3Exception("Z3 returned no term")   # pragma: no cover - Z3 records why it failed
    out = fast.__new__(fast)
    out.ast, out.ctx = ast, ctx
    _inc_ref(ctx.ctx, ast)
    return out


def bv_size(x: Any) -> int:
    """The width of a bit-vector term (z3py's `size()` builds and frees a sort object for it)."""
    ref = x.ctx.ref()
    return _bv_size(ref, _get_sort(ref, x.ast))


def _ast_array(xs: Sequence[Any]) -> Any:
    arr = (z3.Ast * len(xs))()
    for i, x in enumerate(xs):
        arr[i] = x.ast
    return arr


# calls that return a term: unchecked only where a null result is turned into Z3's error (`wrap`)
_mk_and, _mk_or, _mk_not, _mk_implies, _mk_eq, _mk_ite, _substitute, _mk_const, _app_arg = (
    unchecked(f) if FAST else f
    for f in (C.Z3_mk_and, C.Z3_mk_or, C.Z3_mk_not, C.Z3_mk_implies, C.Z3_mk_eq, C.Z3_mk_ite, C.Z3_substitute,
              C.Z3_mk_const, C.Z3_get_app_arg))
_bool = functools.partial(wrap, z3.BoolRef)


# calls that cannot fail on a live term: unchecked whenever the C function can be found
_ast_kind, _num_args = unchecked(C.Z3_get_ast_kind), unchecked(C.Z3_get_app_num_args)
_app_decl, _decl_kind = unchecked(C.Z3_get_app_decl), unchecked(C.Z3_get_decl_kind)


def is_symbol(x: Any) -> bool:
    """Whether a term is an uninterpreted constant (z3py's `is_const(x) and x.decl().kind() ==
    Z3_OP_UNINTERPRETED` builds and frees three wrapper objects to say so)."""
    ref, ast = x.ctx.ctx, x.ast
    return (_ast_kind(ref, ast) == z3.Z3_APP_AST and _num_args(ref, ast) == 0
            and _decl_kind(ref, _app_decl(ref, ast)) == z3.Z3_OP_UNINTERPRETED)


def negation(x: Any) -> z3.BoolRef:
    """not x, without a double negation: y for x = Not(y) (z3py's `is_not` builds and frees three
    wrapper objects to tell)."""
    ref, ast = x.ctx.ctx, x.ast
    if _ast_kind(ref, ast) == z3.Z3_APP_AST and _decl_kind(ref, _app_decl(ref, ast)) == z3.Z3_OP_NOT:
        return _bool(_app_arg(ref, ast, 0), x.ctx)
    return mk_not(x)


_SORTS: Dict[Tuple[int, Any], z3.SortRef] = {}   # kept alive: their asts are passed to every new constant


def mk_const(name: str, sort: Any, ctx: Optional[z3.Context] = None) -> Any:
    """A new uninterpreted constant: `sort` is "bool", "int", or a bit-vector width. What z3.Bool,
    z3.Int and z3.BitVec make, without building the sort object again for each one."""
    ctx = z3.get_ctx(ctx)
    key = (id(ctx), sort)
    zs = _SORTS.get(key)
    if zs is None:
        zs = _SORTS[key] = (z3.BoolSort(ctx) if sort == "bool" else z3.IntSort(ctx) if sort == "int"
                            else z3.BitVecSort(sort, ctx))
    cls = z3.BoolRef if sort == "bool" else z3.ArithRef if sort == "int" else z3.BitVecRef
    return wrap(cls, _mk_const(ctx.ctx, C.Z3_mk_string_symbol(ctx.ctx, name), zs.ast), ctx)


def mk_and(xs: Sequence[Any]) -> z3.BoolRef:
    ctx = xs[0].ctx
    return _bool(_mk_and(ctx.ctx, len(xs), _ast_array(xs)), ctx)


def mk_or(xs: Sequence[Any]) -> z3.BoolRef:
    ctx = xs[0].ctx
    return _bool(_mk_or(ctx.ctx, len(xs), _ast_array(xs)), ctx)


def mk_not(x: Any) -> z3.BoolRef:
    ctx = x.ctx
    return _bool(_mk_not(ctx.ctx, x.ast), ctx)


def mk_implies(a: Any, b: Any) -> z3.BoolRef:
    ctx = a.ctx
    return _bool(_mk_implies(ctx.ctx, a.ast, b.ast), ctx)


def mk_eq(a: Any, b: Any) -> z3.BoolRef:
    ctx = a.ctx
    return _bool(_mk_eq(ctx.ctx, a.ast, b.ast), ctx)


def mk_ite(cls: type, c: Any, a: Any, b: Any) -> Any:
    """If c then a else b, a term of class `cls` (a's and b's)."""
    ctx = c.ctx
    return wrap(cls, _mk_ite(ctx.ctx, c.ast, a.ast, b.ast), ctx)


def substitute(cls: type, x: Any, n: int, old: Any, new: Any) -> Any:
    """x with the n terms of the ast array `old` replaced by those of `new`, a term of class `cls`."""
    ctx = x.ctx
    return wrap(cls, _substitute(ctx.ctx, x.ast, n, old, new), ctx)

