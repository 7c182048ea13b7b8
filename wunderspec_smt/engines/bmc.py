"""Bounded model checking with one incremental solver.

Init is asserted for state 0; at each depth every unresolved property is asked
for in one query under a fresh assumption literal ("some target holds at this
depth"), the model says which targets it hit, those are recorded with their
traces and the query repeats for the rest; then one transition is added. The
first depth at which a target is hit gives its shortest trace.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import select
import signal
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple

import z3

from ..analysis.ranges import bits_for, int_range
from ..encoders import symvals as V
from ..encoders.rename import Renamer, match_states
from ..encoders.shapes import Universe, collect_strings
from ..encoders.terms import TermEncoder
from ..encoders.transition import EncodedAction, encode_action, state_svars
from ..ir import Model, Property
from ..lang import terms as T
from ..solvers.z3native import Verdict, Z3Solver
from ..solvers.interrupts import interrupt_reported, watching_interrupts
from ..solvers.model_values import ModelValues
from ..traces.decode import decode_state, decode_step
from ..traces.model import StepInfo, Trace
from .lemmas import DEFAULT_BUDGET_S, inductive_invariants
from .result import DepthStat, EngineResult, PropertyResult, SpecFault, describe_step


# the result classes are shared by every engine (re-exported here for existing imports)
BmcResult = EngineResult


REUSE_ENCODINGS = True   # off: every depth is encoded from scratch (for A/B runs and tests)
ONE_QUERY_FIRST = True   # off: a query per group of targets at every depth (for A/B runs and tests)


@dataclass
class _Encoded:
    """What was encoded from scratch from one state: reused, renamed, while later states keep its shape."""

    depth: int
    pre: Dict[str, Any]                             # the state it was encoded from
    created: List[Any] = field(default_factory=list)  # every symbol these encodings made
    step: Optional[EncodedAction] = None            # the step out of `pre`
    post: Optional[Dict[str, Any]] = None           # the state that step leads to
    binding: Tuple[Any, ...] = ()                   # what ties `post` to the step (asserted)


@dataclass
class _EncodedProperty:
    """A property encoded from scratch in one state: reused, renamed, while the variables it reads
    keep their shapes."""

    depth: int
    pre: Dict[str, Any]           # the values it read: only the state variables it mentions
    created: List[Any]            # the symbols its encoding made (witnesses of quantifiers)
    terms: Tuple[Any, Any]        # (undefined, value)


def _state_vars_read(prop: Property) -> FrozenSet[str]:
    return frozenset(u.data for u in T.subterms(prop.term) if u.op == T.SVAR)


class Unrolling:
    """States s0..sn of one run, the encoded steps between them, in one solver.

    Engines share this so that the same encoding serves BMC now and the proof
    engines later. A depth whose state has the shape of the last state encoded from
    scratch reuses that step and next-state binding, renamed (encoders/rename.py), and a
    property is reused while the variables it reads keep their shapes: encoding in Python
    costs as much as Z3's search on quick specs.
    """

    def __init__(self, model: Model, solver: Optional[Z3Solver] = None):
        self.model = model
        self.schema = model.schema
        self.universe = Universe(collect_strings(model))
        self.solver = solver or Z3Solver()
        self.svars = state_svars(self.schema)
        self.states: List[Dict[str, Any]] = []
        self.steps: List[EncodedAction] = []   # steps[0] = init, steps[i] produced states[i]
        self.pending: Optional[EncodedAction] = None  # step out of the last state, encoded but not asserted
        self.reuse = REUSE_ENCODINGS           # rename earlier encodings where the shapes allow
        self.renamed_depths = 0                # depths whose step was renamed, not encoded
        self._base: Optional[_Encoded] = None
        self._renamers: Dict[int, Optional[Renamer]] = {}
        self._property_bases: Dict[str, _EncodedProperty] = {}   # name -> its last encoding from scratch

    def _renamer(self, depth: int) -> Optional[Renamer]:
        """How to rename the base encodings to state `depth`, or None: encode from scratch (a new base)."""
        if depth in self._renamers:
            return self._renamers[depth]
        base, r = self._base, None
        if self.reuse and base is not None and base.depth < depth and base.step is not None \
                and base.post is not None:
            pairs = match_states(base.pre, self.states[depth])
            if pairs is not None:
                r = Renamer(pairs.values(), base.created, f"~{depth}")
        if r is None and self.reuse:
            self._base = _Encoded(depth, self.states[depth])
        self._renamers[depth] = r
        return r

    def _recording(self, depth: int):
        """Record the symbols made while encoding from state `depth` (when it is the base)."""
        base = self._base
        if base is not None and base.depth == depth:
            return V.recording_symbols(base.created)
        return contextlib.nullcontext()

    def _bind_state(self, enc: EncodedAction, index: int) -> Dict[str, Any]:
        state: Dict[str, Any] = {}
        extra: List[Any] = []
        for d in self.schema.vars:
            value = enc.next_values[d.name]
            fresh = self.universe.fresh(d.sort, f"{d.name}@{index}", value, extra)
            extra.append(self.universe.bind(d.sort, fresh, value))
            state[d.name] = fresh
        binding = (enc.transition(), *extra)
        self.solver.add(*binding)
        base = self._base
        if base is not None and base.depth == index - 1 and base.step is enc:
            base.post, base.binding = state, binding
        return state

    def encode_init(self) -> EncodedAction:
        return encode_action(self.model.init, self.schema, self.universe, None, "init", self.svars)

    def add_init(self, enc: EncodedAction) -> None:
        self.steps.append(enc)
        self.states.append(self._bind_state(enc, 0))

    def encode_next(self) -> EncodedAction:
        """Encode the step out of the last state (not asserted until `add_next`)."""
        if self.pending is None:
            i = len(self.states) - 1
            r = self._renamer(i)
            if r is not None:
                self.pending = self._base.step.renamed(r)
                self.renamed_depths += 1
            else:
                with self._recording(i):
                    self.pending = encode_action(self.model.step, self.schema, self.universe, self.states[i],
                                                 f"{i}", self.svars)
                if self._base is not None and self._base.depth == i:
                    self._base.step = self.pending
        return self.pending

    def add_next(self) -> None:
        enc = self.encode_next()
        self.pending = None
        self.steps.append(enc)
        i = len(self.states) - 1
        r = self._renamers.get(i)
        if r is None:
            with self._recording(i):
                self.states.append(self._bind_state(enc, i + 1))
            return
        base = self._base
        self.solver.add(*(r.term(x) for x in base.binding))
        self.states.append({name: r.value(v) for name, v in base.post.items()})

    def property_terms(self, depth: int, prop: Property) -> Tuple[Any, Any]:
        """(undefined, value) of the property in state `depth`.

        An invariant's value is encoded for refutation, an example's for proof (the polarity
        lets a Forall / Exists over a set that is never enumerated be checked with one witness).
        """
        reused = self._property_renamed(depth, prop)
        if reused is not None:
            return reused
        last = self._property_bases.get(prop.name)
        created: List[Any] = []
        with V.recording_symbols(created):
            enc = self.prop_encoder(depth)
            out = enc.undefined(prop.term), enc.value(prop.term, prop.kind != "invariant")
        if self.reuse:
            reads = last.pre.keys() if last is not None else _state_vars_read(prop)
            self._property_bases[prop.name] = _EncodedProperty(depth, {n: self.states[depth][n] for n in reads},
                                                               created, out)
        return out

    def _property_renamed(self, depth: int, prop: Property) -> Optional[Tuple[Any, Any]]:
        """The property's last encoding from scratch, renamed to state `depth`, when the variables
        it reads have kept their shapes (whether or not others, like a growing message set, have)."""
        last = self._property_bases.get(prop.name)
        if not self.reuse or last is None or last.depth >= depth:
            return None
        pairs = match_states(last.pre, {n: self.states[depth][n] for n in last.pre})
        if pairs is None:
            return None
        r = Renamer(pairs.values(), last.created, f"~{depth}p")
        return r.term(last.terms[0]), r.term(last.terms[1])

    def prop_encoder(self, i: int) -> TermEncoder:
        return TermEncoder(self.universe, {self.svars[n]: v for n, v in self.states[i].items()})

    # --- decoding ------------------------------------------------------------------------
    def decode_trace(self, model: z3.ModelRef, depth: int, prop: str, kind: str,
                     message: Optional[str] = None, extra_step: Optional[EncodedAction] = None) -> Trace:
        model = ModelValues(model)
        states = tuple(decode_state(self.schema, self.universe, self.states[i], model) for i in range(depth + 1))
        steps: List[StepInfo] = [decode_step(self.model.init, self.steps[0], self.universe, model)]
        for i in range(1, depth + 1):
            steps.append(decode_step(self.model.step, self.steps[i], self.universe, model))
        return Trace(
            spec_file=self.model.spec_file, instance=self.model.instance, property_name=prop, kind=kind,
            params=tuple((n, self.model.params[n]) for n, _ in self.schema.params),
            var_names=tuple(d.name for d in self.schema.vars), states=states, steps=tuple(steps),
            var_sorts={d.name: d.sort for d in self.schema.vars}, param_sorts=dict(self.schema.params),
            message=message)


@dataclass
class _Target:
    key: str
    kind: str              # "invariant" | "example" | "undefined-invariant" | "undefined-step"
    prop: Optional[Property]
    formula: Any


MAX_BV_INT_WIDTH = 16  # wider bit-vectors stop paying off against linear integer arithmetic
FRESH_AFTER_S = 3.0   # a bit-vector query slower than this is asked again from scratch, of Kissat (see Z3Solver)


def int_encoding(model: Model, properties: List[Property], max_steps: int, ints: str = "auto") -> Optional[int]:
    """The bit-vector width of integers in a BMC run to `max_steps`, or None for z3 Int.

    `auto` asks the range analysis for bounds on every integer the encoding computes in a run of
    at most `max_steps` transitions; two spare bits cover what the encoder derives from those values
    (differences of two of them, the adjustment of a floor division). `int` forces z3 Int.
    """
    if ints == "int":
        return None
    if ints != "auto":
        raise ValueError(f"unknown integer encoding {ints!r}")
    bounds = int_range(model, max_steps, properties)
    if bounds is None:
        return None
    width = bits_for(*bounds) + 2
    return width if width <= MAX_BV_INT_WIDTH else None


def run_bmc(model: Model, properties: List[Property], max_steps: int, timeout_s: Optional[float] = None,
            on_depth: Optional[Callable[[DepthStat], None]] = None,
            replay: Optional[Callable[[Trace], None]] = None, ints: str = "auto",
            lemmas: str = "auto") -> BmcResult:
    """Check `properties` on every state reachable in at most `max_steps` transitions.

    `lemmas` says when to look for invariants of the spec that are inductive together
    (engines/lemmas.py): "first" before the search, "auto" once the search looks like taking
    LEMMAS_AFTER_S or more (a quick check pays nothing for it), "off" never. The selected ones
    found hold at every depth and are not searched for any more."""
    start = time.perf_counter()
    width = int_encoding(model, properties, max_steps, ints)
    lemma_search = _LemmaSearch(model, properties, timeout_s, lemmas)
    with V.int_encoding(width), watching_interrupts():
        # with bit-vector integers the whole unrolling is QF_BV: Z3 then bit-blasts it into its
        # incremental SAT solver instead of running the general SMT core (about 10x faster again)
        solver = Z3Solver("QF_BV", fresh_after=FRESH_AFTER_S) if width is not None else Z3Solver()
        u = Unrolling(model, solver)
        res = _run_bmc(u, properties, max_steps, timeout_s, on_depth, replay, start, lemma_search)
    res.stats["int_encoding"] = "int" if width is None else f"bv{width}"
    res.stats["from_scratch"] = solver.from_scratch
    res.stats["sat_answers"] = solver.sat_answers
    res.stats["renamed_steps"] = u.renamed_depths
    res.stats["lemmas"] = sorted(lemma_search.proved)
    res.stats["lemma_seconds"] = lemma_search.seconds
    return res


LEMMAS_AFTER_S = 1.0  # `lemmas="auto"`: try to prove invariants inductive once the search looks longer than this
LEMMAS_BESIDE = True  # ... in a forked child on a second core, while BMC goes on, when there is one,
LEMMAS_BESIDE_AFTER_S = 0.3  # ... and then sooner: it costs the search nothing


def _can_fork() -> bool:
    """A child can search beside BMC: fork exists and a second core is ours."""
    if not LEMMAS_BESIDE or not hasattr(os, "fork"):
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cores) >= 2


class _LemmaSearch:
    """When and how `run_bmc` asks engines/lemmas.py for invariants that need no search.

    The proof costs a few tenths of a second of encoding (Bakery: 0.3 s against a 0.6 s
    check), so by default it waits until the search has shown it is not quick. With a second
    core it runs in a forked child beside BMC instead, so it can start sooner and costs the
    search (almost) nothing; the answer is taken at the next depth after it arrives. It never
    asserts what it proved on the unrolled states: that made Z3 slower on every case
    measured (bcastFolklore 3.5 s -> 5.3-6.4 s, Paxos depth 12 23 s -> 32 s)."""

    def __init__(self, model: Model, properties: List[Property], timeout_s: Optional[float], mode: str):
        if mode not in ("auto", "first", "off"):
            raise ValueError(f"unknown lemma mode {mode!r}")
        self.model, self.timeout_s, self.mode = model, timeout_s, mode
        self.pending = mode != "off" and any(p.kind == "invariant" for p in properties)
        self.proved: FrozenSet[str] = frozenset()
        self.step_total = False
        self.seconds = self.solver_seconds = 0.0
        self.beside: Optional[Tuple[int, int]] = None   # (pid, pipe) of a search running in a child

    def due_first(self) -> bool:
        return self.pending and self.mode == "first"

    def due_now(self, elapsed: float, last_depth_s: float, depths_left: int) -> bool:
        """In "auto" mode: once the search, at the pace of its last depth (depths only get slower),
        cannot end within LEMMAS_AFTER_S, or LEMMAS_BESIDE_AFTER_S when a second core can take it."""
        after = LEMMAS_BESIDE_AFTER_S if _can_fork() else LEMMAS_AFTER_S
        return self.pending and self.mode == "auto" and elapsed + last_depth_s * depths_left >= after

    def _budget(self, elapsed: float) -> float:
        if self.timeout_s is None:
            return DEFAULT_BUDGET_S
        return min(DEFAULT_BUDGET_S, max(0.0, self.timeout_s - elapsed) / 4)

    def _search(self, budget: float):
        """Search once (with mathematical integers: a generic state has no range)."""
        with V.int_encoding(None):
            return inductive_invariants(self.model, list(self.model.properties.values()), budget)

    def _take(self, proved: FrozenSet[str], step_total: bool, seconds: float, solver_seconds: float) -> FrozenSet[str]:
        self.proved, self.step_total, self.seconds, self.solver_seconds = proved, step_total, seconds, solver_seconds
        return proved

    def run(self, elapsed: float) -> FrozenSet[str]:
        """Search once, here and now; the names proved."""
        self.pending = False
        found = self._search(self._budget(elapsed))
        return self._take(found.proved, found.step_total, found.seconds, found.solver_seconds)

    def start_beside(self, elapsed: float) -> bool:
        """Search once in a forked child, on another core, while BMC goes on (`collect` takes the
        answer); False where that cannot be done (no fork, one core): then `run` it here."""
        if not _can_fork():
            return False
        self.pending = False
        budget = self._budget(elapsed)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:   # the child: search, write the answer, and leave without running the parent's exit code
            try:
                os.close(read_end)
                signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's; it kills the child
                found = self._search(budget)
                data = json.dumps([sorted(found.proved), found.step_total, found.seconds]).encode()
                while data:
                    data = data[os.write(write_end, data):]
            finally:
                os._exit(0)
        os.close(write_end)
        self.beside = (pid, read_end)
        return True

    def collect(self) -> Optional[FrozenSet[str]]:
        """The names the child proved, once it has answered (None before; nothing when it failed)."""
        if self.beside is None or not select.select([self.beside[1]], [], [], 0)[0]:
            return None
        pid, read_end = self.beside
        chunks = []
        while True:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        self.stop()
        if not chunks:
            return frozenset()
        proved, step_total, seconds = json.loads(b"".join(chunks))
        # its solver time was spent on another core: not part of this run's solver share
        return self._take(frozenset(proved), step_total, seconds, 0.0)

    def stop(self) -> None:
        if self.beside is not None:
            pid, read_end = self.beside
            self.beside = None
            os.close(read_end)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - already gone
                pass
            os.waitpid(pid, 0)


def _run_bmc(u: Unrolling, properties: List[Property], max_steps: int, timeout_s: Optional[float],
             on_depth: Optional[Callable[[DepthStat], None]], replay: Optional[Callable[[Trace], None]],
             start: float, lemma_search: Optional[_LemmaSearch] = None) -> BmcResult:
    model, solver = u.model, u.solver
    results = {p.name: PropertyResult(p.name, p.kind, "unknown") for p in properties}
    res = BmcResult(model, max_steps, list(results.values()))
    unresolved = {p.name: p for p in properties}
    watch_steps = False
    literals = itertools.count()

    def lemmas_proved(names: FrozenSet[str]) -> None:
        # a proved invariant needs no search, but its "holds" still promises that no step on the way to
        # the bound is undefined: unless no step can be, the unrolling goes on to look for one
        nonlocal watch_steps
        for name in names:
            if name in unresolved:
                del unresolved[name]
                r = results[name]
                r.verdict, r.depth_checked, r.proof = "holds", max_steps, "inductive"
                watch_steps = watch_steps or not lemma_search.step_total

    def remaining_time() -> Optional[float]:
        if timeout_s is None:
            return None
        return timeout_s - (time.perf_counter() - start)

    def ask(targets: List[_Target]) -> Verdict:
        """Can some target hold at this depth? Unsat is asserted once and for all: it prunes the deeper
        searches (the same lemma the solver would have to relearn)."""
        lit = z3.Bool(f"target#{next(literals)}")  # a fresh literal for every query
        solver.add(z3.Implies(lit, z3.Or([V.zb(t.formula) for t in targets])))
        rt = remaining_time()
        if rt is not None and rt <= 0:
            solver.reason_unknown = "timeout"
            return Verdict.UNKNOWN
        verdict = solver.check([lit], rt)
        if verdict == Verdict.UNSAT:
            solver.add(*(V.zb(V.b_not(t.formula)) for t in targets))
        return verdict

    def inconclusive(depth: int) -> BmcResult:
        for name in unresolved:
            r = results[name]
            r.verdict, r.depth_checked = "unknown", depth - 1
            r.reason = solver.reason_unknown or "unknown"
        return finish()

    def finish() -> BmcResult:
        if lemma_search is not None:
            lemma_search.stop()
        res.solver_seconds = solver.solver_seconds + (lemma_search.solver_seconds if lemma_search else 0.0)
        res.total_seconds = time.perf_counter() - start
        return res

    try:
        # an undefined initial state is a spec error before anything else
        init = u.encode_init()
        if init.undefined is not False:
            verdict = solver.check([V.zb(V.b_and(*init.domain, init.undefined))],
                                   remaining_time())
            if verdict == Verdict.SAT:
                res.fault = _undefined_fault(u, solver.model(), init, model)
                return finish()
        u.add_init(init)
        if lemma_search is not None and lemma_search.due_first():
            lemmas_proved(lemma_search.run(time.perf_counter() - start))
        for depth in range(max_steps + 1):
            t0, s0 = time.perf_counter(), solver.solver_seconds
            if depth > 0:
                u.add_next()   # binding the new state counts as this depth's work
            # faults first: an undefined invariant or step at this depth is reported even when a
            # property is also violated at this depth (the explicit engine follows the same rule)
            more = depth < max_steps and (bool(unresolved) or watch_steps)
            all_targets = _targets(u, depth, unresolved, with_step=more)
            groups = ([t for t in all_targets if t.kind == "undefined-invariant"],
                      [t for t in all_targets if t.kind == "undefined-step"],
                      [t for t in all_targets if not t.kind.startswith("undefined")])
            if ONE_QUERY_FIRST and sum(1 for g in groups if g) > 1:
                # most depths hit nothing: one query for every target settles that at once (Z3 pays for
                # each query); only when something is hit do the groups go one by one, faults first
                verdict = ask(all_targets)
                if verdict == Verdict.UNKNOWN:
                    return inconclusive(depth)
                if verdict == Verdict.UNSAT:
                    groups = ()
            for targets in groups:
                while targets:
                    verdict = ask(targets)
                    if verdict == Verdict.UNKNOWN:
                        return inconclusive(depth)
                    if verdict == Verdict.UNSAT:
                        break
                    m = solver.model()
                    hit = [t for t in targets if z3.is_true(m.eval(V.zb(t.formula), model_completion=True))]
                    if not hit:  # pragma: no cover - the model satisfies the disjunction
                        raise AssertionError("model satisfies no target")
                    for t in hit:
                        if t.kind == "undefined-step":
                            res.fault = _undefined_fault(u, m, u.pending, model, depth)
                            return finish()
                        if t.kind == "undefined-invariant":
                            trace = u.decode_trace(m, depth, t.prop.name, "error")
                            msg = _invariant_error(model, t.prop, trace)
                            res.fault = SpecFault(msg, replace(trace, message=msg))
                            return finish()
                        trace = u.decode_trace(m, depth, t.prop.name, t.kind)
                        if replay is not None:
                            replay(trace)
                        r = results[t.prop.name]
                        r.verdict = "violated" if t.kind == "invariant" else "found"
                        r.length, r.trace, r.depth_checked = depth, trace, depth - 1
                        unresolved.pop(t.prop.name, None)
                    targets = [t for t in targets if t not in hit and (t.prop is None or t.prop.name in unresolved)]
            for name in unresolved:
                results[name].depth_checked = depth
            stat = DepthStat(depth, time.perf_counter() - t0, solver.solver_seconds - s0)
            res.depth_stats.append(stat)
            if on_depth:
                on_depth(stat)
            if lemma_search is not None:
                elapsed = time.perf_counter() - start
                if depth < max_steps and unresolved and lemma_search.due_now(elapsed, stat.seconds, max_steps - depth) \
                        and not lemma_search.start_beside(elapsed):
                    lemmas_proved(lemma_search.run(elapsed))
                lemmas_proved(lemma_search.collect() or frozenset())
            if not unresolved and not watch_steps:
                break
        for name in unresolved:
            r = results[name]
            r.verdict = "holds" if r.kind == "invariant" else "not_found"
            r.depth_checked = max_steps
        return finish()
    except KeyboardInterrupt:
        interrupt_reported()
        res.interrupted = True
        for name in unresolved:
            results[name].verdict = "unknown"
            results[name].reason = "interrupted"
        return finish()


def _targets(u: Unrolling, depth: int, unresolved: Dict[str, Property], with_step: bool) -> List[_Target]:
    out: List[_Target] = []
    for p in unresolved.values():
        undef, v = u.property_terms(depth, p)
        if undef is not False:
            out.append(_Target(f"undef:{p.name}", "undefined-invariant", p, undef))
        # an invariant is searched for false, an example for true
        f = V.b_not(v) if p.kind == "invariant" else v
        if undef is not False:
            f = V.b_and(V.b_not(undef), f)
        if f is not False:
            out.append(_Target(p.name, p.kind, p, f))
    if with_step:
        step = u.encode_next()
        if step.undefined is not False:
            out.append(_Target("undef-step", "undefined-step", None,
                               V.b_and(*step.domain, step.undefined)))
    return out


def _undefined_fault(u: Unrolling, m: z3.ModelRef, step: EncodedAction, model: Model, depth: int = -1) -> SpecFault:
    """Decode the trace to the state where an enabled step is undefined, and say why (concretely)."""
    from ..interp.stepper import run_path
    from ..errors import EvaluationError
    ir = model.init if depth < 0 else model.step
    info = decode_step(ir, step, u.universe, m)
    if depth < 0:
        trace = Trace(model.spec_file, model.instance, "", "error",
                      tuple((n, model.params[n]) for n, _ in model.schema.params),
                      tuple(d.name for d in model.schema.vars), (), (info,),
                      {d.name: d.sort for d in model.schema.vars}, dict(model.schema.params))
        pre = None
    else:
        trace = u.decode_trace(m, depth, "", "error")
        pre = trace.states[-1]
    message = "the step is undefined"
    try:
        run_path(ir, pre, info, model.params)
    except EvaluationError as e:
        message = str(e)
    except Exception as e:  # a replay mismatch: still report the fault, with what we know
        message = f"the step is undefined ({e})"
    how = describe_step(info)
    where = "the init action" if depth < 0 else f"the step from state {depth}"
    message = f"{where} ({how or ir.name}) is undefined: {message}"
    return SpecFault(message, replace(trace, message=message))


def _invariant_error(model: Model, prop: Property, trace: Trace) -> str:
    from ..interp.evaluate import eval_term
    from ..errors import EvaluationError
    from ..lang import terms as T
    env = {T.mk(T.SVAR, (), d.sort, d.name): trace.states[-1][d.name] for d in model.schema.vars}
    try:
        eval_term(prop.term, env)
    except EvaluationError as e:
        return f"{prop.kind} {prop.name!r} is undefined in state {trace.length}: {e}"
    return f"{prop.kind} {prop.name!r} is undefined in state {trace.length}"
