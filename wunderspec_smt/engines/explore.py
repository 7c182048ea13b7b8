"""Explicit-state search: breadth-first over the concrete interpreter.

Every initial state is enumerated (interp/stepper.py), then every enabled
transition, level by level up to `max_steps` transitions. States are
deduplicated by value (the tuple of their variables' values in schema order;
concrete values are hashable) and each keeps a pointer to the state it was
first reached from, with the step taken, so the trace rebuilt for a property is
a *shortest* one: the search meets states in order of depth.

This engine shares no code with the symbolic one, which makes it a cross-check
of `check` (same verdicts, same shortest lengths) on specs whose choices are
finite. A `one_of` over `Ints`, `UnsignedInts` or a huge interval cannot be
enumerated: that is reported as an error in the spec (UnboundedPick, exit 5)
pointing at the symbolic engine. When the frontier runs dry before the bound,
every reachable state has been seen and the results hold at every depth.
"""
from __future__ import annotations

import time
from typing import Callable, Dict, List, Optional, Tuple

from ..errors import EvaluationError
from ..interp.evaluate import eval_term
from ..interp.stepper import UnboundedPick, UndefinedStep, init_states, next_states
from ..ir import Model, Property
from ..traces.model import StepInfo, Trace
from .result import DepthStat, EngineResult, PropertyResult, SpecFault, describe_step, make_trace

SOURCE = "wunderspec-smt explore"

Key = Tuple  # the values of the state variables, in schema order


class _Stop(Exception):
    """Leave the search: timeout or state budget (the reason is in `reason`)."""

    def __init__(self, reason: str):
        self.reason = reason


def _explicit_only(e: UnboundedPick) -> UnboundedPick:
    return UnboundedPick(f"explicit search needs finite choices: {e.message}", e.loc,
                         hint="use `check` (symbolic) for this spec")


def run_explore(model: Model, properties: List[Property], max_steps: int, timeout_s: Optional[float] = None,
                max_states: Optional[int] = None,
                on_depth: Optional[Callable[[DepthStat], None]] = None,
                replay: Optional[Callable[[Trace], None]] = None) -> EngineResult:
    """Check `properties` in every state reachable in at most `max_steps` transitions, explicitly.

    Result per property as in BMC: violated/found with a shortest trace, holds/
    not_found, or unknown (timeout, Ctrl-C, `max_states` distinct states
    exceeded) with `depth_checked` = the deepest level completely checked.
    `result.stats`: states_explored (successors generated, duplicates
    included), distinct_states, max_depth (deepest level checked) and
    exhausted_at (the depth after which no new state appeared, or None).
    """
    start = time.perf_counter()
    names = [d.name for d in model.schema.vars]
    svars = [model.svar(n) for n in names]
    results = {p.name: PropertyResult(p.name, p.kind, "unknown") for p in properties}
    res = EngineResult(model, max_steps, list(results.values()))
    unresolved: Dict[str, Property] = {p.name: p for p in properties}
    parent: Dict[Key, Tuple[Optional[Key], StepInfo]] = {}
    stats = res.stats
    stats.update(states_explored=0, distinct_states=0, max_depth=-1, exhausted_at=None)

    def key(state: dict) -> Key:
        return tuple(state[n] for n in names)

    def trace_to(k: Key, prop: str, kind: str, message: Optional[str] = None) -> Trace:
        states, steps = [], []
        cur: Optional[Key] = k
        while cur is not None:
            prev, info = parent[cur]
            states.append(dict(zip(names, cur)))
            steps.append(info)
            cur = prev
        return make_trace(model, states[::-1], steps[::-1], prop, kind, message, SOURCE)

    def tick() -> None:
        if timeout_s is not None and time.perf_counter() - start >= timeout_s:
            raise _Stop("timeout")

    def add(prev: Optional[Key], info: StepInfo, post: dict, into: List[Key]) -> None:
        stats["states_explored"] += 1
        k = key(post)
        if k not in parent:
            if max_states is not None and len(parent) >= max_states:
                raise _Stop(f"the budget of {max_states} distinct states (--max-states) is spent")
            parent[k] = (prev, info)
            into.append(k)

    def finish() -> EngineResult:
        stats["distinct_states"] = len(parent)
        res.total_seconds = time.perf_counter() - start
        return res

    def fault(message: str, trace: Trace) -> EngineResult:
        if trace.states and replay is not None:
            replay(trace)
        res.fault = SpecFault(message, trace)
        return finish()

    depth = 0
    try:
        tick()
        frontier: List[Key] = []
        try:
            for info, post in init_states(model):
                tick()
                add(None, info, post, frontier)
        except UndefinedStep as e:
            message = f"the init action ({describe_step(e.step) or model.init.name}) is undefined: {e}"
            return fault(message, make_trace(model, (), (e.step,), "", "error", message, SOURCE))
        except UnboundedPick as e:
            raise _explicit_only(e) from None
        while True:
            t0 = time.perf_counter()
            # Faults come before verdicts at the same depth, whatever the order of states:
            # every property still open is evaluated in every state of the level (an
            # undefined invariant is a fault), then the level is expanded (an undefined
            # step is a fault), and only then are violations and witnesses recorded.
            level_props = list(unresolved.values())
            hits: Dict[str, Key] = {}
            for k in frontier:
                tick()
                env = dict(zip(svars, k))
                for p in level_props:
                    try:
                        value = eval_term(p.term, env)
                    except EvaluationError as e:
                        message = f"{p.kind} {p.name!r} is undefined in state {depth}: {e}"
                        return fault(message, trace_to(k, p.name, "error", message))
                    if bool(value) == (p.kind == "example"):
                        hits.setdefault(p.name, k)
            nxt: List[Key] = []
            if depth < max_steps:
                for k in frontier:
                    tick()
                    pre = dict(zip(names, k))
                    try:
                        for info, post in next_states(model, pre):
                            add(k, info, post, nxt)
                    except UndefinedStep as e:
                        message = f"the step from state {depth} ({describe_step(e.step) or model.step.name}) " \
                                  f"is undefined: {e}"
                        return fault(message, trace_to(k, "", "error", message))
                    except UnboundedPick as e:
                        raise _explicit_only(e) from None
            for p in level_props:
                k = hits.get(p.name)
                if k is None:
                    continue
                trace = trace_to(k, p.name, p.kind)
                if replay is not None:
                    replay(trace)
                r = results[p.name]
                r.verdict = "violated" if p.kind == "invariant" else "found"
                r.length, r.trace, r.depth_checked = depth, trace, depth - 1
                del unresolved[p.name]
            for name in unresolved:
                results[name].depth_checked = depth
            stats["max_depth"] = depth
            if not unresolved or depth == max_steps:
                _stat(res, depth, t0, len(parent), on_depth)
                break
            _stat(res, depth, t0, len(parent), on_depth)
            if not nxt:
                stats["exhausted_at"] = depth
                break
            frontier = nxt
            depth += 1
        for name in unresolved:
            r = results[name]
            r.verdict = "holds" if r.kind == "invariant" else "not_found"
            r.depth_checked = max_steps
        return finish()
    except _Stop as stop:
        for name in unresolved:
            results[name].reason = stop.reason
        return finish()
    except KeyboardInterrupt:
        res.interrupted = True
        for name in unresolved:
            results[name].reason = "interrupted"
        return finish()


def _stat(res: EngineResult, depth: int, t0: float, states: int,
          on_depth: Optional[Callable[[DepthStat], None]]) -> None:
    stat = DepthStat(depth, time.perf_counter() - t0, 0.0, states)
    res.depth_stats.append(stat)
    if on_depth is not None:
        on_depth(stat)
