"""Integers as bit-vectors (`check --ints auto`) answer exactly like mathematical integers.

BMC encodes integers as small bit-vectors when the range analysis bounds every
integer of the run (engines/bmc.py `int_encoding`). These tests pin that the choice is made where
it should be and that it never changes an answer: the same verdicts and shortest
lengths as `--ints int` on every example and benchmark spec, Python's floor
division and modulo on negative operands, and what the CLI reports.
"""
import json
import os

import pytest

from wunderspec_smt.analysis.ranges import int_range
from wunderspec_smt.engines.bmc import int_encoding, run_bmc
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _model(path: str, instance=None):
    return compile_model(load_spec(os.path.join(ROOT, path)), instance, None, None)


def _answers(model, depth: int, ints: str):
    res = run_bmc(model, list(model.properties.values()), depth, ints=ints,
                  replay=lambda trace: replay_trace(model, trace))
    fault = res.fault.message if res.fault else None
    return fault, {r.name: (r.verdict, r.length) for r in res.results}, res.stats["int_encoding"]


# spec, instance, depth, whether the range analysis bounds it (bit-vectors expected)
CASES = [
    ("examples/counter.py", None, 8, True),
    ("examples/mutex_race.py", None, 7, True),
    ("examples/mutex_fixed.py", None, 8, True),
    ("examples/two_phase_commit.py", None, 8, True),
    ("examples/sloppy_counter.py", None, 4, False),   # picks from 0..2**32-1: too wide
    ("examples/dns_balancer.py", "small", 5, True),
    ("examples/not_inductive.py", None, 6, True),
    ("examples/unbounded_counter.py", None, 6, True),
    ("tests/specs/int_divmod.py", None, 2, True),
    ("tests/specs/power_pick.py", None, 3, False),    # picks records with an Ints field: unbounded
    ("benchmarks/specs/bcast_folklore.py", "n4", 4, True),
    ("benchmarks/specs/paxos.py", "a3v2b1", 6, True),
    ("benchmarks/specs/seq_wrap.py", "mod3", 12, True),
    ("benchmarks/specs/ewd840.py", "n3", 6, True),
]


@pytest.mark.parametrize("path,instance,depth,bounded", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_bitvector_integers_answer_like_mathematical_ones(path, instance, depth, bounded):
    model = _model(path, instance)
    fault_bv, bv, how = _answers(model, depth, "auto")
    fault_int, ints, how_int = _answers(model, depth, "int")
    assert how_int == "int"
    assert how.startswith("bv") == bounded, how
    assert fault_bv == fault_int
    assert bv == ints


def test_auto_width_covers_the_analysed_range_with_spare_bits():
    model = _model("tests/specs/int_divmod.py")
    width = int_encoding(model, list(model.properties.values()), 3)
    lo, hi = int_range(model, 3, list(model.properties.values()))
    assert lo <= -7 and hi >= 9  # x, y, and products such as r * r and y * y
    assert -(2 ** (width - 1)) <= 4 * lo and 4 * hi < 2 ** (width - 1)


@pytest.mark.parametrize("x,y", [(-7, 2), (7, -2), (-7, -2), (-1, 3), (5, -3), (-6, 3), (0, -1)])
def test_floor_division_and_modulo_on_negative_operands(x, y, tmp_path):
    """The solver's q and r for a given x, y are Python's, and no other value is possible."""
    spec = os.path.join(ROOT, "tests/specs/int_divmod.py")
    text = open(spec).read() + f"""

@example
def python_result(s: DivMod):
    return And(s.x == {x}, s.y == {y}, s.q == {x // y}, s.r == {x % y})


@example
def other_result(s: DivMod):
    return And(s.x == {x}, s.y == {y}, Or(s.q != {x // y}, s.r != {x % y}))
"""
    path = tmp_path / "divmod_case.py"
    path.write_text(text)
    model = compile_model(load_spec(str(path)), None, None, None)
    res = run_bmc(model, list(model.properties.values()), 1, replay=lambda t: replay_trace(model, t))
    assert res.stats["int_encoding"].startswith("bv")
    got = {r.name: r.verdict for r in res.results}
    assert got == {"division_identity": "holds", "python_result": "found", "other_result": "not_found"}


def test_cli_says_how_integers_were_encoded(capsys):
    from wunderspec_smt.cli import main
    spec = os.path.join(ROOT, "examples/counter.py")
    for flag, expected in ((["--ints", "auto"], "-bit vectors"), (["--ints", "int"], "mathematical integers")):
        with pytest.raises(SystemExit):
            main(["check", spec, "-k", "3", *flag])
        assert expected in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check", spec, "-k", "3", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["int_encoding"].startswith("bv")


def test_constant_sets_and_maps_are_encoded_in_value_order():
    """Not in hash order, which changes from run to run with the string hash seed (and with it, the
    order of Z3 terms and the solver's search time)."""
    from wunderspec_smt.encoders.shapes import Universe
    from wunderspec_smt.lang.sorts import IntSort, MapSort, SetSort, StrSort
    u = Universe(["c", "a", "b"])
    s = u.const(SetSort(StrSort()), frozenset({"b", "c", "a"}))
    assert [k for k, _ in s.slots] == [u.str_code["a"], u.str_code["b"], u.str_code["c"]]
    m = u.const(MapSort(IntSort(), StrSort()), {3: "a", 1: "b", 2: "c"})
    assert [k for k, _, _ in m.slots] == [1, 2, 3]


def test_if_then_else_of_a_numeral_is_not_a_numeral():
    import z3
    from wunderspec_smt.encoders.symvals import s_ite
    c, x = z3.Bool("c"), z3.BitVec("x", 6)
    r = s_ite(c, 3, x)
    # z3's class or the unchecked subclass of it (solvers/z3capi.py), never a numeral's class
    assert not z3.is_bv_value(r) and isinstance(r, z3.BitVecRef) and not isinstance(r, z3.BitVecNumRef)
    r = s_ite(c, 3, z3.Int("i"))
    assert isinstance(r, z3.ArithRef) and not isinstance(r, z3.IntNumRef)
