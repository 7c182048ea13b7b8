"""Load a spec file, find its parts, and compile one instance into a Model.

Loading runs the user's module, so every failure here must become a SpecError
naming the spec's file and line rather than a traceback.
"""
from __future__ import annotations

import importlib.util
import inspect
import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from .build import build_action, chain_actions
from .errors import SourceLoc, SpecError, UsageError, WunderspecError
from .ir import Model, Property, Schema
from .lang import terms as T
from .lang.exprs import Expr, coerce
from .lang.sorts import BOOL

# Specs written for wunderspec import `wunderspec` and its submodules; while a
# spec loads, those names resolve to ours so the spec runs unchanged.
_ALIASES = {
    "wunderspec": "wunderspec_smt",
    "wunderspec.machine": "wunderspec_smt.machine",
    "wunderspec.lang": "wunderspec_smt.lang",
    "wunderspec.expr": "wunderspec_smt.expr",
    "wunderspec.flow": "wunderspec_smt.flow",
    "wunderspec.submachine": "wunderspec_smt.submachine",
}


@dataclass
class SpecModule:
    """The parts of a loaded spec module, before an instance is chosen."""

    path: str
    module: Any
    state_cls: type
    actions: Dict[str, Callable] = field(default_factory=dict)
    invariants: Dict[str, Callable] = field(default_factory=dict)
    examples: Dict[str, Callable] = field(default_factory=dict)
    temporals: Dict[str, Callable] = field(default_factory=dict)
    coverages: Dict[str, Callable] = field(default_factory=dict)
    instances: Dict[str, Callable] = field(default_factory=dict)

    @property
    def schema(self) -> Schema:
        return self.state_cls.__wunderspec_schema__


def _loc_of(fn: Callable) -> Optional[SourceLoc]:
    code = getattr(getattr(fn, "_fn", fn), "__code__", None)
    if code is None:
        return None
    return SourceLoc(code.co_filename, code.co_firstlineno)


def _error_loc_in(path: str, tb) -> Optional[SourceLoc]:
    """The deepest traceback frame inside the spec file."""
    loc = None
    for fs in traceback.extract_tb(tb):
        if os.path.abspath(fs.filename) == os.path.abspath(path):
            loc = SourceLoc(fs.filename, fs.lineno or 0)
    return loc


def load_spec(path: str) -> SpecModule:
    if not os.path.exists(path):
        raise UsageError(f"spec file {path!r} does not exist")
    if not path.endswith(".py"):
        raise UsageError(f"spec file {path!r} is not a Python file")
    path = os.path.abspath(path)
    mod_name = "_wunderspec_spec_" + str(abs(hash(path)))
    spec = importlib.util.spec_from_file_location(mod_name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot import {path!r}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    saved = {k: sys.modules.get(k) for k in _ALIASES}
    try:
        import importlib as _il
        for alias, target in _ALIASES.items():
            sys.modules[alias] = _il.import_module(target)
        spec_dir = os.path.dirname(path)
        sys.path.insert(0, spec_dir)
        try:
            spec.loader.exec_module(module)
        finally:
            if sys.path and sys.path[0] == spec_dir:
                sys.path.pop(0)
    except WunderspecError:
        raise
    except SyntaxError as e:
        raise SpecError(f"syntax error: {e.msg}", SourceLoc(e.filename or path, e.lineno or 0)) from None
    except Exception as e:  # the user's module failed to import
        raise SpecError(f"the spec failed to load: {type(e).__name__}: {e}", _error_loc_in(path, e.__traceback__)) \
            from None
    finally:
        for alias, prev in saved.items():
            if prev is None:
                sys.modules.pop(alias, None)
            else:
                sys.modules[alias] = prev
    return _collect(path, module)


def _collect(path: str, module: Any) -> SpecModule:
    states = [v for v in vars(module).values()
              if isinstance(v, type) and getattr(v, "__wunderspec_state__", False) and v.__module__ == module.__name__]
    if not states:
        raise SpecError(f"{path} declares no @state class", SourceLoc(path, 1),
                        hint="decorate a MachineStateBase subclass with @state")
    if len(states) > 1:
        names = ", ".join(s.__name__ for s in states)
        raise SpecError(f"{path} declares several @state classes ({names}); exactly one is allowed", SourceLoc(path, 1))
    sm = SpecModule(path, module, states[0])
    for name, v in vars(module).items():
        if not callable(v):
            continue
        if getattr(v, "_action_name", None) and getattr(getattr(v, "_fn", None), "__module__", None) == module.__name__:
            sm.actions[v._action_name] = v
        elif getattr(v, "__module__", None) != module.__name__:
            continue
        elif getattr(v, "_is_invariant", False):
            sm.invariants[name] = v
        elif getattr(v, "_is_example", False):
            sm.examples[name] = v
        elif getattr(v, "_is_temporal", False):
            sm.temporals[name] = v
        elif getattr(v, "_is_coverage", False):
            _check_coverage(v, sm.state_cls, module)
            sm.coverages[name] = v
        elif getattr(v, "_is_instance", False):
            sm.instances[name] = v
    return sm


def _check_coverage(fn: Callable, state_cls: type, module: Any) -> None:
    """`@coverage def cov(s: S) -> Expr`: one parameter annotated with the state class, returning `Expr`."""
    import typing
    from .lang.exprs import Expr as ExprClass
    loc = _loc_of(fn)
    name = getattr(fn, "__name__", "coverage")
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    if len(params) != 1 or params[0].kind not in (inspect.Parameter.POSITIONAL_ONLY,
                                                  inspect.Parameter.POSITIONAL_OR_KEYWORD):
        raise SpecError(f"@coverage {name!r} must take exactly one parameter, the state "
                        f"(def {name}(s: {state_cls.__name__}) -> Expr)", loc)
    try:
        hints = typing.get_type_hints(fn, globalns=dict(vars(module)))
    except Exception as e:
        raise SpecError(f"cannot resolve the annotations of @coverage {name!r}: {e}", loc) from None
    pname = params[0].name
    if hints.get(pname) is not state_cls:
        raise SpecError(f"the parameter {pname!r} of @coverage {name!r} must be annotated with the state class "
                        f"{state_cls.__name__}", loc, hint=f"def {name}({pname}: {state_cls.__name__}) -> Expr")
    if hints.get("return") is not ExprClass:
        raise SpecError(f"@coverage {name!r} must have the return annotation `Expr`", loc,
                        hint=f"def {name}({pname}: {state_cls.__name__}) -> Expr")


def _pick_action(sm: SpecModule, name: Optional[str], candidates: tuple, is_init: bool) -> Callable:
    """The init or step action: `--init`/`--step NAME` (`--init a,b` chains a and b), else by default name.

    Init: an init action named init/Init, else the only `@action(init=True)`, else an
    action named init/Init, else -- several `@action(init=True)` and none of those
    names -- all of them chained in declaration order as one atomic initialisation.
    """
    what = "init" if is_init else "step"
    if name is not None:
        names = [n.strip() for n in name.split(",")] if is_init and "," in name else [name]
        fns = []
        for n in names:
            fn = sm.actions.get(n)
            if fn is None:
                raise UsageError(f"{sm.path} has no action named {n!r}",
                                 hint="actions: " + ", ".join(sorted(sm.actions)) if sm.actions else "")
            fns.append(fn)
        return fns[0] if len(fns) == 1 else chain_actions(fns)
    inits = [f for f in sm.actions.values() if f._is_init] if is_init else []
    named = [f for f in inits if f._action_name in candidates]
    if named:
        return named[0]
    if len(inits) == 1:
        return inits[0]
    for c in candidates:
        if c in sm.actions:
            return sm.actions[c]
    if len(inits) > 1:
        return chain_actions(inits)
    raise SpecError(f"{sm.path} has no {what} action", SourceLoc(sm.path, 1),
                    hint=f"define @action{'(init=True)' if is_init else ''} def {candidates[0]}(c) or pass --{what} NAME")


def instance_params(sm: SpecModule, instance: Optional[str]) -> tuple:
    """(instance name, {param name: constant Term}) for the chosen instance."""
    schema = sm.schema
    if instance is None:
        if len(sm.instances) == 1:
            instance = next(iter(sm.instances))
        elif not schema.params and not sm.instances:
            return "default", {}
        elif not schema.params and "default" not in sm.instances:
            return "default", {}
        else:
            raise UsageError(f"{sm.path} has parameters; choose an instance with --instance",
                             hint="instances: " + ", ".join(sorted(sm.instances)) if sm.instances else
                             "declare one with @instance")
    factory = sm.instances.get(instance)
    if factory is None:
        raise UsageError(f"{sm.path} has no instance named {instance!r}",
                         hint="instances: " + (", ".join(sorted(sm.instances)) or "none"))
    try:
        proto = factory()
    except WunderspecError:
        raise
    except Exception as e:
        raise SpecError(f"instance {instance!r} failed: {type(e).__name__}: {e}", _loc_of(factory)) from None
    if not isinstance(proto, sm.state_cls):
        raise SpecError(f"instance {instance!r} must return a {sm.state_cls.__name__}(...)", _loc_of(factory))
    values = proto._asdict()
    params = {}
    for pname, psort in schema.params:
        if pname not in values:
            raise SpecError(f"instance {instance!r} does not set parameter {pname!r}", _loc_of(factory))
        t = coerce(values[pname], psort, f"parameter {pname}")
        if t.op != T.CONST:
            raise SpecError(f"parameter {pname!r} of instance {instance!r} is not a constant: {t}", _loc_of(factory))
        params[pname] = t
    return instance, params


class _PropertyView:
    """The `s` an invariant sees: pre-state variables and constant parameters."""

    __wunderspec_state_view__ = True

    def __init__(self, schema: Schema, params: dict):
        object.__setattr__(self, "_schema", schema)
        object.__setattr__(self, "_p", params)

    def __getattr__(self, name: str) -> Any:
        from .lang.exprs import wrap
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._p:
            return wrap(self._p[name])
        decl = self._schema.var(name)
        if decl is None:
            raise SpecError(f"{self._schema.class_name} has no field {name!r}")
        return wrap(T.mk(T.SVAR, (), decl.sort, name))

    def __setattr__(self, name: str, value: Any) -> None:
        raise SpecError("properties cannot assign state variables")


def _property_term(fn: Callable, view: _PropertyView, kind: str, name: str) -> Property:
    try:
        r = fn(view)
    except WunderspecError:
        raise
    except Exception as e:
        raise SpecError(f"{kind} {name!r} failed: {type(e).__name__}: {e}", _loc_of(fn)) from None
    if isinstance(r, bool):
        t = T.const(r, BOOL)
    elif isinstance(r, Expr) and r._t.sort == BOOL:
        t = r._t
    else:
        raise SpecError(f"{kind} {name!r} must return a Bool expression, got {r!r}", _loc_of(fn))
    if t.fv:
        raise SpecError(f"{kind} {name!r} uses a variable bound outside its scope", _loc_of(fn))
    return Property(name, kind, t, _loc_of(fn), inspect.getdoc(fn) or "")


def compile_model(sm: SpecModule, instance: Optional[str] = None, init: Optional[str] = None,
                  step: Optional[str] = None) -> Model:
    inst, params = instance_params(sm, instance)
    init_fn = _pick_action(sm, init, ("init", "Init"), True)
    step_fn = _pick_action(sm, step, ("step", "Next", "next"), False)
    schema = sm.schema
    init_ir = _guarded_build(init_fn, schema, params, True)
    step_ir = _guarded_build(step_fn, schema, params, False)
    view = _PropertyView(schema, params)
    props: Dict[str, Property] = {}
    for name, fn in sm.invariants.items():
        props[name] = _property_term(fn, view, "invariant", name)
    for name, fn in sm.examples.items():
        props[name] = _property_term(fn, view, "example", name)
    return Model(sm.path, inst, schema, {n: t.data for n, t in params.items()}, init_ir, step_ir, props)


def _guarded_build(fn: Callable, schema: Schema, params: dict, is_init: bool):
    try:
        return build_action(fn, schema, params, is_init)
    except WunderspecError:
        raise
    except Exception as e:
        tb_loc = None
        for fs in traceback.extract_tb(e.__traceback__):
            if not os.path.abspath(fs.filename).startswith(os.path.dirname(os.path.abspath(__file__))):
                tb_loc = SourceLoc(fs.filename, fs.lineno or 0)
        raise SpecError(f"action {getattr(fn, '_action_name', fn)!r} failed while building: "
                        f"{type(e).__name__}: {e}", tb_loc or _loc_of(fn)) from None


def property_names(sm: SpecModule) -> List[str]:
    return list(sm.invariants) + list(sm.examples)
