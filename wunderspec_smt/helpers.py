"""`@expr`: helper functions that build expressions (DSL.md section 16).

```python
@expr
def free_slots(s: S, node: int) -> IntExpr:
    return s.capacity[node] - s.used[node]

@expr(pure=True)
def clamp(x: int, lo: int, hi: int) -> IntExpr:
    return Max(lo, Min(x, hi))
```

Semantics: calling a decorated helper is exactly calling the undecorated function
(plain inlining: the body runs once per call site, on the caller's expressions).

* `coerce=True` (default): raw Python arguments (bool, int, str, Enum members and
  tuples/sets/dicts/lists of them) are lifted to expressions before the body runs,
  and so is a raw return value. Other objects (functions, types, None) pass
  unchanged. `coerce=False`: every argument must already be an `Expr` (or a state),
  and so must the return value (or None).
* `pure=True`: state arguments (`c.state`, an invariant's `s`, a `Sub.view(s)`, an
  action's context) are refused; the helper may only see expressions.
* `cache_args=True` (default) asks wunderspec to LET-bind each argument to a fresh
  name so large arguments are not duplicated in its TLA+ output. It never changes
  the meaning: here terms are shared (hash-consed) DAGs, so an argument used many
  times is encoded once whether it is bound or not, and arguments are inlined.
* `inline=False` makes wunderspec emit a named TLA+ operator; no effect here.
"""
from __future__ import annotations

import enum
import functools
from typing import Any, Callable, Optional

from .errors import SpecError
from .lang.exprs import Expr, coerce as _coerce_term, wrap
from .lang.values import ListValue, MapValue, RecordValue, VariantValue

_LITERALS = (bool, int, str, enum.Enum, tuple, list, set, frozenset, dict, ListValue, MapValue, RecordValue,
             VariantValue)


def is_state_argument(x: Any) -> bool:
    """A state (or a view of one) or an action context: what `@expr(pure=True)` refuses."""
    if getattr(type(x), "__wunderspec_state_view__", False):
        return True
    from .machine import Context, MachineStateBase
    return isinstance(x, (Context, MachineStateBase))


def _lift(x: Any, what: str) -> Any:
    if isinstance(x, _LITERALS):
        return wrap(_coerce_term(x, None, what))
    return x


def expr(fn: Optional[Callable] = None, *, cache_args: bool = True, coerce: bool = True, pure: bool = False,
         inline: bool = True):
    """`@expr` / `@expr(cache_args=True, coerce=True, pure=False, inline=True)`; see the module docstring."""

    def deco(f: Callable) -> Callable:
        if not callable(f):
            raise SpecError(f"@expr decorates a function, not {f!r}")
        name = getattr(f, "__name__", "helper")

        def arg(x: Any, what: str) -> Any:
            if is_state_argument(x):
                if pure:
                    raise SpecError(f"@expr(pure=True) helper {name!r} got a state as {what}",
                                    hint="pass the expressions it needs instead, or drop pure=True")
                return x
            if isinstance(x, Expr):
                return x
            if not coerce:
                raise SpecError(f"@expr(coerce=False) helper {name!r} got a Python {type(x).__name__} as {what}; "
                                "it takes expressions only", hint="wrap the value with Val(...)")
            return _lift(x, f"{what} of {name}")

        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            args = tuple(arg(a, f"argument {i + 1}") for i, a in enumerate(args))
            kwargs = {k: arg(v, f"argument {k!r}") for k, v in kwargs.items()}
            r = f(*args, **kwargs)
            if r is None or isinstance(r, Expr):
                return r
            if not coerce:
                raise SpecError(f"@expr(coerce=False) helper {name!r} returned a Python {type(r).__name__}, "
                                "not an expression")
            return _lift(r, f"result of {name}")

        wrapper._expr_options = {"cache_args": cache_args, "coerce": coerce, "pure": pure,  # type: ignore
                                 "inline": inline}
        return wrapper

    return deco(fn) if fn is not None else deco
