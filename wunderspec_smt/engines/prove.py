"""Proofs for all depths: inductive invariants, k-induction, and PDR (Z3's Spacer).

All three start from *generic* states (encoders/generic.py), which cover every
reachable state only when the state has a finite shape; when it does not, the
engines answer "not proved" with the reason rather than claim a proof.
Counterexamples to induction are decoded, checked against the concrete
interpreter, and shown in the spec's own terms; a real violation found on the
way is reported with a shortest trace from the initial states, replayed like
every trace.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

import z3

from ..encoders import symvals as V
from ..encoders.generic import (GenericBuilder, Leaf, UnboundedShape, bind_generic, bounded_shapes, canonical,
                                closed_shapes, distinct_states)
from ..encoders.shapes import Universe, collect_strings
from ..encoders.terms import EncodingDeadline, TermEncoder, encoding_deadline
from ..encoders.transition import EncodedAction, encode_action, state_svars
from ..errors import InternalError
from ..ir import Model, Property
from ..lang import terms as T
from ..lang.terms import Term
from ..solvers.interrupts import interrupt_reported, interruptible, watching_interrupts
from ..solvers.z3native import Verdict, Z3Solver
from ..traces.decode import decode_state, decode_step
from ..traces.model import StepInfo, Trace


@dataclass
class CTI:
    """A counterexample to induction: a state satisfying IND whose successor does not."""

    pre: Dict[str, Any]
    post: Dict[str, Any]
    step: StepInfo
    broken: List[str]                     # the conjuncts of IND that fail in the post-state


@dataclass
class Attempt:
    method: str
    outcome: str                          # proved | violated | not proved | unknown
    seconds: float
    detail: str = ""


@dataclass
class ProofResult:
    prop: str
    verdict: str                          # proved | violated | not_proved
    method: str = ""
    trace: Optional[Trace] = None         # a real counterexample from the initial states
    cti: Optional[CTI] = None
    bad_state: Optional[Dict[str, Any]] = None   # a state where IND fails initially / IND holds and INV fails
    bad_state_role: str = ""
    invariant: Optional[str] = None       # what PDR found, in the spec's terms
    k: Optional[int] = None
    reason: str = ""
    attempts: List[Attempt] = field(default_factory=list)
    seconds: float = 0.0


class _Deadline:
    def __init__(self, timeout_s: Optional[float]):
        self.end = None if timeout_s is None else time.perf_counter() + timeout_s

    def left(self) -> Optional[float]:
        return None if self.end is None else max(0.0, self.end - time.perf_counter())

    def expired(self) -> bool:
        return self.end is not None and time.perf_counter() >= self.end


class ProofContext:
    """Encodings shared by the proof methods for one model."""

    def __init__(self, model: Model):
        self.model = model
        self.schema = model.schema
        self.universe = Universe(collect_strings(model))
        self.svars = state_svars(self.schema)
        self._shapes: Optional[Dict[str, Any]] = None
        self._n = 0

    def tag(self, what: str) -> str:
        self._n += 1
        return f"{what}{self._n}"

    def init_action(self) -> EncodedAction:
        return encode_action(self.model.init, self.schema, self.universe, None, self.tag("init"), self.svars)

    def step_from(self, state: Dict[str, Any]) -> EncodedAction:
        return encode_action(self.model.step, self.schema, self.universe, state, self.tag("step"), self.svars)

    def shapes(self) -> Dict[str, Any]:
        """The shapes of the state variables that hold every reachable state (raises UnboundedShape):
        the constant keys closed under the step, else the keys the all-depth range analysis allows."""
        if self._shapes is None:
            init = self.init_action()
            try:
                self._shapes = closed_shapes(self.universe, self.schema, init.next_values,
                                             lambda st: self.step_from(st).next_values)
            except UnboundedShape:
                from ..analysis.ranges import reachable_bounds
                bounds = reachable_bounds(self.model)
                if bounds is None:
                    raise
                self._shapes = bounded_shapes(self.universe, self.schema, bounds)
        return self._shapes

    def generic(self, tag: str) -> Tuple[Dict[str, Any], GenericBuilder]:
        gb = GenericBuilder(self.universe)
        shapes = self.shapes()
        state = {d.name: gb.value(d.sort, d.name, shapes[d.name], f"@{tag}") for d in self.schema.vars}
        for d in self.schema.vars:
            gb.constraints.extend(canonical(self.universe, d.sort, state[d.name]))
        return state, gb

    def bind(self, generic_state: Dict[str, Any], values: Dict[str, Any]) -> Any:
        return z3.And([bind_generic(self.universe, d.sort, generic_state[d.name], values[d.name])
                       for d in self.schema.vars] or [True])

    def encoder(self, state: Dict[str, Any]) -> TermEncoder:
        """Terms over `state` (reuse one per state: it memoises what several properties share)."""
        return TermEncoder(self.universe, {self.svars[n]: v for n, v in state.items()})

    def holds(self, term: Term, state: Dict[str, Any]) -> Any:
        return V.zb(self.encoder(state).value(term))

    def decode(self, state: Dict[str, Any], m: z3.ModelRef) -> Dict[str, Any]:
        return decode_state(self.schema, self.universe, state, m)


# --- inductive invariant check --------------------------------------------------------

def conjuncts(model: Model, term: Term) -> List[Tuple[str, Term]]:
    """Top-level conjuncts of an invariant, named after other properties when they are one."""
    parts = list(term.args) if term.op == T.AND else [term]
    by_term = {p.term: name for name, p in model.properties.items()}
    return [(by_term.get(t, repr(t)), t) for t in parts]


def _broken_conjuncts(model: Model, ind: Property, state: Dict[str, Any]) -> List[str]:
    from ..errors import EvaluationError
    from ..interp.evaluate import eval_term
    env = {T.mk(T.SVAR, (), d.sort, d.name): state[d.name] for d in model.schema.vars}
    out = []
    for name, t in conjuncts(model, ind.term):
        try:
            if not eval_term(t, env):
                out.append(name)
        except EvaluationError as e:
            out.append(f"{name} (undefined: {e})")
    return out


def _concrete_holds(model: Model, term: Term, state: Dict[str, Any]) -> Optional[bool]:
    from ..errors import EvaluationError
    from ..interp.evaluate import eval_term
    env = {T.mk(T.SVAR, (), d.sort, d.name): state[d.name] for d in model.schema.vars}
    try:
        return bool(eval_term(term, env))
    except EvaluationError:
        return None


def inductive_check(ctx: ProofContext, inv: Property, ind: Property, deadline: _Deadline) -> ProofResult:
    """Init => IND;  IND and Step => IND';  IND => INV — each on generic states."""
    model = ctx.model
    res = ProofResult(inv.name, "not_proved", method="inductive")

    # 1. every initial state satisfies IND
    s = Z3Solver()
    init = ctx.init_action()
    s.add(V.zb(init.transition()), z3.Not(ctx.holds(ind.term, init.next_values)))
    r = s.check(timeout_s=deadline.left())
    if r == Verdict.UNKNOWN:
        res.reason = f"the solver gave up on Init => {ind.name} ({s.reason_unknown})"
        return res
    if r == Verdict.SAT:
        st = ctx.decode(init.next_values, s.model())
        res.bad_state, res.bad_state_role = st, f"an initial state where {ind.name} fails"
        if _concrete_holds(model, inv.term, st) is False:
            res.verdict, res.reason = "violated", f"{inv.name} fails in an initial state"
        else:
            res.reason = f"{ind.name} does not hold in every initial state"
        return res

    # 2. IND is preserved by every step from a generic state
    s = Z3Solver()
    pre, gb = ctx.generic("pre")
    step = ctx.step_from(pre)
    s.add(*gb.constraints, ctx.holds(ind.term, pre), V.zb(step.transition()),
          z3.Not(ctx.holds(ind.term, step.next_values)))
    r = s.check(timeout_s=deadline.left())
    if r == Verdict.UNKNOWN:
        res.reason = f"the solver gave up on {ind.name} and Step => {ind.name}' ({s.reason_unknown})"
        return res
    if r == Verdict.SAT:
        m = s.model()
        cti = CTI(ctx.decode(pre, m), ctx.decode(step.next_values, m),
                  decode_step(model.step, step, ctx.universe, m), [])
        _check_cti(model, ind, cti)
        cti.broken = _broken_conjuncts(model, ind, cti.post)
        res.cti = cti
        res.reason = f"{ind.name} is not inductive: a step from a state satisfying it leads to one that does not"
        return res

    # 3. IND implies INV
    s = Z3Solver()
    st, gb = ctx.generic("implies")
    s.add(*gb.constraints, ctx.holds(ind.term, st), z3.Not(ctx.holds(inv.term, st)))
    r = s.check(timeout_s=deadline.left())
    if r == Verdict.UNKNOWN:
        res.reason = f"the solver gave up on {ind.name} => {inv.name} ({s.reason_unknown})"
        return res
    if r == Verdict.SAT:
        res.bad_state = ctx.decode(st, s.model())
        res.bad_state_role = f"a state satisfying {ind.name} where {inv.name} fails"
        res.reason = f"{ind.name} does not imply {inv.name}"
        return res
    res.verdict = "proved"
    return res


def _check_cti(model: Model, ind: Property, cti: CTI) -> None:
    """The CTI must be real in the concrete semantics: IND holds before, the step produces the post-state."""
    from ..interp.stepper import ReplayMismatch, run_path
    if _concrete_holds(model, ind.term, cti.pre) is False:
        raise InternalError(f"counterexample to induction: {ind.name} does not hold in the decoded pre-state")
    try:
        post = run_path(model.step, cti.pre, cti.step, model.params, [d.name for d in model.schema.vars])
    except ReplayMismatch as e:
        raise InternalError(f"counterexample to induction does not replay: {e}") from None
    if post != cti.post:
        raise InternalError("counterexample to induction: the decoded post-state differs from its replay")


# --- k-induction ------------------------------------------------------------------------

def k_induction(ctx: ProofContext, inv: Property, max_k: int, deadline: _Deadline, start_k: int = 1,
                bmc_trace: Optional[Callable[[int], Optional[Trace]]] = None) -> ProofResult:
    """Base case by BMC to depth k, step case on k+1 pairwise-distinct generic states."""
    from .bmc import Unrolling
    res = ProofResult(inv.name, "not_proved", method="k-induction")
    model = ctx.model
    base = Unrolling(model)
    base.add_init(base.encode_init())
    step_solver = Z3Solver()
    states: List[Dict[str, Any]] = []
    leaves: List[List[Any]] = []
    steps: List[EncodedAction] = []

    def add_state(prev: Optional[Dict[str, Any]]) -> None:
        st, gb = ctx.generic(f"k{len(states)}")
        if prev is None:
            step_solver.add(*gb.constraints)
        else:
            enc = ctx.step_from(prev)
            steps.append(enc)
            step_solver.add(*gb.constraints, V.zb(enc.transition()), ctx.bind(st, enc.next_values))
        for other in leaves:
            step_solver.add(distinct_states(other, [lf.term for lf in gb.leaves]))
        states.append(st)
        leaves.append([lf.term for lf in gb.leaves])

    add_state(None)
    for k in range(0, max_k + 1):
        # base case at depth k: no violation in state k of a run from the initial states
        enc = base.prop_encoder(k)
        bad = V.zb(V.b_not(enc.value(inv.term)))
        lit = z3.Bool(f"base@{k}")
        base.solver.add(z3.Implies(lit, bad))
        r = base.solver.check([lit], deadline.left())
        if r == Verdict.UNKNOWN:
            res.reason = f"the solver gave up on the base case at depth {k}"
            return res
        if r == Verdict.SAT:
            res.verdict, res.k = "violated", k
            res.trace = base.decode_trace(base.solver.model(), k, inv.name, "invariant")
            res.reason = f"{inv.name} is violated after {k} steps"
            return res
        base.solver.add(z3.Not(bad))
        if k < start_k:
            base.add_next()
            add_state(states[-1])
            step_solver.add(ctx.holds(inv.term, states[-2]))
            continue
        # step case with k+1 states s0..sk: INV on s0..s(k-1) (asserted), not INV on sk
        lit = z3.Bool(f"step@{k}")
        step_solver.add(z3.Implies(lit, z3.Not(ctx.holds(inv.term, states[k]))))
        r = step_solver.check([lit], deadline.left())
        if r == Verdict.UNKNOWN:
            res.reason = f"the solver gave up on the step case at k = {k}"
            return res
        if r == Verdict.UNSAT:
            res.verdict, res.k = "proved", k
            return res
        if k == max_k:
            res.k = k
            res.reason = (f"not {k}-inductive: there are {k + 1} distinct consecutive states, the first {k} "
                          f"satisfying {inv.name} and the last not (raise --max-k, or give --inductive)")
            if k > 0:  # the last step of that path: a state satisfying INV whose successor does not
                m = step_solver.model()
                res.cti = CTI(ctx.decode(states[k - 1], m), ctx.decode(states[k], m),
                              decode_step(model.step, steps[k - 1], ctx.universe, m), [inv.name])
            return res
        step_solver.add(ctx.holds(inv.term, states[k]))
        base.add_next()
        add_state(states[-1])
    return res  # pragma: no cover


# --- PDR / IC3 through Spacer ---------------------------------------------------------------

def _consts(e: Any, out: Dict[int, Any]) -> None:
    stack = [e]
    seen = set()
    while stack:
        x = stack.pop()
        if x.get_id() in seen:
            continue
        seen.add(x.get_id())
        if z3.is_const(x) and x.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            out[x.get_id()] = x
        elif z3.is_app(x):
            stack.extend(x.children())


def _rule(body: List[Any], head: Any) -> Any:
    b = z3.And(body) if body else z3.BoolVal(True)
    consts: Dict[int, Any] = {}
    _consts(b, consts)
    _consts(head, consts)
    imp = z3.Implies(b, head)
    return z3.ForAll(list(consts.values()), imp) if consts else imp


def pdr(ctx: ProofContext, inv: Property, deadline: _Deadline) -> ProofResult:
    """Constrained Horn clauses: Inv <= Init; Inv' <= Inv and Step; false <= Inv and not INV."""
    res = ProofResult(inv.name, "not_proved", method="pdr")
    g, gb = ctx.generic("pdr")
    g2, gb2 = ctx.generic("pdr'")
    sorts = [lf.term.sort() for lf in gb.leaves]
    rel = z3.Function(f"Inv_{inv.name}", *sorts, z3.BoolSort())
    cur = [lf.term for lf in gb.leaves]
    nxt = [lf.term for lf in gb2.leaves]
    init = ctx.init_action()
    step = ctx.step_from(g)
    s = z3.SolverFor("HORN")
    s.set("ctrl_c", False)   # Ctrl-C is handled by `interruptible`, as for every other query
    for key, value in SPACER_OPTIONS.items():
        s.set(key, value)
    left = deadline.left()
    if left is not None:
        s.set("timeout", max(1, int(left * 1000)))
    s.add(_rule([V.zb(init.transition()), *gb.constraints, ctx.bind(g, init.next_values)], rel(*cur)))
    s.add(_rule([rel(*cur), *gb.constraints, *gb2.constraints, V.zb(step.transition()),
                 ctx.bind(g2, step.next_values)], rel(*nxt)))
    s.add(_rule([rel(*cur), z3.Not(ctx.holds(inv.term, g))], z3.BoolVal(False)))
    with interruptible():
        r = s.check()
    if r == z3.sat:
        res.verdict = "proved"
        interp = s.model()[rel]
        body = interp.else_value() if isinstance(interp, z3.FuncInterp) else interp
        formula = z3.substitute_vars(body, *cur)  # Var(i) is the i-th argument of Inv
        res.invariant = render_formula(formula, gb.leaves, ctx.universe)
        return res
    if r == z3.unsat:
        res.verdict = "violated"
        res.reason = f"{inv.name} is violated (Spacer derived a counterexample)"
        return res
    res.reason = f"Spacer gave up ({s.reason_unknown()})"
    return res


# Spacer's global guidance (lemma generalisation across frames) finds the arithmetic
# invariants of counters (x >= 0 & y >= 0 for y' = y + x) that default settings miss.
SPACER_OPTIONS = {"spacer.global": True}


# --- rendering solver formulas in the spec's terms -------------------------------------------

def render_formula(e: Any, leaves: List[Leaf], universe: Universe) -> str:
    """A Z3 formula over generic-state symbols, printed with the spec's names and values."""
    by_id = {lf.term.get_id(): lf for lf in leaves}
    from ..lang.sorts import EnumSort, StrSort

    def leaf_of(x: Any) -> Optional[Leaf]:
        return by_id.get(x.get_id()) if z3.is_const(x) else None

    def value_for(sort: Any, x: Any) -> str:
        from ..lang.values import show_value
        if z3.is_bv_value(x) or z3.is_int_value(x):
            n = x.as_long()
            if isinstance(sort, EnumSort):
                members = list(sort.enum_cls)
                return show_value(members[n]) if 0 <= n < len(members) else str(n)
            if isinstance(sort, StrSort):
                return repr(universe.strings[n]) if 0 <= n < len(universe.strings) else str(n)
        return go(x, 0)

    def go(x: Any, prec: int) -> str:
        lf = leaf_of(x)
        if lf is not None:
            return lf.name
        if z3.is_true(x):
            return "True"
        if z3.is_false(x):
            return "False"
        if z3.is_int_value(x) or z3.is_bv_value(x):
            return str(x.as_long())
        k = x.decl().kind() if z3.is_app(x) else None
        ch = x.children() if z3.is_app(x) else []
        if k == z3.Z3_OP_AND:
            return _wrap(" & ".join(go(c, 2) for c in ch), prec > 1)
        if k == z3.Z3_OP_OR:
            return _wrap(" | ".join(go(c, 2) for c in ch), prec > 0)
        if k == z3.Z3_OP_NOT:
            a = ch[0]
            ak = a.decl().kind() if z3.is_app(a) else None
            if ak == z3.Z3_OP_EQ:
                return cmp(a.children()[0], "!=", a.children()[1])
            if ak in _NEGATED:
                return cmp(a.children()[0], _NEGATED[ak], a.children()[1])
            inner = go(a, 3)
            return "~" + (f"({inner})" if " " in inner else inner)
        if k == z3.Z3_OP_IMPLIES:
            return _wrap(f"Implies({go(ch[0], 0)}, {go(ch[1], 0)})", False)
        if k == z3.Z3_OP_EQ:
            return cmp(ch[0], "==", ch[1])
        ops = {z3.Z3_OP_LE: "<=", z3.Z3_OP_GE: ">=", z3.Z3_OP_LT: "<", z3.Z3_OP_GT: ">",
               z3.Z3_OP_ULEQ: "<=", z3.Z3_OP_ULT: "<", z3.Z3_OP_UGEQ: ">=", z3.Z3_OP_UGT: ">"}
        if k in ops:
            return cmp(ch[0], ops[k], ch[1])
        arith = {z3.Z3_OP_ADD: " + ", z3.Z3_OP_SUB: " - ", z3.Z3_OP_MUL: "*"}
        if k in arith:
            return _wrap(arith[k].join(go(c, 4) for c in ch), prec > 3)
        if k == z3.Z3_OP_UMINUS:
            return "-" + go(ch[0], 5)
        if k == z3.Z3_OP_ITE:
            return f"Ite({go(ch[0], 0)}, {go(ch[1], 0)}, {go(ch[2], 0)})"
        return str(x)

    def cmp(a: Any, op: str, b: Any) -> str:
        bits = _code_bits(a, b) if op in ("==", "!=") else None
        if bits is not None:  # a bit of an enum/string code: say which values it means
            lf, lo, hi, want = bits
            vals = [value_for(lf.sort, z3.BitVecVal(c, lf.term.size())) for c in range(_code_count(lf))
                    if ((c >> lo) & ((1 << (hi - lo + 1)) - 1) == want) == (op == "==")]
            return f"{lf.name} in {{{', '.join(vals)}}}"
        la, lb = leaf_of(a), leaf_of(b)
        if la is not None and lb is None:
            return f"{la.name} {op} {value_for(la.sort, b)}"
        if lb is not None and la is None:
            return f"{value_for(lb.sort, a)} {op} {lb.name}"
        return f"{go(a, 4)} {op} {go(b, 4)}"

    def _code_bits(a: Any, b: Any) -> Optional[tuple]:
        if z3.is_bv_value(a):
            a, b = b, a
        if not (z3.is_bv_value(b) and z3.is_app(a) and a.decl().kind() == z3.Z3_OP_EXTRACT):
            return None
        lf = leaf_of(a.children()[0])
        if lf is None or not isinstance(lf.sort, (EnumSort, StrSort)):
            return None
        hi, lo = a.params()
        return lf, lo, hi, b.as_long()

    def _code_count(lf: Leaf) -> int:
        return len(lf.sort.enum_cls) if isinstance(lf.sort, EnumSort) else len(universe.strings)

    e = z3.simplify(e)
    if z3.is_app(e) and e.decl().kind() == z3.Z3_OP_AND:
        return "\n".join(go(c, 2) for c in e.children())
    return go(e, 0)


_NEGATED = {z3.Z3_OP_LE: ">", z3.Z3_OP_GE: "<", z3.Z3_OP_LT: ">=", z3.Z3_OP_GT: "<=",
            z3.Z3_OP_ULEQ: ">", z3.Z3_OP_ULT: ">=", z3.Z3_OP_UGEQ: "<", z3.Z3_OP_UGT: "<="}


def _wrap(s: str, yes: bool) -> str:
    return f"({s})" if yes else s


def _shortest_counterexample(model: Model, inv: Property, deadline: _Deadline) -> Optional[Trace]:
    """A method proved the property false without a trace (Spacer): find the shortest one by BMC."""
    from .bmc import run_bmc
    r = run_bmc(model, [inv], COUNTEREXAMPLE_SEARCH_DEPTH, deadline.left())
    return r.results[0].trace if r.results and r.results[0].verdict == "violated" else None


COUNTEREXAMPLE_SEARCH_DEPTH = 200


METHODS = frozenset({"inductive", "kinduction", "pdr", "auto"})


# --- the command's driver ---------------------------------------------------------------------

def _attempt(ctx: ProofContext, method: str, inv: Property, ind: Optional[Property], max_k: int,
             deadline: _Deadline) -> ProofResult:
    if method == "inductive":
        return inductive_check(ctx, inv, ind, deadline)
    if method == "kinduction-small":
        return k_induction(ctx, inv, min(max_k, 3), deadline)
    if method == "kinduction":
        return k_induction(ctx, inv, max_k, deadline)
    return pdr(ctx, inv, deadline)


def prove(model: Model, inv: Property, ind: Optional[Property], method: str, max_k: int,
          timeout_s: Optional[float]) -> ProofResult:
    """Run the requested method(s); `auto` tries the cheapest first and reports which one decided."""
    if method == "induction":
        method = "inductive"
    if method not in METHODS:
        raise ValueError(f"unknown proof method {method!r}; use one of {', '.join(sorted(METHODS))}")
    if method == "inductive" and ind is None:
        raise ValueError("the inductive check needs an inductive invariant (--inductive IND)")
    deadline = _Deadline(timeout_s)
    ctx = ProofContext(model)
    started = time.perf_counter()
    if method == "auto":
        plan = (["inductive"] if ind is not None else []) + ["kinduction-small", "pdr", "kinduction"]
    else:
        plan = [method]
    final: Optional[ProofResult] = None
    attempts: List[Attempt] = []
    for m in plan:
        if deadline.expired():
            break
        t0 = time.perf_counter()
        try:
            with encoding_deadline(deadline.end), watching_interrupts():
                r = _attempt(ctx, m, inv, ind, max_k, deadline)
        except EncodingDeadline:
            r = ProofResult(inv.name, "not_proved", method=m, reason="timed out while encoding the step")
        except KeyboardInterrupt:   # Ctrl-C (solvers/interrupts.py): inconclusive, like the other engines
            interrupt_reported()
            r = ProofResult(inv.name, "not_proved", method=m, reason="interrupted (Ctrl-C)")
            attempts.append(Attempt(r.method, "not proved", time.perf_counter() - t0, r.reason))
            final = r
            break
        except UnboundedShape as e:
            r = ProofResult(inv.name, "not_proved", method=m,
                            reason=f"no finite generic state: {e} (proofs need collections of bounded size; "
                                   "`check` still works)")
            attempts.append(Attempt(r.method, "not proved", time.perf_counter() - t0, r.reason))
            final = r
            break
        attempts.append(Attempt(r.method, r.verdict.replace("_", " "), time.perf_counter() - t0, r.reason))
        # keep the most informative answer: a decision, else the last method's reason
        final = r
        if r.verdict != "not_proved":
            break
    if final is None:
        final = ProofResult(inv.name, "not_proved", reason="timed out before any method finished")
    if final.verdict == "violated" and final.trace is None:
        final.trace = _shortest_counterexample(model, inv, deadline)
    if deadline.expired() and final.verdict == "not_proved" and not final.reason:
        final.reason = "timed out"
    final.attempts = attempts
    final.seconds = time.perf_counter() - started
    return final
