"""Invariants that are inductive together, proved before the bounded search (Houdini).

Why: BMC establishes an invariant to depth k with k+1 queries over ever longer
unrollings. When the invariant is preserved by every step from any state that
satisfies it (and the spec's other invariants), one query over a single step
from a generic state proves it for *every* depth, and those k+1 queries can be
skipped. bcastFolklore's `accepted_sent_echo` is such an invariant: 21 s of BMC
to depth 10 against a fraction of a second here.

The search is Houdini's (Flanagan and Leino, "Houdini, an annotation assistant
for ESC/Java", FME 2001): start from every invariant of the spec, drop those that
fail in some initial state, then repeatedly ask for a step from a state where
all remaining candidates hold to a state where one fails, and drop the failing
ones, until no such step exists. What is left is inductive as a conjunction and
holds initially, so it holds in every reachable state. Each query runs under a
time budget; running out of it proves nothing and costs only the budget.

"Holds" includes "is defined": a candidate whose evaluation is undefined in the
post-state (or an initial state) is dropped like a false one.

An invariant that holds is often not inductive alone: bcastFolklore's "if nobody
broadcast, nobody accepts" needs "... then nothing was sent" beside it. So the search
also tries *helper* candidates, built from templates (as Houdini's annotation
assistant did): for each invariant `Implies(P, Q)`, P together with "nothing happened
yet" facts about one state variable (a set is empty, every set in a map is empty, no
value of a map or variable is a given enum member). Helpers the search keeps are what
made the spec's invariants inductive; they are not reported. Whatever the candidates,
what is kept is inductive and holds initially, so the result stays sound.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Dict, FrozenSet, List, Optional

import z3

from ..encoders import symvals as V
from ..encoders.generic import UnboundedShape
from ..encoders.terms import EncodingDeadline, TermEncoder, encoding_deadline
from ..errors import SpecError
from ..ir import Model, Property
from ..lang import exprs as E
from ..lang import terms as T
from ..lang.sorts import EnumSort, MapSort, SetSort
from ..solvers.z3native import Verdict, Z3Solver
from .prove import ProofContext

DEFAULT_BUDGET_S = 5.0  # the whole search; BMC goes on with whatever it has proved by then


@dataclass(frozen=True)
class InductiveSet:
    """What the search established: these invariants hold in every reachable state."""

    proved: FrozenSet[str]
    step_total: bool        # no step from a state where all kept candidates hold (so no reachable one) is undefined
    seconds: float
    solver_seconds: float = 0.0
    reason: str = ""        # why the search stopped early, when it did
    helpers: FrozenSet[str] = frozenset()   # helper candidates kept with them (see the module docstring)


HELPER_PREFIX = "helper: "
MAX_HELPERS = 64   # each candidate costs encoding and solver time; past this many, none are tried


def helper_candidates(model: Model) -> List[Property]:
    """Helper candidates for the implication invariants of `model` (see the module docstring)."""
    facts = []
    for d in model.schema.vars:
        var = E.wrap(T.mk(T.SVAR, (), d.sort, d.name))
        sort = d.sort
        if isinstance(sort, SetSort):
            facts.append((f"{d.name} is empty", var.is_empty))
        elif isinstance(sort, MapSort) and isinstance(sort.value, SetSort):
            facts.append((f"every {d.name}[k] is empty", var.keys.forall(lambda k, m=var: m[k].is_empty)))
        elif isinstance(sort, MapSort) and isinstance(sort.value, EnumSort):
            facts.extend((f"no {d.name}[k] is {e.name}", var.keys.forall(lambda k, m=var, e=e: m[k] != e))
                         for e in sort.value.enum_cls)
        elif isinstance(sort, EnumSort):
            facts.extend((f"{d.name} is not {e.name}", var != e) for e in sort.enum_cls)
    out = []
    for p in model.properties.values():
        if p.kind == "invariant" and p.term.op == T.IMPLIES:
            premise = E.wrap(p.term.args[0])
            out.extend(Property(f"{HELPER_PREFIX}{p.name}: if its premise holds, {what}", "invariant",
                                E.coerce(E.Implies(premise, fact)), p.loc)
                       for what, fact in facts)
    return out if len(out) <= MAX_HELPERS else []


def _holds(enc: TermEncoder, prop: Property, asserted: bool) -> Any:
    """`prop` is defined and true in the state `enc` encodes over, as a z3 Boolean.

    `asserted` is the polarity: True for a hypothesis, False for an obligation
    whose negation is searched for (see TermEncoder.value)."""
    undef = enc.undefined(prop.term)
    value = enc.value(prop.term, asserted)
    return V.zb(value if undef is False else V.b_and(V.b_not(undef), value))


def _drop_failing(solver: Z3Solver, keep: Dict[str, Any], hypotheses: Dict[str, Any],
                  deadline: Optional[float]) -> Optional[Dict[str, Any]]:
    """Drop candidates whose obligation can fail while all kept hypotheses hold; None on give-up.

    `keep` maps names to obligations (z3 Booleans); `hypotheses` maps the same names to
    assumption literals already tied to their hypotheses in `solver`."""
    keep = dict(keep)
    rounds = 0
    while keep:
        rounds += 1
        goal = z3.Bool(f"houdini#goal{rounds}")
        solver.add(z3.Implies(goal, z3.Or([z3.Not(f) for f in keep.values()])))
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left <= 0:
            return None
        verdict = solver.check([goal, *(hypotheses[n] for n in keep if n in hypotheses)], left)
        if verdict == Verdict.UNSAT:
            return keep
        if verdict == Verdict.UNKNOWN:
            return None
        m = solver.model()
        failing = [n for n, f in keep.items() if not z3.is_true(m.eval(f, model_completion=True))]
        if not failing:  # pragma: no cover - the model satisfies the disjunction
            raise AssertionError("model breaks no candidate")
        for n in failing:
            del keep[n]
    return keep


def inductive_invariants(model: Model, candidates: List[Property],
                         budget_s: Optional[float] = DEFAULT_BUDGET_S, helpers: bool = True) -> InductiveSet:
    """The largest subset of `candidates` (invariants) that is inductive as a conjunction, with
    the `helper_candidates` of the model kept beside them when `helpers`.

    Proves nothing (with the reason) when the budget runs out, in the solver or while encoding."""
    start = time.perf_counter()
    deadline = None if budget_s is None else start + budget_s
    extra = helper_candidates(model) if helpers else []
    try:
        with encoding_deadline(deadline):
            found = _houdini(model, list(candidates) + extra, start, deadline)
            kept = {p.name for p in extra} & found.proved
            return replace(found, proved=found.proved - kept, helpers=frozenset(kept))
    except EncodingDeadline:
        return InductiveSet(frozenset(), False, time.perf_counter() - start, 0.0,
                            "the time budget ran out while encoding the step")
    except SpecError as e:  # something a generic state cannot encode: the search only loses the shortcut
        return InductiveSet(frozenset(), False, time.perf_counter() - start, 0.0, f"not encodable: {e}")


def _houdini(model: Model, candidates: List[Property], start: float, deadline: Optional[float]) -> InductiveSet:
    solvers: List[Z3Solver] = []

    def done(proved, total: bool = False, reason: str = "") -> InductiveSet:
        return InductiveSet(frozenset(proved), total, time.perf_counter() - start,
                            sum(x.solver_seconds for x in solvers), reason)

    candidates = [p for p in candidates if p.kind == "invariant"]
    if not candidates:
        return done(())
    ctx = ProofContext(model)
    try:
        ctx.shapes()
    except UnboundedShape as e:
        return done((), reason=f"the state has no finite shape ({e})")

    # 1. the candidates that hold in every initial state
    init = ctx.init_action()
    solver = Z3Solver()
    solvers.append(solver)
    solver.add(V.zb(init.transition()))
    obligations = {}
    at_init = ctx.encoder(init.next_values)
    for p in candidates:
        try:
            obligations[p.name] = _holds(at_init, p, asserted=False)
        except SpecError:
            continue  # a quantifier the encoder cannot refute in this position: not a candidate
    kept = _drop_failing(solver, obligations, {}, deadline)
    if kept is None:
        return done((), reason="the time budget ran out on the initial states")

    # 2. those among them preserved by every step, assuming all of them before it
    pre, gb = ctx.generic("houdini")
    step = ctx.step_from(pre)
    solver = Z3Solver()
    solvers.append(solver)
    solver.add(*gb.constraints, V.zb(step.transition()))
    hypotheses, obligations, hyp_terms = {}, {}, {}
    before, after = ctx.encoder(pre), ctx.encoder(step.next_values)
    for p in candidates:
        if p.name not in kept:
            continue
        try:
            hyp = _holds(before, p, asserted=True)
            obligations[p.name] = _holds(after, p, asserted=False)
        except SpecError:
            continue
        lit = z3.Bool(f"houdini#hyp:{p.name}")
        solver.add(z3.Implies(lit, hyp))
        hypotheses[p.name] = lit
        hyp_terms[p.name] = hyp
    kept = _drop_failing(solver, obligations, hypotheses, deadline)
    if kept is None:
        return done((), reason="the time budget ran out on the step")
    total = _never_undefined(step, gb.constraints, [hyp_terms[n] for n in kept], deadline, solvers)
    return done(kept, total=total)


def _never_undefined(step: Any, constraints: List[Any], hypotheses: List[Any], deadline: Optional[float],
                     solvers: List[Z3Solver]) -> bool:
    """No step from a state where the kept invariants hold is undefined, so none from a reachable state.

    BMC then need not go on to its bound to look for an undefined step once every invariant is
    proved (bcastFolklore's lookups `pc[i]` are defined because its invariants read `pc[i]` for every
    process). One query; running out of time says "not shown"."""
    if step.undefined is False:
        return True
    left = None if deadline is None else deadline - time.perf_counter()
    if left is not None and left <= 0:
        return False
    solver = Z3Solver()
    solvers.append(solver)
    solver.add(*constraints, *hypotheses, V.zb(V.b_and(*step.domain, step.undefined)))
    return solver.check([], left) == Verdict.UNSAT
