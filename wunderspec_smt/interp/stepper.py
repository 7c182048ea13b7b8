"""Run the action IR on concrete states: enumerate successors, replay one path.

This is the reference semantics of a *step* (DESIGN.md section 2), written for
clarity and independent of every solver: the symbolic engines' traces are
replayed here before they are shown, so any disagreement is a checker bug.

Semantics of one step along a path through the IR (see ir.py):

* items of a block run in program order; at a `Choice` exactly one branch is
  taken, and after the branch ends the enclosing block continues;
* `Assume(cond)` is a guard: false disables the path;
* `Pick(var, domain)` binds `var` to an element of `domain` (empty disables);
* `ActionMark` records an `inline=False` action call with its argument values;
* the post-state value of `x` is the write of the *innermost* block on the
  path that writes `x`; unassigned variables keep their pre-state value.

Definedness ("guards come first"): guards and pick domains are evaluated in
program order, and evaluation stops at the first false guard, so a partial
expression behind a false guard is never evaluated. An `EvaluationError` in a
guard or domain whose earlier guards all held, or in a written value or action
argument of an *enabled* path, makes the step undefined: `UndefinedStep` (an
`EvaluationError`) is raised.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..errors import EvaluationError, InternalError, SourceLoc, SpecError
from ..ir import ActionIR, ActionMark, Assume, Block, Choice, Pick, iter_terms
from ..lang import terms as T
from ..lang.terms import Term
from ..lang.values import same_value, show_value, value_key
from ..traces.model import ActionCall, StepInfo
from .evaluate import LazyInterval, LazySet, _Ints, eval_term

__all__ = [
    "ReplayMismatch", "UndefinedStep", "UnboundedPick",
    "successors", "run_path", "replay_trace", "init_states", "next_states",
]


# --- errors ---------------------------------------------------------------------------

class ReplayMismatch(InternalError):
    """A recorded step (labels, picks, calls) or state does not replay concretely."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class UndefinedStep(EvaluationError):
    """A partial operation failed on an enabled path: the step is undefined.

    `step` holds the part of the path taken up to the failure (labels and picks
    so far), so the caller can show where it happened.
    """

    def __init__(self, message: str, loc: Optional[SourceLoc], step: StepInfo, cause: EvaluationError):
        super().__init__(message, loc)
        self.step = step
        self.cause = cause


class UnboundedPick(SpecError):
    """`one_of` over an infinite set cannot be enumerated by the explicit interpreter."""


# --- environments -------------------------------------------------------------------

def _state_leaves(ir: ActionIR) -> Dict[str, List[Term]]:
    """name -> the SVAR terms of the IR that read that pre-state variable."""
    hit = _svar_cache.get(id(ir))
    if hit is not None and hit[0] is ir:
        return hit[1]
    out: Dict[str, List[Term]] = {}
    seen = set()
    for t in iter_terms(ir.root):
        if t.uid in seen:
            continue
        for u in T.subterms(t):
            seen.add(u.uid)
            if u.op == T.SVAR and u not in out.get(u.data, ()):
                out.setdefault(u.data, []).append(u)
    if len(_svar_cache) > 256:
        _svar_cache.clear()
    _svar_cache[id(ir)] = (ir, out)
    return out


_svar_cache: Dict[int, tuple] = {}


def _pre_env(ir: ActionIR, pre: Optional[dict], missing_error: type) -> Dict[Term, Any]:
    env: Dict[Term, Any] = {}
    leaves = _state_leaves(ir)
    if not leaves:
        return env
    if pre is None:
        names = ", ".join(sorted(leaves))
        raise missing_error(f"action {ir.name!r} reads the pre-state ({names}) but no pre-state was given")
    for name, ts in leaves.items():
        if name not in pre:
            raise missing_error(f"the pre-state has no value for variable {name!r} (read by action {ir.name!r})")
        for t in ts:
            env[t] = pre[name]
    return env


def _var_names(ir: ActionIR, pre: Optional[dict], var_names: Optional[Sequence[str]]) -> Tuple[str, ...]:
    if var_names is not None:
        return tuple(var_names)
    if pre is not None:
        return tuple(pre)
    names: Dict[str, None] = {}

    def go(b: Block) -> None:
        for n, _ in b.writes:
            names.setdefault(n, None)
        for it in b.items:
            if isinstance(it, Choice):
                for br in it.branches:
                    go(br)
    go(ir.root)
    return tuple(names)


# --- paths ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Path:
    """What a path has taken so far (immutable, so that branching shares prefixes)."""

    env: Dict[Term, Any]                                # leaf term -> value (pre-state and picks)
    labels: Tuple[str, ...] = ()
    picks: Tuple[Tuple[str, Any], ...] = ()
    marks: Tuple[ActionMark, ...] = ()
    blocks: Tuple[Tuple[int, Block], ...] = ()          # (depth, block) in visit order

    def info(self, action: str, calls: Tuple[ActionCall, ...] = ()) -> StepInfo:
        return StepInfo(action, self.labels, calls, self.picks)

    def bind(self, var: Term, value: Any, name: str) -> "_Path":
        env = dict(self.env)
        env[var] = value
        return _Path(env, self.labels, self.picks + ((name, value),), self.marks, self.blocks)

    def enter(self, depth: int, block: Block, label: Optional[str] = None) -> "_Path":
        labels = self.labels + (label,) if label is not None else self.labels
        return _Path(self.env, labels, self.picks, self.marks, self.blocks + ((depth, block),))

    def mark(self, m: ActionMark) -> "_Path":
        return _Path(self.env, self.labels, self.picks, self.marks + (m,), self.blocks)


# A continuation: the (block, next item index, depth) frames to resume, innermost first.
_Cont = Tuple[Tuple[Block, int, int], ...]


def _undefined(ir: ActionIR, path: _Path, what: str, e: EvaluationError, loc: Optional[SourceLoc]) -> UndefinedStep:
    # the item's own location is exact for this path; a term's location is where that
    # (interned, shared) term was first built, which may be another branch
    where = loc or e.loc
    taken = []
    if path.labels:
        taken.append("labels " + ", ".join(path.labels))
    if path.picks:
        taken.append("picks " + ", ".join(f"{n}={show_value(v)}" for n, v in path.picks))
    ctx = f" (path: {'; '.join(taken)})" if taken else ""
    msg = f"undefined step in action {ir.name!r}: {e.message}, while evaluating {what}{ctx}"
    return UndefinedStep(msg, where, path.info(ir.name), e)


def _eval(ir: ActionIR, path: _Path, t: Term, what: Union[str, Callable[[], str]],
          loc: Optional[SourceLoc]) -> Any:
    """Evaluate `t` on the path; `what` (or what() -- printing a term is costly) names it in errors."""
    try:
        return eval_term(t, path.env)
    except UndefinedStep:
        raise
    except EvaluationError as e:
        raise _undefined(ir, path, what if isinstance(what, str) else what(), e, loc) from None


def _eval_lazy(ir: ActionIR, path: _Path, v: Any, name: str, loc: Optional[SourceLoc]) -> Any:
    try:
        return v.elements(None)
    except EvaluationError as e:
        raise _undefined(ir, path, f"the value assigned to {name!r}", e, loc) from None


def _is_infinite(v: Any) -> bool:
    return not isinstance(v, (frozenset, set))


def _finish(ir: ActionIR, path: _Path, pre: Optional[dict], names: Tuple[str, ...]) -> Tuple[StepInfo, dict]:
    """Evaluate the written values and action arguments of an enabled path."""
    chosen: Dict[str, Tuple[int, Term, Optional[SourceLoc]]] = {}
    for depth, b in path.blocks:
        locs = dict(b.write_locs)
        for n, t in b.writes:
            prev = chosen.get(n)
            if prev is None or depth >= prev[0]:
                chosen[n] = (depth, t, locs.get(n))
    calls = []
    for m in path.marks:
        vals = tuple(_eval(ir, path, a, f"argument {p!r} of action {m.name!r}", None)
                     for p, a in zip(m.params, m.args))
        calls.append(ActionCall(m.name, tuple(zip(m.params, vals))))
    post: Dict[str, Any] = {}
    for n in names:
        hit = chosen.get(n)
        if hit is not None:
            post[n] = _eval(ir, path, hit[1], f"the value assigned to {n!r}", hit[2])
            if isinstance(post[n], LazySet) and not isinstance(post[n], (LazyInterval, _Ints)):
                # a power, function or product set assigned to a variable: states hold plain sets
                post[n] = _eval_lazy(ir, path, post[n], n, hit[2])
        elif pre is not None and n in pre:
            post[n] = pre[n]
        else:
            raise InternalError(f"action {ir.name!r} leaves variable {n!r} without a value "
                                f"(path labels {path.labels})")
    for n in chosen:
        if n not in post:
            raise InternalError(f"action {ir.name!r} writes {n!r}, which is not a state variable")
    return path.info(ir.name, tuple(calls)), post


# Values to try for a one_of whose domain cannot be enumerated (Ints, UnsignedInts, a huge
# interval): called with (pick name, domain); None means such a pick raises UnboundedPick.
Sampler = Optional[Callable[[str, Any], Iterable[Any]]]


def _walk(ir: ActionIR, block: Block, i: int, depth: int, cont: _Cont, path: _Path,
          sample: Sampler = None) -> Iterator[_Path]:
    """Every enabled path from item i of `block`, then the continuation."""
    items = block.items
    while i < len(items):
        it = items[i]
        if isinstance(it, Assume):
            if not _eval(ir, path, it.cond, lambda c=it.cond: f"the guard `{c}`", it.loc):
                return
        elif isinstance(it, Pick):
            dom = _eval(ir, path, it.domain, f"the domain of one_of {it.name!r}", it.loc)
            if sample is None and isinstance(dom, LazySet) and not isinstance(dom, (LazyInterval, _Ints)):
                try:  # a power set, function set or product: enumerated when it is not too large
                    dom = dom.elements(None)
                except EvaluationError:
                    pass
            if _is_infinite(dom):
                if sample is None:
                    what = (f"{dom!r}, which has {len(dom)} elements" if hasattr(dom, "__len__")
                            else f"the infinite set {dom!r}")
                    raise UnboundedPick(f"one_of {it.name!r} ranges over {what}; explicit enumeration needs a bound",
                                        it.loc, hint="use the symbolic engine, or pick from a finite set such as "
                                                     "Interval(a, b)")
                values: Iterable[Any] = sample(it.name, dom)
            else:
                values = sorted(dom, key=value_key)
            for v in values:
                yield from _walk(ir, block, i + 1, depth, cont, path.bind(it.var, v, it.name), sample)
            return
        elif isinstance(it, ActionMark):
            path = path.mark(it)
        elif isinstance(it, Choice):
            rest = ((block, i + 1, depth),) + cont
            for label, br in zip(it.labels, it.branches):
                yield from _walk(ir, br, 0, depth + 1, rest, path.enter(depth + 1, br, label), sample)
            return
        else:  # pragma: no cover - the IR has no other items
            raise InternalError(f"unknown IR item {it!r}")
        i += 1
    if cont:
        (b, j, d), rest = cont[0], cont[1:]
        yield from _walk(ir, b, j, d, rest, path, sample)
    else:
        yield path


def successors(ir: ActionIR, pre: Optional[dict], params: Optional[dict] = None,
               var_names: Optional[Sequence[str]] = None, sample: Sampler = None) -> Iterator[Tuple[StepInfo, dict]]:
    """Every enabled path of `ir` from the concrete state `pre` (None for init actions).

    Yields (StepInfo, post-state) per path, in a deterministic order (branches in
    label order, picks in `value_key` order). `params` is accepted for symmetry:
    parameters are already constants inside the IR. `var_names` lists the state
    variables of the post-state (default: the keys of `pre`, or the variables the
    init action writes). Raises UndefinedStep (an EvaluationError) for an
    undefined step and UnboundedPick for a one_of over an infinite set (or an
    interval too large to enumerate), unless `sample` is given: then the pick
    takes the values `sample(name, domain)` returns (random simulation).
    """
    names = _var_names(ir, pre, var_names)
    env = _pre_env(ir, pre, InternalError)
    start = _Path(env).enter(0, ir.root)
    for path in _walk(ir, ir.root, 0, 0, (), start, sample):
        yield _finish(ir, path, pre, names)


def init_states(model, sample: Sampler = None) -> Iterator[Tuple[StepInfo, dict]]:
    """successors of the model's init action, with the schema's variables."""
    return successors(model.init, None, model.params, [v.name for v in model.schema.vars], sample)


def next_states(model, pre: dict, sample: Sampler = None) -> Iterator[Tuple[StepInfo, dict]]:
    """successors of the model's step action from `pre`."""
    return successors(model.step, pre, model.params, [v.name for v in model.schema.vars], sample)


# --- replaying one recorded path --------------------------------------------------------

def _strict_member(v: Any, dom: Any) -> bool:
    if _is_infinite(dom):
        if isinstance(dom, (LazyInterval, _Ints)):
            return isinstance(v, int) and not isinstance(v, bool) and v in dom
        return v in dom  # a large power set, function set or product: membership checks the kind
    if v not in dom:
        return False
    return any(same_value(v, e) for e in dom if e == v)


class _Replayer:
    def __init__(self, ir: ActionIR, step: StepInfo):
        self.ir = ir
        self.step = step
        self.li = 0
        self.pi = 0

    def fail(self, msg: str, path: _Path) -> ReplayMismatch:
        taken = f"labels so far {list(path.labels)}, picks so far " \
                f"[{', '.join(f'{n}={show_value(v)}' for n, v in path.picks)}]"
        return ReplayMismatch(f"step does not replay through action {self.ir.name!r}: {msg} ({taken})")

    def walk(self, block: Block, depth: int, path: _Path) -> _Path:
        for it in block.items:
            if isinstance(it, Assume):
                if not _eval(self.ir, path, it.cond, lambda c=it.cond: f"the guard `{c}`", it.loc):
                    where = f" at {it.loc}" if it.loc else ""
                    raise self.fail(f"the guard `{it.cond}`{where} is false", path)
            elif isinstance(it, Pick):
                # the domain is evaluated first, as in program order: an undefined domain is an
                # undefined step whatever was recorded
                dom = _eval(self.ir, path, it.domain, f"the domain of one_of {it.name!r}", it.loc)
                if self.pi >= len(self.step.picks):
                    raise self.fail(f"no recorded pick left for one_of {it.name!r}", path)
                name, v = self.step.picks[self.pi]
                self.pi += 1
                if name != it.name:
                    raise self.fail(f"the recorded pick {name!r} does not match one_of {it.name!r}", path)
                if not _strict_member(v, dom):
                    shown = repr(dom) if _is_infinite(dom) else show_value(dom)
                    raise self.fail(f"the picked value {name}={show_value(v)} is not in the domain {shown}", path)
                path = path.bind(it.var, v, it.name)
            elif isinstance(it, ActionMark):
                path = path.mark(it)
            elif isinstance(it, Choice):
                if self.li >= len(self.step.labels):
                    raise self.fail(f"no recorded label left for the choice among {list(it.labels)}", path)
                label = self.step.labels[self.li]
                self.li += 1
                if label not in it.labels:
                    raise self.fail(f"label {label!r} is not one of {list(it.labels)}", path)
                br = it.branches[it.labels.index(label)]
                path = self.walk(br, depth + 1, path.enter(depth + 1, br, label))
            else:  # pragma: no cover
                raise InternalError(f"unknown IR item {it!r}")
        return path


def run_path(ir: ActionIR, pre: Optional[dict], step: StepInfo, params: Optional[dict] = None,
             var_names: Optional[Sequence[str]] = None) -> dict:
    """Follow exactly the labels and picks recorded in `step`; return the post-state.

    Raises ReplayMismatch if the action name differs, a label does not exist at
    its choice, a pick is not in its domain (or has another name), a guard is
    false, labels or picks are left over, or the recorded inline=False calls
    differ from the ones the path makes. An undefined step raises UndefinedStep.
    """
    if step.action != ir.name:
        raise ReplayMismatch(f"the step records action {step.action!r}, but the action is {ir.name!r}")
    names = _var_names(ir, pre, var_names)
    env = _pre_env(ir, pre, ReplayMismatch)
    r = _Replayer(ir, step)
    start = _Path(env).enter(0, ir.root)
    path = r.walk(ir.root, 0, start)
    if r.li != len(step.labels):
        raise r.fail(f"labels left over: {list(step.labels[r.li:])}", path)
    if r.pi != len(step.picks):
        left = ", ".join(f"{n}={show_value(v)}" for n, v in step.picks[r.pi:])
        raise r.fail(f"picks left over: {left}", path)
    info, post = _finish(ir, path, pre, names)
    if not _same_calls(info.calls, step.calls):
        raise r.fail(f"the recorded action calls {_show_calls(step.calls)} differ from the path's calls "
                     f"{_show_calls(info.calls)}", path)
    return post


def _same_calls(a: Tuple[ActionCall, ...], b: Tuple[ActionCall, ...]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x.name != y.name or len(x.args) != len(y.args):
            return False
        for (n1, v1), (n2, v2) in zip(x.args, y.args):
            if n1 != n2 or not same_value(v1, v2):
                return False
    return True


def _show_calls(calls: Tuple[ActionCall, ...]) -> str:
    return "[" + ", ".join(f"{c.name}(" + ", ".join(f"{n}={show_value(v)}" for n, v in c.args) + ")"
                           for c in calls) + "]"


def replay_trace(model, trace) -> None:
    """Check that every state of `trace` is produced by its recorded step.

    states[0] must come from the init action, states[i] from the step action
    applied to states[i-1]. Raises ReplayMismatch naming the first state that
    does not replay and the variables that differ.
    """
    names = [v.name for v in model.schema.vars]
    if len(trace.states) != len(trace.steps):
        raise ReplayMismatch(f"the trace has {len(trace.states)} states but {len(trace.steps)} steps")
    if not trace.states:
        raise ReplayMismatch("the trace has no states")
    pre = None
    for i, (state, step) in enumerate(zip(trace.states, trace.steps)):
        ir = model.init if i == 0 else model.step
        try:
            post = run_path(ir, pre, step, model.params, names)
        except ReplayMismatch as e:
            raise ReplayMismatch(f"state {i} does not replay: {e.message}") from None
        _compare(i, state, post, names)
        pre = post


def _compare(i: int, recorded: dict, computed: dict, names: Sequence[str]) -> None:
    diffs = []
    for n in list(names) + [k for k in recorded if k not in names]:
        if n not in recorded:
            diffs.append(f"{n}: missing in the trace, replay gives {show_value(computed[n])}")
        elif n not in computed:
            diffs.append(f"{n}: the trace has {show_value(recorded[n])}, which is not a state variable")
        elif not same_value(recorded[n], computed[n]):
            diffs.append(f"{n}: the trace has {show_value(recorded[n])}, replay gives {show_value(computed[n])}")
    if diffs:
        raise ReplayMismatch(f"state {i} differs from its replay: " + "; ".join(diffs))
