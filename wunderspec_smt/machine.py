"""The state-machine surface of the DSL: state schemas, actions, properties, instances.

Everything here only *describes* a spec; running an action symbolically is
`build.py`'s job. Decorators mark functions with attributes and return them
unchanged, so specs can call their own helpers and properties directly.
"""
from __future__ import annotations

import functools
import sys
import typing
from typing import Any, Callable, Generic, Optional, TypeVar

from .errors import SpecError
from .ir import Schema, VarDecl
from .lang.sorts import sort_of

S = TypeVar("S")


class _Marker:
    def __init__(self, kind: str, upsert: bool = False):
        self.kind = kind
        self.upsert = upsert

    def __repr__(self) -> str:
        return "UPSERT" if self.upsert else self.kind.upper()


UPSERT = _Marker("var", upsert=True)
VARIABLE = _Marker("var")
PARAMETER = _Marker("param")


class StateVar:
    """`x: StateVar[T]` declares a state variable; `StateVar[dict[K, V], UPSERT]` lets keyed writes insert."""

    def __class_getitem__(cls, item: Any) -> Any:
        if isinstance(item, tuple):
            base, *flags = item
            upsert = any(f is UPSERT for f in flags)
            return typing.Annotated[base, _Marker("var", upsert)]
        return typing.Annotated[item, VARIABLE]


class Param:
    """`N: Param[T]` declares a parameter, fixed by the instance."""

    def __class_getitem__(cls, item: Any) -> Any:
        return typing.Annotated[item, PARAMETER]


class Field:
    """`f: Field[T]` declares a field of a @record class."""

    def __class_getitem__(cls, item: Any) -> Any:
        return typing.Annotated[item, _Marker("field")]


class Variant:
    """`A: Variant[T]` declares a variant of a @union class; `Variant[Unit]` (or `()`, None) has no payload."""

    def __class_getitem__(cls, item: Any) -> Any:
        if item is None or item == ():
            item = type(None)
        return typing.Annotated[item, _Marker("variant")]


class MachineStateBase:
    """Base class of `@state` classes. `S(**kw)` builds a prototype that fixes parameters."""

    __wunderspec_state_view__ = True

    # __wunderspec_schema__ is set by @state

    def __init__(self, **kwargs: Any):
        schema = getattr(type(self), "__wunderspec_schema__", None)
        if schema is None:
            raise SpecError(f"{type(self).__name__} is not decorated with @state")
        known = {n for n, _ in schema.params} | {v.name for v in schema.vars}
        for k in kwargs:
            if k not in known:
                raise SpecError(f"{type(self).__name__} has no field {k!r}",
                                hint="fields: " + ", ".join(sorted(known)))
        object.__setattr__(self, "_values", dict(kwargs))

    @property
    def _params(self) -> tuple:
        return tuple(n for n, _ in type(self).__wunderspec_schema__.params)

    @property
    def _vars(self) -> tuple:
        return tuple(v.name for v in type(self).__wunderspec_schema__.vars)

    def _asdict(self) -> dict:
        return dict(self._values)


MachineState = MachineStateBase


def _field_kind(hint: Any) -> tuple:
    """(kind, pytype, upsert) for a field annotation of a @state class."""
    if typing.get_origin(hint) is typing.Annotated:
        base, *meta = typing.get_args(hint)
        for m in meta:
            if isinstance(m, _Marker):
                return m.kind, base, m.upsert
        # legacy Annotated[Expr, T] / Annotated[Expr, T, PARAMETER]
        from .lang.exprs import Expr
        if base is Expr or (isinstance(base, type) and issubclass(base, Expr)):
            pytype = meta[0] if meta else None
            kind = "param" if any(m is PARAMETER for m in meta[1:]) else "var"
            upsert = any(m is UPSERT for m in meta[1:])
            return kind, pytype, upsert
    return "", None, False


def _hints(cls: type) -> dict:
    module = sys.modules.get(cls.__module__)
    globalns = dict(vars(module)) if module else {}
    try:
        return typing.get_type_hints(cls, globalns=globalns, include_extras=True)
    except NameError as e:
        raise SpecError(f"cannot resolve an annotation of {cls.__name__}: {e}") from None


def state(cls: type) -> type:
    """Declare the state schema of a spec."""
    if not (isinstance(cls, type) and issubclass(cls, MachineStateBase)):
        raise SpecError(f"@state class {getattr(cls, '__name__', cls)} must subclass MachineStateBase")
    vars_, params = [], []
    for name, hint in _hints(cls).items():
        if name.startswith("_"):
            continue
        kind, pytype, upsert = _field_kind(hint)
        if kind == "var":
            vars_.append(VarDecl(name, sort_of(pytype), upsert))
        elif kind == "param":
            params.append((name, sort_of(pytype)))
    cls.__wunderspec_schema__ = Schema(cls.__name__, tuple(vars_), tuple(params))
    cls.__wunderspec_state__ = True
    return cls


def record(cls: type) -> type:
    """Declare a record type: `R(f=...)` builds a record expression, `R` is also a type."""
    from .lang.exprs import _record_of
    from .lang.sorts import make_record_sort
    fields = {}
    for name, hint in _hints(cls).items():
        if typing.get_origin(hint) is typing.Annotated:
            base, *meta = typing.get_args(hint)
            from .lang.exprs import Expr
            if base is Expr or (isinstance(base, type) and issubclass(base, Expr)) or base is typing.Any:
                base = meta[0]
            fields[name] = sort_of(base)
        else:
            fields[name] = sort_of(hint)
    rsort = make_record_sort(fields, cls.__name__)

    class _RecordType:
        __wunderspec_record_sort__ = rsort
        __doc__ = cls.__doc__

        def __new__(klass, **kwargs: Any):
            missing = [f for f in rsort.field_names if f not in kwargs]
            extra = [f for f in kwargs if f not in rsort.field_names]
            if missing or extra:
                parts = []
                if missing:
                    parts.append("missing field(s) " + ", ".join(missing))
                if extra:
                    parts.append("unknown field(s) " + ", ".join(extra))
                raise SpecError(f"{cls.__name__}(...): " + "; ".join(parts))
            return _record_of(kwargs, cls.__name__, rsort)

    _RecordType.__name__ = cls.__name__
    _RecordType.__qualname__ = cls.__qualname__
    _RecordType.__module__ = cls.__module__
    return _RecordType


def _variant_payload(hint: Any) -> Any:
    """The payload sort of a variant annotation, or None for a variant without payload."""
    if hint is None or hint is type(None) or (isinstance(hint, tuple) and hint == ()):
        return None
    if typing.get_origin(hint) is typing.Annotated:
        base, *meta = typing.get_args(hint)
        from .lang.exprs import Expr
        if (base is Expr or (isinstance(base, type) and issubclass(base, Expr)) or base is typing.Any) and meta:
            base = meta[0]
        return _variant_payload(base)
    return sort_of(hint)


def _union_hints(cls: type) -> dict:
    try:
        return _hints(cls)
    except (SpecError, TypeError):
        # `A: ()` under `from __future__ import annotations` is a string typing cannot resolve
        module = sys.modules.get(cls.__module__)
        ns = dict(vars(module)) if module else {}
        out = {}
        for name, hint in cls.__dict__.get("__annotations__", {}).items():
            if isinstance(hint, str):
                try:
                    hint = eval(hint, ns, dict(vars(cls)))  # noqa: S307 - the user's own annotation
                except Exception as e:
                    raise SpecError(f"cannot resolve the annotation of {cls.__name__}.{name}: {e}") from None
            out[name] = hint
        return out


def union(cls: type) -> type:
    """Declare a union (tagged variants): `U.A(payload)`, `U.B()` build values, `U` is also a type."""
    from .lang.exprs import UnionExpr, variant_term
    from .lang.sorts import make_union_sort
    variants = {}
    for name, hint in _union_hints(cls).items():
        if name.startswith("_"):
            continue
        variants[name] = _variant_payload(hint)
    if not variants:
        raise SpecError(f"@union class {cls.__name__} declares no variants", hint="write `A: Variant[int]`")
    usort = make_union_sort(variants, cls.__name__)

    def constructor(tag: str) -> Callable:
        def make(*payload: Any) -> UnionExpr:
            return UnionExpr(variant_term(usort, tag, payload))
        make.__name__ = tag
        make.__qualname__ = f"{cls.__name__}.{tag}"
        return staticmethod(make)

    body = {"__wunderspec_union_sort__": usort, "__doc__": cls.__doc__, "__module__": cls.__module__,
            "__qualname__": cls.__qualname__}
    body.update({tag: constructor(tag) for tag in variants})
    return type(cls.__name__, (), body)


def action(fn: Optional[Callable] = None, *, inline: bool = True, coerce: bool = True, init: bool = False):
    """Declare an action. Actions called from actions are macros of the same step."""

    def deco(f: Callable) -> Callable:
        from .build import run_action

        @functools.wraps(f)
        def wrapper(c: Any, *args: Any, **kwargs: Any) -> Any:
            return run_action(wrapper, c, args, kwargs)

        wrapper._action_name = f.__name__
        wrapper._inline = inline
        wrapper._is_init = init
        wrapper._coerce = coerce
        wrapper._fn = f
        return wrapper

    return deco(fn) if fn is not None else deco


def _property(kind: str):
    def deco(fn: Callable) -> Callable:
        setattr(fn, f"_is_{kind}", True)
        return fn
    return deco


invariant = _property("invariant")
example = _property("example")


def temporal(fn: Callable) -> Callable:
    fn._is_temporal = True
    return fn


def coverage(fn: Callable) -> Callable:
    """`@coverage def cov(s: S) -> Expr`: a state "view" for wunderspec's fuzzer and Apalache.

    Accepted and listed; the signature (one parameter annotated with the state class,
    return annotation `Expr`) is checked when the spec loads. No engine uses it yet.
    """
    if not callable(fn):
        raise SpecError(f"@coverage decorates a function, not {fn!r}")
    fn._is_coverage = True
    return fn


def instance(fn: Callable) -> Callable:
    """A zero-argument factory returning a prototype state that fixes the parameters."""
    fn._is_instance = True
    return fn


class Context(Generic[S]):
    """The type of an action's first argument; see build.BuildContext for behaviour."""


# `wunderspec.machine` exports the whole DSL surface; these live in modules of their own
from .flow import flow, with_flow  # noqa: E402,F401
from .helpers import expr  # noqa: E402,F401
from .submachine import SubMachine  # noqa: E402,F401
