"""Static integer ranges (wunderspec_smt.analysis.ranges): exact on small specs, sound against explicit
search, and precise enough on the benchmarks for a bit-vector encoding of a few bits.

Soundness is what matters (BMC would silently wrap around with too narrow a
width), so besides hand-computed cases every spec that loads is cross-checked:
every int in every state the explicit interpreter reaches within the bound (and
one step beyond: BMC encodes the step out of the last state), in every pick and
action argument on the way, and in every closed Int sub-term of the properties
and of the step on those states, lies in the range the analysis gives.
"""
import enum
import itertools
import os
import random
import textwrap
import time

import pytest

from wunderspec_smt.analysis.ranges import Itv, bits_for, int_range, itv_div, itv_mod, itv_mul, itv_pow
from wunderspec_smt.errors import EvaluationError
from wunderspec_smt.interp.evaluate import eval_term
from wunderspec_smt.interp.stepper import UnboundedPick, init_states, next_states
from wunderspec_smt.ir import ActionIR, Block, Choice, Model, Pick, Schema, VarDecl, iter_terms
from wunderspec_smt.lang import terms as T
from wunderspec_smt.lang.sorts import INT, SetSort
from wunderspec_smt.lang.values import ListValue, MapValue, RecordValue, VariantValue
from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _model(tmp_path, body: str, instance=None) -> Model:
    path = tmp_path / "spec.py"
    path.write_text("from wunderspec_smt import *\n\n" + textwrap.dedent(body))
    return compile_model(load_spec(str(path)), instance)


def _range(model: Model, depth: int):
    return int_range(model, depth, list(model.properties.values()))


# --- hand-computed cases ---------------------------------------------------------------------

COUNTER = """
@state
class S(MachineStateBase):
    x: StateVar[int]

@action
def init(c: Context[S]):
    c.state.x = 0

@action
def step(c: Context[S]):
    c.state.x = c.state.x + 1
"""


def test_counter_grows_with_the_depth(tmp_path):
    m = _model(tmp_path, COUNTER)
    # reachable values 0..5, and the step out of the last state computes 6
    assert int_range(m, 5) == (0, 6)
    assert int_range(m, 0) == (0, 1)
    assert int_range(m, 30) == (0, 31)


def test_counter_wrapped_by_modulo_is_bounded_at_any_depth(tmp_path):
    m = _model(tmp_path, COUNTER.replace("c.state.x + 1", "(c.state.x + 1) % 4"))
    assert int_range(m, 5) == (0, 4)      # x + 1 reaches 4 before the modulo
    assert int_range(m, 1000) == (0, 4)   # a fixpoint: the depth does not matter


PICK = """
@state
class S(MachineStateBase):
    x: StateVar[int]

@action
def init(c: Context[S]):
    c.state.x = 0

@action
def step(c: Context[S]):
    with c.one_of(DOMAIN) as v:
        c.state.x = v
"""


def test_pick_from_an_interval(tmp_path):
    assert int_range(_model(tmp_path, PICK.replace("DOMAIN", "Interval(0, 9)")), 3) == (0, 9)
    assert int_range(_model(tmp_path, PICK.replace("DOMAIN", "Set(-3, 7)")), 3) == (-3, 7)


@pytest.mark.parametrize("domain", ["Ints", "UnsignedInts"])
def test_pick_from_an_infinite_set_is_unbounded(tmp_path, domain):
    assert int_range(_model(tmp_path, PICK.replace("DOMAIN", domain)), 3) is None


def test_membership_in_ints_computes_no_int(tmp_path):
    m = _model(tmp_path, COUNTER.replace("c.state.x = c.state.x + 1",
                                         "c.assume(c.state.x.in_(UnsignedInts))\n    c.state.x = c.state.x + 1"))
    assert int_range(m, 3) == (0, 4)


def test_exists_over_ints_in_a_property_is_unbounded(tmp_path):
    m = _model(tmp_path, COUNTER + """
@example
def has_half(s: S):
    return Exists(2 * y == s.x for y in Ints)
""")
    assert int_range(m, 3) == (0, 4)
    assert _range(m, 3) is None


def test_map_of_ints(tmp_path):
    m = _model(tmp_path, """
@state
class S(MachineStateBase):
    m: StateVar[dict[int, int]]

@action
def init(c: Context[S]):
    c.state.m = Map(Val(0) for i in Interval(1, 3))

@action
def step(c: Context[S]):
    with c.one_of(c.state.m.keys) as k:
        c.state.m[k] = c.state.m[k] + 2
""")
    # values 0, 2, ..., 2 * 4 reachable in 4 steps, 10 computed by the step out of them; keys 1..3
    assert int_range(m, 4) == (0, 10)


SET_OF_INTS = """
@state
class S(MachineStateBase):
    s: StateVar[set[int]]
    n: StateVar[int]
    total: StateVar[int]

@action
def init(c: Context[S]):
    c.state.s = Set(int)
    c.state.n = 0
    c.state.total = 0

@action
def step(c: Context[S]):
    s = c.state
    with c.one_of(Interval(0, 9)) as v:
        s.s = s.s | Set(v)
        s.n = s.s.size
        s.total = s.s.reduce(lambda acc, x: acc + x, 0)
"""


def test_cardinality_is_bounded_by_the_element_range(tmp_path):
    m = _model(tmp_path, SET_OF_INTS)
    lo, hi = int_range(m, 3)
    assert lo == 0 and hi >= 9
    lo, hi = int_range(m, 40)
    assert lo == 0 and 45 <= hi <= 90  # the sum of 0..9 is reachable; a fold of at most 10 elements of 0..9


def test_cardinality_of_a_set_of_enum_members(tmp_path):
    m = _model(tmp_path, """
import enum

class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3

@state
class S(MachineStateBase):
    seen: StateVar[set[Color]]
    n: StateVar[int]

@action
def init(c: Context[S]):
    c.state.seen = Set(Color)
    c.state.n = 0

@action
def step(c: Context[S]):
    with c.one_of(Set(Color.RED, Color.GREEN, Color.BLUE)) as col:
        c.state.seen = c.state.seen | Set(col)
        c.state.n = c.state.seen.size
""")
    assert int_range(m, 50) == (0, 3)


def test_fold_over_a_growing_list(tmp_path):
    m = _model(tmp_path, """
@state
class S(MachineStateBase):
    log: StateVar[list[int]]
    total: StateVar[int]

@action
def init(c: Context[S]):
    c.state.log = List(int)
    c.state.total = 0

@action
def step(c: Context[S]):
    s = c.state
    with c.one_of(Interval(1, 3)) as v:
        s.log = s.log + List(v)
        s.total = s.log.reduce(lambda acc, x: acc + x, 0)
""")
    lo, hi = int_range(m, 4)
    assert lo == 0 and 15 <= hi <= 20  # 5 elements of at most 3 after the step out of depth 4


def test_fold_whose_accumulator_keeps_growing_over_an_unbounded_set(tmp_path):
    m = _model(tmp_path, PICK.replace("DOMAIN", "Ints") + """
@invariant
def small(s: S):
    return Set(s.x).reduce(lambda acc, y: acc + y, 0) < 10
""")
    assert _range(m, 2) is None


def test_division_and_modulo_by_a_possibly_zero_divisor(tmp_path):
    m = _model(tmp_path, """
@state
class S(MachineStateBase):
    d: StateVar[int]
    q: StateVar[int]
    r: StateVar[int]

@action
def init(c: Context[S]):
    c.state.d = 0
    c.state.q = 0
    c.state.r = 0

@action
def step(c: Context[S]):
    s = c.state
    with c.one_of(Interval(-2, 3)) as v:
        s.d = v
        c.assume(s.d != 0)
        s.q = 100 // s.d
        s.r = 17 % s.d
""")
    lo, hi = int_range(m, 3)
    assert lo <= -50 and hi >= 100 and bits_for(lo, hi) <= 9


def test_lists_and_variants(tmp_path):
    m = compile_model(load_spec(os.path.join(ROOT, "tests", "specs", "queue_union.py")))
    lo, hi = _range(m, 4)
    assert 3 <= hi <= 20 and -hi <= lo <= 0  # a slice computes stop - start before clamping at 0


def test_a_model_without_ints(tmp_path):
    m = compile_model(load_spec(os.path.join(ROOT, "benchmarks", "specs", "two_phase.py")), "rm3")
    assert _range(m, 5) == (0, 0)


def test_a_pick_bound_in_two_places_is_joined():
    """The builder makes one pick variable per one_of, but the analysis must not rely on it."""
    v = T.fresh_pick("v", INT)
    dom1 = T.const(frozenset({1, 2}), SetSort(INT))
    dom2 = T.const(frozenset({50}), SetSort(INT))
    x = T.mk(T.SVAR, (), INT, "x")
    branch1 = Block((Pick(v, dom1, "v"),), (("x", T.mk(T.ADD, (v, T.const(1, INT)), INT)),))
    branch2 = Block((Pick(v, dom2, "v"),), ())
    step = ActionIR("step", Block((Choice(("a", "b"), (branch1, branch2)),), (("x", x),)), False)
    init = ActionIR("init", Block((), (("x", T.const(0, INT)),)), True)
    m = Model("inline", "default", Schema("S", (VarDecl("x", INT),), ()), {}, init, step)
    assert int_range(m, 1) == (0, 51)


def test_bits_for():
    assert bits_for(0, 0) == 2
    assert bits_for(-1, 1) == 2
    assert bits_for(-2, 1) == 2
    assert bits_for(0, 2) == 3
    assert bits_for(-3, 0) == 3
    assert bits_for(-128, 127) == 8
    assert bits_for(0, 128) == 9
    assert bits_for(-129, 0) == 9
    assert bits_for(0, 2 ** 32 - 1) == 33


# --- interval arithmetic against brute force ---------------------------------------------------

def _random_itvs(rng, n):
    for _ in range(n):
        a, b = sorted(rng.randint(-12, 12) for _ in range(2))
        yield Itv(a, b)


@pytest.mark.parametrize("name, fn, op", [
    ("div", itv_div, lambda x, y: None if y == 0 else x // y),
    ("mod", itv_mod, lambda x, y: None if y == 0 else x % y),
    ("mul", itv_mul, lambda x, y: x * y),
    ("pow", itv_pow, lambda x, y: None if y < 0 or (x == 0 and y == 0) else x ** y),
])
def test_interval_operators_contain_every_concrete_result(name, fn, op):
    rng = random.Random(name)
    for a, b in itertools.product(list(_random_itvs(rng, 25)), repeat=2):
        out = fn(a, b)
        for x in range(a.lo, a.hi + 1):
            for y in range(b.lo, b.hi + 1):
                r = op(x, y)
                if r is not None:
                    assert out.lo <= r <= out.hi, (name, a, b, x, y, r, out)


def test_interval_operators_with_unbounded_ends():
    assert itv_div(Itv(0, 10), Itv(1, None)) == Itv(0, 10)
    assert itv_div(Itv(None, 3), Itv(1, 2)) == Itv(None, None)
    assert itv_mod(Itv(None, None), Itv(1, 5)) == Itv(0, 4)
    assert itv_mod(Itv(0, None), Itv(3, None)) == Itv(0, None)
    assert itv_mul(Itv(0, 0), Itv(None, None)) == Itv(0, 0)


# --- soundness against explicit search -----------------------------------------------------------

def _ints_in(v, out: list) -> None:
    """Every int inside a concrete value (list lengths included), appended to out."""
    if isinstance(v, bool) or isinstance(v, enum.Enum):
        return
    if isinstance(v, int):
        out.append(v)
    elif isinstance(v, ListValue):
        out.append(len(v))
        for x in v:
            _ints_in(x, out)
    elif isinstance(v, (tuple, frozenset)):
        for x in v:
            _ints_in(x, out)
    elif isinstance(v, MapValue):
        for k, x in v.items():
            _ints_in(k, out)
            _ints_in(x, out)
    elif isinstance(v, RecordValue):
        for _, x in v.items():
            _ints_in(x, out)
    elif isinstance(v, VariantValue):
        _ints_in(v.payload, out)


def _closed_int_subterms(terms) -> list:
    """The Int sub-terms without bound variables or picks: the encoder computes them on every state."""
    seen, out = set(), []
    for t in terms:
        for u in T.subterms(t):
            if u.uid in seen:
                continue
            seen.add(u.uid)
            if u.sort == INT and not u.fv and not _has_pick(u):
                out.append(u)
    return out


def _has_pick(t) -> bool:
    return any(u.op in (T.PICK, T.FREE) for u in T.subterms(t))


def _explore(model: Model, depth: int, budget: int = 30_000):
    """(states reachable in at most depth steps, ints seen up to depth + 1 steps in states, picks, arguments)."""
    names = [d.name for d in model.schema.vars]
    ints: list = []

    def seen_step(info, post) -> tuple:
        for _, v in info.picks:
            _ints_in(v, ints)
        for call in info.calls:
            for _, v in call.args:
                _ints_in(v, ints)
        for v in post.values():
            _ints_in(v, ints)
        return tuple(post[n] for n in names)

    states: dict = {}
    try:
        for info, post in init_states(model):
            states[seen_step(info, post)] = post
    except UnboundedPick:
        raise
    except EvaluationError:
        pass  # an undefined init path: the states before it are still initial states
    frontier = list(states.values())
    for d in range(depth + 1):
        nxt = []
        for pre in frontier:
            try:
                for info, post in next_states(model, pre):
                    k = seen_step(info, post)
                    if d < depth and k not in states:
                        states[k] = post
                        nxt.append(post)
            except EvaluationError:
                continue  # an undefined step: BMC reports it; its other successors are not needed here
        frontier = nxt
        assert len(states) <= budget, "too many states for a unit test: lower the depth"
    return list(states.values()), ints


def _spec_cases():
    cases = []
    for folder in ("examples", os.path.join("tests", "specs"), os.path.join("benchmarks", "specs")):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(".py") and not name.startswith("bad_"):
                cases.append(os.path.join(folder, name))
    return cases


# (spec, instance) -> depth for the cross-check; unlisted pairs use DEFAULT_DEPTH
DEFAULT_DEPTH = 3
DEPTHS = {
    ("benchmarks/specs/ewd840.py", "n3"): 3, ("benchmarks/specs/paxos.py", "a3v2b1"): 4,
    ("benchmarks/specs/bakery.py", "n2"): 4, ("benchmarks/specs/seq_wrap.py", "mod3"): 4,
    ("benchmarks/specs/hanoi.py", "d3"): 4, ("benchmarks/specs/raft.py", "s3"): 3,
    ("benchmarks/specs/two_phase.py", "rm3"): 4, ("benchmarks/specs/bcast_folklore.py", "n4"): 2,
    ("benchmarks/specs/allocator.py", "c2r2"): 3, ("examples/counter.py", None): 4,
    ("tests/specs/queue_union.py", None): 4, ("examples/dns_balancer.py", "small"): 2,
}
FULL_SIZE = {"n5", "n10", "n20", "rm7", "a3v2b4", "s5", "c5r3", "d5", "mod8", "default", "age2"}


def _instances(rel: str):
    sm = load_spec(os.path.join(ROOT, rel))
    insts = list(sm.instances) or [None]
    small = [i for i in insts if i not in FULL_SIZE or len(insts) == 1]
    return sm, small


def _assert_sound(model: Model, depth: int, what: str) -> bool:
    """Cross-check int_range against explicit search; False when there is nothing to compare."""
    props = list(model.properties.values())
    rng = int_range(model, depth, props)
    if rng is None:
        return False
    lo, hi = rng
    try:
        states, ints = _explore(model, depth)
    except UnboundedPick:
        return False  # e.g. a pick from 0..2**32-1: not enumerable
    bad = [v for v in ints if not lo <= v <= hi]
    assert not bad, f"{what} depth {depth}: {sorted(set(bad))[:5]} outside {rng}"
    subterms = _closed_int_subterms([p.term for p in props] + list(iter_terms(model.step.root)))
    svars = {d.name: model.svar(d.name) for d in model.schema.vars}
    for st in states:
        env = {svars[n]: v for n, v in st.items()}
        for u in subterms:
            try:
                v = eval_term(u, env)
            except EvaluationError:
                continue
            assert lo <= v <= hi, f"{what} depth {depth}: `{u}` = {v} outside {rng}"
    return True


@pytest.mark.parametrize("rel", _spec_cases())
def test_sound_against_explicit_search(rel):
    sm, instances = _instances(rel)
    for inst in instances:
        depth = DEPTHS.get((rel.replace(os.sep, "/"), inst), DEFAULT_DEPTH)
        _assert_sound(compile_model(sm, inst), depth, f"{rel} {inst}")


COLLECTIONS = """
@union
class Msg:
    Req: Variant[int]
    Ack: Variant[tuple[int, int]]
    Stop: Variant[Unit]

@state
class S(MachineStateBase):
    log: StateVar[list[int]]
    msg: StateVar[Msg]
    seen: StateVar[set[int]]
    ages: StateVar[dict[int, int]]
    n: StateVar[int]

@action
def init(c: Context[S]):
    s = c.state
    s.log = List(2, 5)
    s.msg = Msg.Stop()
    s.seen = Set(int)
    s.ages = Map(int, int)
    s.n = 0

@action
def step(c: Context[S]):
    s = c.state
    alts = c.alternatives("grow", "slice", "msg", "sets", "maps", "stats")
    with alts[0]:
        c.assume(s.log.size < 4)
        with c.one_of(Interval(-3, 3)) as v:
            s.log = s.log + List(v) + Range(0, 2)
    with alts[1]:
        with c.one_of(Interval(-3, 2)) as a:
            s.log = s.log[a:] + s.log[:a].filter(lambda x: x > 0)
            s.n = s.log.keys.size
    with alts[2]:
        with c.one_of(Set(1, 2)) as k:
            s.msg = s.msg.match(Req=lambda x: Msg.Ack((x, k)), Ack=lambda p: Msg.Req(p[0] + p[1]),
                                default=Msg.Req(k))
            s.n = s.msg.match(Ack=lambda p: p[1] * 3, default=Val(7))
    with alts[3]:
        with c.one_of(s.log.keys) as i:
            s.seen = s.seen | Set(s.log[i])
            s.log = s.log.replace(i, s.log[i] * 2)
            s.n = Max(s.seen) - Min(s.seen)
    with alts[4]:
        with c.one_of(Set(Tuple(1, 2), Tuple(3, 4))) as kv:
            s.ages = s.ages.insert(kv[0], kv[1] + s.ages.size)
            s.n = s.ages.values.reduce(lambda acc, x: acc + x, 0) + s.ages.reduce(lambda acc, k, v: acc + k, 0)
    with alts[5]:
        s.n = Set(s.seen, Set(9)).flattened.size + s.seen.choose(lambda x: x >= -100) // 3 \
            + AllSubsets(Interval(1, 3)).size - s.log.reduce(lambda acc, x: Ite(acc < x, x, acc), -1) % 5
"""


def test_collections_and_unions_are_bounded_and_sound(tmp_path):
    m = _model(tmp_path, COLLECTIONS)
    lo, hi = int_range(m, 3)
    assert bits_for(lo, hi) <= 12
    assert _assert_sound(m, 3, "collections")


def test_random_specs_sound():
    """Random specs of the differential tests (ints, sets, maps, records, guards, partial ops)."""
    from test_differential_random import SpecGen, load_source
    compared = 0
    for seed in range(60):
        compared += _assert_sound(load_source(SpecGen(rng=random.Random(seed)).build()), 4, f"seed {seed}")
    assert compared >= 50


# --- precision on the benchmarks ------------------------------------------------------------------

BENCHMARKS = [
    ("ewd840.py", "n10", 30), ("paxos.py", "a3v2b4", 13), ("bcast_folklore.py", "n20", 10),
    ("bakery.py", "n5", 8), ("two_phase.py", "rm7", 10), ("raft.py", "s5", 8),
    ("allocator.py", "c5r3", 7), ("hanoi.py", "d5", 31), ("seq_wrap.py", "mod8", 27),
]


@pytest.mark.parametrize("spec, instance, depth", BENCHMARKS)
def test_benchmarks_need_few_bits(spec, instance, depth):
    model = compile_model(load_spec(os.path.join(ROOT, "benchmarks", "specs", spec)), instance)
    start = time.perf_counter()
    rng = int_range(model, depth, list(model.properties.values()))
    elapsed = time.perf_counter() - start
    assert rng is not None
    assert bits_for(*rng) <= 12
    assert elapsed < 5.0  # about 0.01 s in practice; generous for a loaded machine


# --- all-depth bounds (reachable_bounds), for the proof engines' generic states -----------------

def _within(bound, value, sort) -> bool:
    from wunderspec_smt.analysis.ranges import alpha, join
    return join(bound, alpha(value, sort)) == bound


@pytest.mark.parametrize("rel", _spec_cases())
def test_reachable_bounds_hold_every_explored_state(rel):
    """Every state explicit search reaches (to a small depth) lies within the widened fixpoint."""
    from wunderspec_smt.analysis.ranges import reachable_bounds
    sm, insts = _instances(rel)
    for inst in insts:
        model = compile_model(sm, inst)
        bounds = reachable_bounds(model)
        if bounds is None:
            continue
        try:
            states, _ = _explore(model, DEPTHS.get((rel, inst), DEFAULT_DEPTH))
        except UnboundedPick:
            continue
        sorts = {d.name: d.sort for d in model.schema.vars}
        for st in states:
            for name, v in st.items():
                assert _within(bounds[name], v, sorts[name]), f"{rel} {inst}: {name} = {v} outside {bounds[name]}"


def test_reachable_bounds_widen_a_counter_but_keep_a_wrapped_one(tmp_path):
    from wunderspec_smt.analysis.ranges import reachable_bounds
    model = _model(tmp_path, COUNTER)
    assert reachable_bounds(model) == {"x": Itv(0, None)}
    wrapped = _model(tmp_path, """
    @state
    class S(MachineStateBase):
        x: StateVar[int]
        seen: StateVar[set[int]]

    @action
    def init(c: Context[S]):
        c.state.x = 0
        c.state.seen = Set(int)

    @action
    def step(c: Context[S]):
        c.state.seen = c.state.seen | Set(c.state.x)
        c.state.x = (c.state.x + 1) % 5
    """)
    bounds = reachable_bounds(wrapped)
    assert bounds["x"] == Itv(0, 4)
    assert bounds["seen"].elem == Itv(0, 4)
