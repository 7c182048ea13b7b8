"""Build the action IR by running an action once with a symbolic context.

The spec's Python code runs exactly once per instance. Reads of `c.state` return
pre-state terms with the path's earlier writes substituted in; `with alt:`
blocks snapshot and restore the writes so branches stay independent; everything
the action does is recorded as a tree of blocks (see ir.py).
"""
from __future__ import annotations

import dis
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from .errors import SourceLoc, SpecError, user_loc
from .ir import ActionIR, ActionMark, Assume, Block, Choice, Pick, Schema, iter_terms
from .lang import terms as T
from .lang.edit import Path, apply_path, path_expr
from .lang.exprs import BoolExpr, Expr, coerce, wrap
from .lang.sorts import BOOL, SetSort
from .lang.terms import Term
from .machine import Context


@dataclass
class _Frame:
    items: list = field(default_factory=list)
    writes: Dict[str, Term] = field(default_factory=dict)
    kinds: Dict[str, str] = field(default_factory=dict)       # var -> "whole" | "keyed"
    locs: Dict[str, Optional[SourceLoc]] = field(default_factory=dict)
    branch_assigned: Dict[str, SourceLoc] = field(default_factory=dict)
    open_choice: Optional["_ChoiceBuilder"] = None


class _ChoiceBuilder:
    def __init__(self, ctx: "BuildContext", labels: tuple, guards: tuple, loc: Optional[SourceLoc]):
        self.ctx = ctx
        self.labels = labels
        self.guards = guards
        self.loc = loc
        self.branches: List[Block] = []
        self.pending: Dict[str, SourceLoc] = {}
        self.frame_depth = len(ctx.frames)
        self.alternatives = [Alternative(self, i) for i in range(len(labels))]

    @property
    def done(self) -> bool:
        return len(self.branches) == len(self.labels)


class Alternative:
    """One branch of `c.alternatives(...)`/`c.split(p)`; enter each exactly once, in order."""

    def __init__(self, choice: _ChoiceBuilder, index: int):
        self._choice = choice
        self._index = index
        self.name = choice.labels[index]

    def __enter__(self) -> "Alternative":
        ch, ctx = self._choice, self._choice.ctx
        if len(ch.branches) != self._index:
            expected = ch.labels[len(ch.branches)] if not ch.done else None
            raise SpecError(f"alternative {self.name!r} entered out of order",
                            hint=f"enter {expected!r} next" if expected else "each alternative is entered once")
        if len(ctx.frames) != ch.frame_depth:
            raise SpecError(f"alternative {self.name!r} entered inside another block")
        ctx.frames.append(_Frame())
        guard = ch.guards[self._index]
        if guard is not None:
            ctx._assume_term(guard, ch.loc)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        ch, ctx = self._choice, self._choice.ctx
        if exc_type is not None:
            return False
        frame = ctx.frames.pop()
        if frame.open_choice is not None and not frame.open_choice.done:
            _unfinished(frame.open_choice)
        ch.branches.append(ctx._freeze(frame))
        for v, loc in list(frame.locs.items()) + list(frame.branch_assigned.items()):
            ch.pending.setdefault(v, loc)
        if ch.done:
            parent = ctx.frames[-1]
            parent.items.append(Choice(ch.labels, tuple(ch.branches), ch.loc))
            parent.branch_assigned.update(ch.pending)
            parent.open_choice = None
        return False


def _unfinished(ch: _ChoiceBuilder) -> None:
    missing = ", ".join(repr(lbl) for lbl in ch.labels[len(ch.branches):])
    raise SpecError(f"alternatives {missing} were never entered", ch.loc,
                    hint="every alternative returned by c.alternatives/c.split must be entered with `with`")


class _OneOf:
    def __init__(self, ctx: "BuildContext", domain: Term, name: Optional[str], loc: Optional[SourceLoc]):
        self.ctx, self.domain, self.name, self.loc = ctx, domain, name, loc

    def __enter__(self) -> Expr:
        name = self.name or _with_target_name() or f"_pick{next(_pick_names)}"
        pick = T.fresh_pick(name, self.domain.sort.elem)
        self.ctx.frames[-1].items.append(Pick(pick, self.domain, name, self.loc))
        return wrap(pick)

    def __exit__(self, exc_type, exc, tb) -> bool:
        return False


_pick_names = itertools.count(1)


def _with_target_name() -> Optional[str]:
    """The `v` in `with c.one_of(S) as v:`, read from the caller's bytecode (for trace labels)."""
    import sys
    frame = sys._getframe(2)
    code = frame.f_code
    try:
        instrs = _instructions(code)
    except Exception:  # pragma: no cover - bytecode layout we do not know
        return None
    idx = instrs[0].get(frame.f_lasti)
    if idx is None:
        return None
    for ins in instrs[1][idx + 1: idx + 4]:
        if ins.opname in ("STORE_FAST", "STORE_NAME", "STORE_DEREF", "STORE_GLOBAL"):
            return ins.argval
        if ins.opname not in ("CACHE", "NOP", "EXTENDED_ARG"):
            break
    return None


_instr_cache: dict = {}


def _instructions(code) -> tuple:
    hit = _instr_cache.get(code)
    if hit is None:
        ins = list(dis.get_instructions(code))
        hit = ({i.offset: n for n, i in enumerate(ins)}, ins)
        _instr_cache[code] = hit
    return hit


class _StateProxy:
    """`c.state`: reads give pre-state terms with earlier writes applied; writes are recorded."""

    __wunderspec_state_view__ = True

    def __init__(self, ctx: "BuildContext"):
        object.__setattr__(self, "_ctx", ctx)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._ctx._read(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._ctx._write(name, value, keyed=False)

    def editing(self, name_prefix: str = "_tmp", deferred: bool = True) -> "_Editing":
        """`with c.state.editing() as upd:` -- writes through `upd` apply when the block ends."""
        return self._editing_via(lambda n: n, deferred)

    def _editing_via(self, rename: Callable[[str], str], deferred: bool) -> "_Editing":
        return _Editing(self._ctx, rename, deferred, user_loc(3))


class _Editing:
    """`with c.state.editing(name_prefix="_tmp", deferred=True) as upd:` (DSL.md section 4).

    With `deferred=True`, writes through `upd` (whole `upd.x = e` and keyed
    `upd.m[k].f = e` alike) are buffered and applied in program order when the block
    ends without an exception; reads inside the block, through `upd` or `c.state`,
    see the state from before the block. With `deferred=False`, `upd` is `c.state`.
    `name_prefix` names temporaries in wunderspec's TLA+ output; it has no effect here.
    """

    def __init__(self, ctx: "BuildContext", rename: Callable[[str], str], deferred: bool,
                 loc: Optional[SourceLoc]):
        self.ctx, self.rename, self.deferred, self.loc = ctx, rename, deferred, loc
        self.buffer: list = []
        self.depth = -1
        self.open = False

    def __enter__(self) -> "_EditProxy":
        if self.depth >= 0:
            raise SpecError("an editing() block cannot be entered twice", self.loc)
        self.depth = len(self.ctx.frames)
        self.open = True
        return _EditProxy(self)

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.open = False
        if exc_type is not None:
            return False
        for name, path, value, loc in self.buffer:
            if path:
                self.ctx._write_path(name, path, value, loc)
            else:
                self.ctx._write(name, value, keyed=False, loc=loc)
        self.buffer.clear()
        return False

    def write(self, name: str, path: Path, value: Any, loc: Optional[SourceLoc]) -> None:
        if not self.open:
            raise SpecError("a write through the handle of an editing() block after the block ended", loc,
                            hint="write through c.state instead")
        if not self.deferred:
            if path:
                self.ctx._write_path(name, path, value, loc)
            else:
                self.ctx._write(name, value, keyed=False, loc=loc)
            return
        if len(self.ctx.frames) != self.depth:
            raise SpecError("a write through the handle of an editing() block inside an alternative opened in the "
                            "block", loc, hint="open the editing() block inside the alternative")
        if not path:
            value = self.ctx._coerce_whole(name, value, loc)
        self.buffer.append((name, path, value, loc))


class _EditProxy:
    """The `upd` of `with c.state.editing() as upd:`."""

    __wunderspec_state_view__ = True

    def __init__(self, editing: _Editing):
        object.__setattr__(self, "_e", editing)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        ed = self._e
        base = ed.rename(name)
        return ed.ctx._read(base, sink=lambda path, v, loc: ed.write(base, path, v, loc))

    def __setattr__(self, name: str, value: Any) -> None:
        ed = self._e
        ed.write(ed.rename(name), (), value, user_loc(2))


class BuildContext(Context):
    """The context an action runs under while its IR is built."""

    def __init__(self, schema: Schema, params: dict, action_name: str, is_init: bool):
        self.schema = schema
        self.params = params  # name -> Term (constant)
        self.action_name = action_name
        self.is_init = is_init
        self.frames: List[_Frame] = [_Frame()]
        self.state = _StateProxy(self)

    # --- state access ------------------------------------------------------------
    def _current(self, name: str) -> Optional[Term]:
        for fr in reversed(self.frames):
            t = fr.writes.get(name)
            if t is not None:
                return t
        return None

    def _value(self, name: str) -> Term:
        """The current value of variable `name` on this path (pre-state with earlier writes applied)."""
        decl = self.schema.var(name)
        if decl is None:
            raise SpecError(f"{self.schema.class_name} has no field {name!r}",
                            hint="fields: " + ", ".join([v.name for v in self.schema.vars] + list(self.params)))
        t = self._current(name)
        if t is None:
            if self.is_init:
                raise SpecError(f"init action {self.action_name!r} reads {name!r} before assigning it")
            t = T.mk(T.SVAR, (), decl.sort, name)
        return t

    def _read(self, name: str, sink: Optional[Callable] = None) -> Expr:
        """`c.state.name`: its current value; keyed writes through it go to `sink` (default: the state)."""
        if name in self.params:
            return wrap(self.params[name])
        t = self._value(name)
        if sink is None:
            def sink(path: Path, v: Term, loc: Optional[SourceLoc]) -> None:
                self._write_path(name, path, v, loc)
        return path_expr(t, sink)

    def _write_path(self, name: str, path: Path, value: Term, loc: Optional[SourceLoc]) -> None:
        """A keyed write `c.state.name<path> = value`, on top of the variable's current value."""
        decl = self.schema.var(name)
        if decl is None:  # pragma: no cover - paths start at variables that were read
            raise SpecError(f"{self.schema.class_name} has no field {name!r}", loc)
        new = apply_path(self._value(name), path, value, decl.upsert)
        self._write(name, new, keyed=True, loc=loc)

    def _coerce_whole(self, name: str, value: Any, loc: Optional[SourceLoc]) -> Term:
        if name in self.params:
            raise SpecError(f"{name!r} is a parameter and cannot be assigned", loc)
        decl = self.schema.var(name)
        if decl is None:
            raise SpecError(f"{self.schema.class_name} has no field {name!r}", loc)
        return coerce(value, decl.sort, f"value assigned to {name}")

    def _write(self, name: str, value: Any, keyed: bool, loc: Optional[SourceLoc] = None) -> None:
        if loc is None:
            loc = user_loc(3)
        t = self._coerce_whole(name, value, loc)
        if t.fv:
            raise SpecError(f"the value assigned to {name!r} uses a variable bound by a Python loop or comprehension "
                            "outside its scope", loc, hint="use Set(... for x in S) or S.map(...)")
        top = self.frames[-1]
        for depth, fr in enumerate(self.frames):
            # a frame's open (unfinished) choice only counts as "before" this write in the
            # frame being written; in enclosing frames it is the choice whose branch we are in,
            # and writes of sibling branches are independent of ours
            sibling_pending = fr.open_choice.pending if fr is top and fr.open_choice is not None else {}
            if name in fr.branch_assigned or name in sibling_pending:
                where = fr.branch_assigned.get(name) or sibling_pending.get(name)
                raise SpecError(f"{name!r} is assigned after an alternatives/split block that assigned it "
                                f"(at {where})", loc, hint="assign it inside every branch instead")
            kind = fr.kinds.get(name)
            if kind is not None and not keyed:
                what = "assigned" if kind == "whole" else "written by key"
                raise SpecError(f"{name!r} is assigned twice on the same path (first {what} at {fr.locs.get(name)})",
                                loc, hint="a state variable may be assigned at most once per step")
        top = self.frames[-1]
        top.writes[name] = t
        if top.kinds.get(name) != "whole":
            top.kinds[name] = "keyed" if keyed else "whole"
        top.locs.setdefault(name, loc)

    # --- the Context API -----------------------------------------------------------
    def assume(self, p: Any) -> None:
        t = coerce(p, BOOL, "argument of assume")
        self._assume_term(t, user_loc(2))

    def _assume_term(self, t: Term, loc: Optional[SourceLoc]) -> None:
        if t.fv:
            raise SpecError("assume uses a variable bound outside its scope", loc)
        if t.op == T.CONST and t.data is True:
            return
        self.frames[-1].items.append(Assume(t, loc))

    def one_of(self, s: Any, name: Optional[str] = None) -> _OneOf:
        loc = user_loc(2)
        t = coerce(s, None, "argument of one_of")
        if not isinstance(t.sort, SetSort):
            raise SpecError(f"one_of needs a set, got a {t.sort}", loc)
        if t.fv:
            raise SpecError("one_of ranges over a variable bound outside its scope", loc)
        if name is not None and (name in self.params or self.schema.var(name) is not None):
            raise SpecError(f"one_of name {name!r} clashes with a state field", loc)
        return _OneOf(self, t, name, loc)

    def alternatives(self, *labels: str) -> list:
        if len(labels) == 1 and not isinstance(labels[0], str):
            labels = tuple(labels[0])
        if not labels:
            raise SpecError("alternatives() needs at least one label")
        return self._choice(tuple(str(x) for x in labels), (None,) * len(labels), user_loc(2)).alternatives

    def split(self, p: Any) -> tuple:
        t = coerce(p, BOOL, "argument of split")
        neg = coerce(~BoolExpr(t), BOOL)
        return tuple(self._choice(("then", "else"), (t, neg), user_loc(2)).alternatives)

    def _choice(self, labels: tuple, guards: tuple, loc: Optional[SourceLoc]) -> _ChoiceBuilder:
        top = self.frames[-1]
        if top.open_choice is not None and not top.open_choice.done:
            _unfinished(top.open_choice)
        ch = _ChoiceBuilder(self, labels, guards, loc)
        top.open_choice = ch
        return ch

    def cache(self, e: Any, name: Optional[str] = None) -> Expr:
        t = coerce(e, None, "argument of cache")
        return wrap(t)

    # --- freezing -------------------------------------------------------------------
    def _freeze(self, fr: _Frame) -> Block:
        return Block(tuple(fr.items), tuple(fr.writes.items()), tuple(fr.locs.items()))

    def finish(self) -> Block:
        if len(self.frames) != 1:
            raise SpecError("an alternative block was left open")  # pragma: no cover
        top = self.frames[0]
        if top.open_choice is not None and not top.open_choice.done:
            _unfinished(top.open_choice)
        return self._freeze(top)


def run_action(wrapper: Callable, c: Any, args: tuple, kwargs: dict) -> Any:
    """What calling an @action does: record its identity (inline=False) and run its body."""
    fn = wrapper._fn
    if not isinstance(c, (BuildContext, SubContext)):
        raise SpecError(f"action {wrapper._action_name!r} must be called with the context as first argument")
    if wrapper._coerce:
        args = tuple(a if isinstance(a, Expr) else wrap(coerce(a, None, f"argument of {wrapper._action_name}"))
                     for a in args)
        kwargs = {k: (v if isinstance(v, Expr) else wrap(coerce(v, None, f"argument {k}"))) for k, v in kwargs.items()}
    if not wrapper._inline:
        import inspect
        params = [p for p in inspect.signature(fn).parameters][1:]
        names = tuple(params[: len(args)]) + tuple(kwargs)
        terms = tuple(a._t for a in args) + tuple(v._t for v in kwargs.values())
        c.frames[-1].items.append(ActionMark(wrapper._action_name, names, terms))
    return fn(c, *args, **kwargs)


class SubContext(Context):
    """`Sub(c)` for `Sub = SubMachine(...)`: the context `c` seen by a sub-spec's actions.

    `state` reads and writes the parent's fields under the sub-spec's names;
    everything else (`assume`, `one_of`, `alternatives`, `split`, `cache`, ...) is `c`'s.
    """

    def __init__(self, sub: Any, base: Any):
        self._sub = sub
        self._base = base
        self.state = SubStateProxy(sub, base.state, base)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._base, name)


class SubStateProxy:
    """`Sub(c).state`: the parent's state under the sub-spec's field names."""

    __wunderspec_state_view__ = True

    def __init__(self, sub: Any, base_state: Any, ctx: Any):
        object.__setattr__(self, "_sub", sub)
        object.__setattr__(self, "_base_state", base_state)
        object.__setattr__(self, "_ctx", ctx)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._sub._read(self._base_state, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._base_state, self._sub._parent_name(name), value)

    def editing(self, name_prefix: str = "_tmp", deferred: bool = True) -> _Editing:
        return self._editing_via(lambda n: n, deferred)

    def _editing_via(self, rename: Callable[[str], str], deferred: bool) -> _Editing:
        sub = self._sub
        return self._base_state._editing_via(lambda n: sub._parent_name(rename(n)), deferred)


def chain_actions(fns: List[Callable]) -> Callable:
    """One action that runs `fns` in order under one context: one atomic step (several init actions)."""

    def chained(c: Any) -> None:
        for f in fns:
            f(c)

    chained._action_name = "+".join(f._action_name for f in fns)  # type: ignore[attr-defined]
    chained._fn = getattr(fns[0], "_fn", fns[0])  # type: ignore[attr-defined]  # for error locations
    chained._chained = tuple(fns)  # type: ignore[attr-defined]
    return chained


def build_action(fn: Callable, schema: Schema, params: dict, is_init: bool) -> ActionIR:
    """Run `fn` symbolically once and return its IR."""
    name = getattr(fn, "_action_name", getattr(fn, "__name__", "action"))
    ctx = BuildContext(schema, params, name, is_init)
    fn(ctx)
    root = ctx.finish()
    for t in iter_terms(root):
        if t.fv:
            raise SpecError(f"action {name!r} uses a variable bound by a comprehension outside its scope: `{t}`",
                            hint="a Python for loop over a symbolic set is not allowed; use Forall/Set(...)")
    if is_init:
        missing = [v.name for v in schema.vars if v.name not in assigned_on_every_path(root)]
        if missing:
            raise SpecError(f"init action {name!r} does not assign {', '.join(missing)} on every path",
                            getattr(getattr(fn, "_fn", fn), "__code__", None) and
                            SourceLoc(fn._fn.__code__.co_filename, fn._fn.__code__.co_firstlineno))
    return ActionIR(name, root, is_init)


def assigned_on_every_path(block: Block) -> set:
    out = set(n for n, _ in block.writes)
    for it in block.items:
        if isinstance(it, Choice) and it.branches:
            common = set.intersection(*(assigned_on_every_path(b) for b in it.branches))
            out |= common
    return out
