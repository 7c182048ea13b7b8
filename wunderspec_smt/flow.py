"""`@with_flow` and `flow`: build nested `Ite` expressions with if/elif/else and early returns.

```python
@with_flow
def grade(score: IntExpr) -> Expr:
    with flow.if_(score >= 90):
        flow.return_("A")
    with flow.if_(score >= 50):          # follows an if block directly: an elif
        with flow.if_(score == 50):
            flow.return_("C")            # a nested statement of its own
        flow.return_("B")
    with flow.else_():
        flow.return_("F")
    return flow.end()
```

is `Ite(score >= 90, "A", Ite(score >= 50, Ite(score == 50, "C", "B"), "F"))`.

The rules (DSL.md section 16 and our reading of it):

* `with flow.if_(c):` blocks that follow each other with no other flow statement in
  between (at the same nesting level) form **one** if/elif/.../else statement: a
  block is only considered when every earlier block of the chain was not taken.
  `with flow.else_():` ends the chain (taken when no block of it was);
  `with flow.elif_(c):` is an explicit continuation (an error when there is no chain).
  A `flow.return_` (or an `else_`) ends a chain, so the next `if_` starts a new one.
* `flow.return_(e)` ends the function's value on that path: the result is the first
  `return_` reached. Code after a statement that always returns is an error
  (unreachable), and so is a path that reaches `flow.end()` without a `return_`
  (unless its condition is a constant False): write an `else_` or a final `return_`.
* Inside a block, a chain of ifs whose taken block does not return falls through
  to the statements after the chain (as in Python).
* The returned values must have one sort; Python values are lifted to the sort of
  the first returned expression. Conditions must be Bool.
* `return flow.end()` finishes the function and gives the expression; a
  `@with_flow` function must call it exactly once, at the top level, after its
  blocks are closed. Flow functions may call each other: each call has its own flow.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, List, Optional

from .errors import SourceLoc, SpecError, user_loc
from .lang import terms as T
from .lang.exprs import Expr, coerce, ite_term, wrap
from .lang.sorts import BOOL
from .lang.terms import Term


class _Return:
    def __init__(self, value: Any, loc: Optional[SourceLoc]):
        self.value = value
        self.loc = loc


class _Chain:
    def __init__(self, loc: Optional[SourceLoc]):
        self.arms: List[tuple] = []          # (condition term, body statements)
        self.else_body: Optional[list] = None
        self.loc = loc

    @property
    def closed(self) -> bool:
        return self.else_body is not None


def _always_returns(stmts: list) -> bool:
    for st in stmts:
        if isinstance(st, _Return):
            return True
        if st.closed and all(_always_returns(b) for _, b in st.arms) and _always_returns(st.else_body):
            return True
    return False


class _Builder:
    def __init__(self, name: str):
        self.name = name
        self.root: list = []
        self.stack: List[list] = [self.root]
        self.ended = False
        self.chain_open = False   # the last statement of the innermost sequence is a chain still open

    def current(self, what: str, loc: Optional[SourceLoc]) -> list:
        if self.ended:
            raise SpecError(f"flow.{what} after flow.end() in {self.name!r}", loc)
        return self.stack[-1]

    def reachable(self, seq: list, what: str, loc: Optional[SourceLoc]) -> None:
        if _always_returns(seq):
            raise SpecError(f"flow.{what} in {self.name!r} is unreachable: every path before it returned", loc,
                            hint="remove it, or put the earlier flow.return_ in a block")


_active: List[_Builder] = []


def _builder(what: str) -> _Builder:
    if not _active:
        raise SpecError(f"flow.{what} is used outside a @with_flow function",
                        hint="decorate the function with @with_flow and end it with `return flow.end()`")
    return _active[-1]


class _Block:
    """What `flow.if_(c)`, `flow.elif_(c)` and `flow.else_()` return: enter it with `with`."""

    def __init__(self, kind: str, cond: Optional[Term], loc: Optional[SourceLoc]):
        self.kind, self.cond, self.loc = kind, cond, loc
        self.body: Optional[list] = None
        self.builder: Optional[_Builder] = None

    def __enter__(self) -> "_Block":
        b = _builder(self.kind)
        seq = b.current(self.kind, self.loc)
        last = seq[-1] if seq else None
        open_chain = last if isinstance(last, _Chain) and not last.closed and b.chain_open else None
        self.body = []
        if self.kind == "if_" and open_chain is None:
            b.reachable(seq, "if_", self.loc)
            open_chain = _Chain(self.loc)
            seq.append(open_chain)
        elif open_chain is None:
            raise SpecError(f"flow.{self.kind}() must follow a `with flow.if_(...)` block", self.loc)
        if self.kind == "else_":
            open_chain.else_body = self.body
        else:
            open_chain.arms.append((self.cond, self.body))
        b.stack.append(self.body)
        b.chain_open = False
        self.builder = b
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        b = self.builder
        if b is not None and b.stack and b.stack[-1] is self.body:
            b.stack.pop()
            b.chain_open = self.kind != "else_"
        return False


class _Flow:
    """The `flow` object: `if_`, `elif_`, `else_`, `return_`, `end`."""

    def if_(self, cond: Any) -> _Block:
        return _Block("if_", coerce(cond, BOOL, "condition of flow.if_"), user_loc(2))

    def elif_(self, cond: Any) -> _Block:
        return _Block("elif_", coerce(cond, BOOL, "condition of flow.elif_"), user_loc(2))

    def else_(self) -> _Block:
        return _Block("else_", None, user_loc(2))

    def return_(self, value: Any) -> None:
        loc = user_loc(2)
        b = _builder("return_")
        seq = b.current("return_", loc)
        b.reachable(seq, "return_", loc)
        if not isinstance(value, (Expr, Term)):
            coerce(value, None, "value of flow.return_")  # refuse what can never be a value, here
        seq.append(_Return(value, loc))
        b.chain_open = False

    def end(self) -> Expr:
        loc = user_loc(2)
        b = _builder("end")
        if b.ended:
            raise SpecError(f"flow.end() is called twice in {b.name!r}", loc)
        if len(b.stack) != 1:
            raise SpecError(f"flow.end() is called inside a flow block of {b.name!r}", loc,
                            hint="call `return flow.end()` after the last block")
        b.ended = True
        return wrap(_compile(b, loc))

    def __repr__(self) -> str:
        return "flow"


flow = _Flow()

# `from wunderspec_smt import *` gives this module under the name `flow`: it answers as the object does
if_ = flow.if_
elif_ = flow.elif_
else_ = flow.else_
return_ = flow.return_
end = flow.end


def _returns(stmts: list, out: list) -> list:
    for st in stmts:
        if isinstance(st, _Return):
            out.append(st)
        else:
            for _, body in st.arms:
                _returns(body, out)
            if st.else_body is not None:
                _returns(st.else_body, out)
    return out


_FALL = object()  # the end of the function is reached without a return


def _compile(b: _Builder, loc: Optional[SourceLoc]) -> Term:
    rets = _returns(b.root, [])
    if not rets:
        raise SpecError(f"@with_flow function {b.name!r} has no flow.return_", loc)
    sort = None
    for r in rets:
        if isinstance(r.value, (Expr, Term)):
            sort = coerce(r.value, None, "value of flow.return_").sort
            break
    if sort is None:
        sort = coerce(rets[0].value, None, "value of flow.return_").sort
    terms = {}
    for r in rets:
        try:
            terms[id(r)] = coerce(r.value, sort, "value of flow.return_")
        except SpecError as e:
            raise SpecError(e.message, r.loc, e.hint) from None

    def ite(c: Term, a: Any, e: Any, where: Optional[SourceLoc]) -> Any:
        if c.op == T.CONST:
            return a if c.data else e
        if a is _FALL or e is _FALL:
            raise SpecError(f"a path of @with_flow function {b.name!r} reaches flow.end() without flow.return_",
                            where, hint="add `with flow.else_(): flow.return_(...)` or a final flow.return_(...)")
        return ite_term(c, a, e)

    def seq(stmts: list, cont: Any) -> Any:
        result = cont
        for st in reversed(stmts):
            if isinstance(st, _Return):
                result = terms[id(st)]
                continue
            after = result
            r = seq(st.else_body, after) if st.else_body is not None else after
            for cond, body in reversed(st.arms):
                r = ite(cond, seq(body, after), r, st.loc)
            result = r
        return result

    out = seq(b.root, _FALL)
    if out is _FALL:
        raise SpecError(f"@with_flow function {b.name!r} reaches flow.end() without flow.return_", loc,
                        hint="add a final flow.return_(...)")
    return out


def with_flow(fn: Callable) -> Callable:
    """Decorate a function that builds its result with `flow`; it must `return flow.end()`."""
    if not callable(fn):
        raise SpecError(f"@with_flow decorates a function, not {fn!r}")
    name = getattr(fn, "__name__", "function")

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        b = _Builder(name)
        _active.append(b)
        try:
            r = fn(*args, **kwargs)
        finally:
            _active.remove(b)
        if not b.ended:
            raise SpecError(f"@with_flow function {name!r} must end with `return flow.end()`", _def_loc(fn))
        return r

    wrapper._with_flow = True  # type: ignore[attr-defined]
    return wrapper


def _def_loc(fn: Callable) -> Optional[SourceLoc]:
    code = getattr(fn, "__code__", None)
    return SourceLoc(code.co_filename, code.co_firstlineno) if code is not None else None
