"""Random simulation: seeded random walks over the concrete interpreter.

`max_samples` runs, each of at most `max_steps` transitions. A run starts in an
initial state chosen uniformly among the enabled paths of the init action and
at each step moves along one of the enabled paths of the step action, chosen
uniformly (a path is one choice of alternatives and `one_of` values, so two
paths may lead to the same state). A run ends early in a deadlock (no enabled
path) or once it is as long as the shortest trace already found for every
property.

A `one_of` whose domain cannot be enumerated is sampled instead: one value per
visit, uniform over the domain for an interval too large to enumerate
(`Interval(0, 2**32 - 1)`), uniform over -2**31..2**31-1 for `Ints` and over
0..2**31-1 for `UnsignedInts`. Such a pick therefore counts as one path among
the others at its choice point. (Values outside those ranges, or a handful out
of four billion, are found by `check`, not by sampling.)

Simulation finds violations and witnesses; it never proves an invariant. An
invariant nothing violated gets the verdict `no_violation_found`. The shortest
trace found for each property is kept. Runs are reproducible: the same seed,
spec and options give the same runs.
"""
from __future__ import annotations

import random
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..errors import EvaluationError, InternalError
from ..interp.evaluate import LazyInterval, LazySet, _Ints, eval_term
from ..interp.stepper import UndefinedStep, init_states, next_states
from ..ir import Model, Property
from ..traces.model import StepInfo, Trace
from .result import EngineResult, PropertyResult, SpecFault, describe_step, make_trace

SOURCE = "wunderspec-smt simulate"
INT_RANGE = (-2 ** 31, 2 ** 31 - 1)   # where a one_of over Ints samples
NAT_RANGE = (0, 2 ** 31 - 1)          # where a one_of over UnsignedInts samples
CACHE_STATES = 50_000                 # states whose successors and property values are remembered


class _Stop(Exception):
    def __init__(self, reason: str):
        self.reason = reason


class Sampler:
    """Values for picks whose domain cannot be enumerated; counts its calls."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.calls = 0

    def __call__(self, name: str, dom: Any) -> List[Any]:
        self.calls += 1
        if isinstance(dom, LazyInterval):
            return [self.rng.randint(dom.lo, dom.hi)] if len(dom) else []
        if isinstance(dom, _Ints):
            lo, hi = NAT_RANGE if dom.nat else INT_RANGE
            return [self.rng.randint(lo, hi)]
        if isinstance(dom, LazySet):  # a large AllSubsets / AllMaps / AllRecords / AllTuples
            v = dom.sample(self.rng)
            return [] if v is None else [v]
        raise InternalError(f"no way to sample one_of {name!r} over {dom!r}")


def run_simulate(model: Model, properties: List[Property], max_samples: int, max_steps: int,
                 seed: Optional[int] = None, timeout_s: Optional[float] = None,
                 on_sample: Optional[Callable[[int], None]] = None,
                 replay: Optional[Callable[[Trace], None]] = None) -> EngineResult:
    """Look for violations and witnesses of `properties` on random runs.

    Verdicts: violated/found (shortest trace among the runs), no_violation_found
    (invariants), not_found (examples), or unknown for the properties not hit
    when the timeout or Ctrl-C stops the runs early. `result.stats`: seed,
    samples (runs made), steps (transitions taken), distinct_states, deadlocks.
    """
    start = time.perf_counter()
    if seed is None:
        seed = random.SystemRandom().randrange(2 ** 32)
    rng = random.Random(seed)
    sample = Sampler(rng)
    names = [d.name for d in model.schema.vars]
    svars = [model.svar(n) for n in names]
    results = {p.name: PropertyResult(p.name, p.kind, "unknown") for p in properties}
    res = EngineResult(model, max_steps, list(results.values()))
    best: Dict[str, int] = {}
    seen = set()
    stats = res.stats
    stats.update(seed=seed, samples=0, steps=0, distinct_states=0, deadlocks=0)
    cached_inits: Optional[list] = None
    hit_cache: Dict[tuple, Optional[Tuple[bool, ...]]] = {}   # state -> does each property hit there
    succ_cache: Dict[tuple, list] = {}                        # state -> its enabled paths

    def trace_of(path: List[Tuple[StepInfo, dict]], prop: str, kind: str, message: Optional[str] = None) -> Trace:
        return make_trace(model, [s for _, s in path], [i for i, _ in path], prop, kind, message, SOURCE)

    def tick() -> None:
        if timeout_s is not None and time.perf_counter() - start >= timeout_s:
            raise _Stop("timeout")

    def finish() -> EngineResult:
        stats["distinct_states"] = len(seen)
        for r in res.results:
            if r.trace is not None and replay is not None:
                replay(r.trace)
        res.total_seconds = time.perf_counter() - start
        return res

    def fault(message: str, trace: Trace) -> EngineResult:
        res.fault = SpecFault(message, trace)
        if trace.states and replay is not None:
            replay(trace)
        return finish()

    try:
        tick()
        for run in range(max_samples):
            if cached_inits is None:
                calls = sample.calls
                try:
                    inits = list(init_states(model, sample))
                except UndefinedStep as e:
                    message = f"the init action ({describe_step(e.step) or model.init.name}) is undefined: {e}"
                    return fault(message, make_trace(model, (), (e.step,), "", "error", message, SOURCE))
                if sample.calls == calls:
                    cached_inits = inits  # nothing was sampled: the same initial states every run
            else:
                inits = cached_inits
            if not inits:
                break
            path = [rng.choice(inits)]
            depth = 0
            while True:
                tick()
                state = path[-1][1]
                k = tuple(state[n] for n in names)
                seen.add(k)
                hits = hit_cache.get(k)
                if hits is None:
                    env = dict(zip(svars, k))
                    try:
                        hits = tuple(bool(eval_term(p.term, env)) == (p.kind == "example") for p in properties)
                    except EvaluationError:
                        hits = None
                    if len(hit_cache) < CACHE_STATES:
                        hit_cache[k] = hits
                for i, p in enumerate(properties):
                    if best.get(p.name, depth + 1) <= depth:
                        continue
                    if hits is None:  # some property is undefined here: find which, and say why
                        try:
                            eval_term(p.term, dict(zip(svars, k)))
                        except EvaluationError as e:
                            message = f"{p.kind} {p.name!r} is undefined in state {depth}: {e}"
                            return fault(message, trace_of(path, p.name, "error", message))
                        continue
                    if hits[i]:
                        best[p.name] = depth
                        r = results[p.name]
                        r.verdict = "violated" if p.kind == "invariant" else "found"
                        r.length, r.trace = depth, trace_of(path, p.name, p.kind)
                if depth == max_steps or all(best.get(p.name, depth + 1) <= depth for p in properties):
                    break
                succ = succ_cache.get(k)
                try:
                    if succ is None:
                        calls = sample.calls
                        succ = list(next_states(model, state, sample))
                        if sample.calls == calls and len(succ_cache) < CACHE_STATES:
                            succ_cache[k] = succ  # nothing was sampled: the same successors every time
                except UndefinedStep as e:
                    message = f"the step from state {depth} ({describe_step(e.step) or model.step.name}) " \
                              f"is undefined: {e}"
                    return fault(message, trace_of(path, "", "error", message))
                if not succ:
                    stats["deadlocks"] += 1
                    break
                path.append(rng.choice(succ))
                depth += 1
                stats["steps"] += 1
            stats["samples"] = run + 1
            if on_sample is not None:
                on_sample(run + 1)
        for r in res.results:
            if r.verdict == "unknown":
                r.verdict = "no_violation_found" if r.kind == "invariant" else "not_found"
        return finish()
    except _Stop as stop:
        for r in res.results:
            if r.verdict == "unknown":
                r.reason = f"{stop.reason} after {stats['samples']} of {max_samples} samples"
        return finish()
    except KeyboardInterrupt:
        res.interrupted = True
        for r in res.results:
            if r.verdict == "unknown":
                r.reason = f"interrupted after {stats['samples']} of {max_samples} samples"
        return finish()
