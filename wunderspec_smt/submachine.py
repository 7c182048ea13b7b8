"""Composition: run a sub-spec's actions and invariants on renamed fields of a parent spec.

```python
from lock import Lock, acquire, lock_ok          # a spec module of its own

LockA = SubMachine(holder="holder_a")            # or SubMachine[Lock](holder="holder_a")

@action
def step(c: Context[Parent]):
    acquire(LockA(c), 1)                         # reads and writes c.state.holder_a

@invariant
def a_ok(s: Parent):
    return lock_ok(LockA.view(s))                # s.holder_a, read-only
```

`SubMachine(**{sub_field: parent_field})` maps the sub-spec's field names to the
parent's (TLA+ `INSTANCE ... WITH`); a field that is not listed keeps its name.
`Sub(c)` is a context whose `state` reads and writes the parent's fields under the
sub-spec's names, and whose `assume`, `one_of`, `alternatives`, `split`, `cache` are
`c`'s: the sub-spec's actions become part of the parent's step. `Sub.view(s)` is a
read-only renamed view of a state (for invariants and other properties). With
`SubMachine[SubState](...)`, names are checked against SubState (a mapping or a read
of a field SubState does not declare is an error) and so are the sorts of the
parent's fields.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from .errors import SpecError
from .lang.exprs import Expr


class SubMachine:
    """`SubMachine(**{sub_field: parent_field})`, `SubMachine[SubState](...)`; see the module docstring."""

    def __class_getitem__(cls, state_cls: Any) -> Any:
        if not getattr(state_cls, "__wunderspec_state__", False):
            raise SpecError(f"SubMachine[...] takes a @state class, got {state_cls!r}")

        def make(**mapping: str) -> "SubMachine":
            return cls(state_cls, **mapping)

        make.__name__ = f"SubMachine[{state_cls.__name__}]"
        return make

    def __init__(self, state_cls: Optional[type] = None, /, **mapping: str):
        if state_cls is not None and not getattr(state_cls, "__wunderspec_state__", False):
            raise SpecError(f"SubMachine(...) takes a @state class as its only positional argument, got {state_cls!r}")
        for sub_name, parent in mapping.items():
            if not isinstance(parent, str):
                raise SpecError(f"SubMachine({sub_name}=...) must name a field of the parent state (a str), "
                                f"got {parent!r}")
        self._state_cls = state_cls
        self._mapping: Dict[str, str] = dict(mapping)
        self._sorts: Dict[str, Any] = {}
        if state_cls is not None:
            schema = state_cls.__wunderspec_schema__
            self._sorts = {v.name: v.sort for v in schema.vars}
            self._sorts.update(dict(schema.params))
            unknown = [n for n in mapping if n not in self._sorts]
            if unknown:
                raise SpecError(f"SubMachine[{state_cls.__name__}]: {state_cls.__name__} has no field "
                                + ", ".join(repr(n) for n in unknown),
                                hint="fields: " + ", ".join(self._sorts))

    # --- renaming -----------------------------------------------------------------
    def _parent_name(self, name: str) -> str:
        if self._state_cls is not None and name not in self._sorts:
            raise SpecError(f"{self._state_cls.__name__} has no field {name!r}",
                            hint="fields: " + ", ".join(self._sorts))
        return self._mapping.get(name, name)

    def _read(self, state: Any, name: str) -> Any:
        parent = self._parent_name(name)
        value = getattr(state, parent)
        want = self._sorts.get(name)
        if want is not None and isinstance(value, Expr) and value._t.sort != want:
            raise SpecError(f"sort mismatch: field {name!r} of {self._state_cls.__name__} has sort {want}, "
                            f"but the parent's field {parent!r} it is mapped to has sort {value._t.sort}")
        return value

    # --- the API ------------------------------------------------------------------
    def __call__(self, c: Any) -> Any:
        from .build import BuildContext, SubContext
        if not isinstance(c, (BuildContext, SubContext)):
            raise SpecError(f"{self!r}(c) takes the context of an action, got {type(c).__name__}")
        return SubContext(self, c)

    def view(self, s: Any) -> "SubView":
        """A read-only view of `s` under the sub-spec's field names."""
        return SubView(self, s)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._mapping.items())
        name = f"SubMachine[{self._state_cls.__name__}]" if self._state_cls is not None else "SubMachine"
        return f"{name}({inner})"


class SubView:
    """`Sub.view(s)`: read-only, renamed."""

    __wunderspec_state_view__ = True

    def __init__(self, sub: SubMachine, state: Any):
        object.__setattr__(self, "_sub", sub)
        object.__setattr__(self, "_state", state)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = self._sub._read(self._state, name)
        if isinstance(value, Expr):
            from .lang.exprs import wrap
            value = wrap(value._t)  # read-only: no keyed writes through a view
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise SpecError(f"{self._sub!r}.view(s) is read-only: cannot assign {name!r}",
                        hint="write through Sub(c).state inside an action")
