"""The DSL's expression constructs against Python reference semantics (concrete evaluator).

The cases live in tests/lang_cases.py so that the symbolic encoders can be checked
against the same table.
"""
from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings

from wunderspec_smt import Map, Set, SpecError, Tuple, Val, Var
from wunderspec_smt.errors import EvaluationError
from wunderspec_smt.interp.evaluate import eval_term
from wunderspec_smt.lang import terms as T
from wunderspec_smt.lang.values import show_value, value_key

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lang_cases import CASE_NAMES, CASES, Color, Point  # noqa: E402


def same(a, b) -> bool:
    """Equality that also compares kinds (True is not 1, a tuple is not a record)."""
    return a == b and value_key(a) == value_key(b)


@pytest.mark.parametrize("case", CASES, ids=CASE_NAMES)
def test_case_against_python(case):
    term = case.term()
    assert not term.fv, "a case must not leak bound variables"
    frees = {u for u in T.subterms(term) if u.op == T.FREE}
    assert frees <= set(case.var_terms()), f"{case.name} uses variables it does not declare"

    def check(values):
        ok, expected = case.expected(values)
        env = case.env(values)
        if ok:
            got = eval_term(term, env)
            assert same(got, expected), f"{case.name}{values}: got {show_value(got)}, expected {show_value(expected)}"
        else:
            with pytest.raises(EvaluationError):
                eval_term(term, env)

    # many cheap pseudo-random values, then hypothesis (which finds edge cases and shrinks)
    for values in case.sample_values(60):
        check(values)
    settings(max_examples=10, deadline=None, database=None,
             suppress_health_check=[HealthCheck.too_slow])(given(case.values_strategy())(check))()


def test_table_is_large_and_covers_partial_cases():
    assert len(CASES) > 150
    names = set(CASE_NAMES)
    for n in ("int_div", "int_mod", "map_lookup", "set_comprehension_two_for", "record_underscore_replace",
              "tuple_alltuples", "set_flattened_var", "map_comprehension", "ite_if_else"):
        assert n in names


@pytest.mark.parametrize("a, b", [(-100, 3), (100, -3), (-100, -3), (7, 2), (-7, 2), (0, -5)])
def test_floor_semantics_examples(a, b):
    x, y = Var("x", int), Var("y", int)
    env = {x.term: a, y.term: b}
    assert eval_term((x / y).term, env) == a // b
    assert eval_term((x % y).term, env) == a % b
    # constant-folded forms agree
    assert (Val(a) / b).term.data == a // b
    assert (Val(a) % b).term.data == a % b


def test_partial_operations_raise():
    x, y = Var("x", int), Var("y", int)
    m = Var("m", dict[int, int])
    for e, env in [(x / y, {x.term: 1, y.term: 0}), (x % y, {x.term: 1, y.term: 0}),
                   (x ** y, {x.term: 2, y.term: -1}), (x ** y, {x.term: 0, y.term: 0}),
                   (m[x], {x.term: 3, m.term: Map((1, 2)).term.data})]:
        with pytest.raises(EvaluationError):
            eval_term(e.term, env)


# --- error reporting -----------------------------------------------------------------------

def _here(offset: int) -> int:
    return sys._getframe(1).f_lineno + offset


def _assert_points_here(err: SpecError, line: int) -> None:
    assert err.loc is not None
    assert os.path.abspath(err.loc.file) == os.path.abspath(__file__)
    assert err.loc.line == line
    assert f"{os.path.basename(__file__)}:{line}" in str(err)


def test_sort_mismatch_names_file_and_line():
    x = Var("x", int)
    line = _here(2)
    with pytest.raises(SpecError) as ei:
        x + Val(True)
    assert "sort mismatch" in str(ei.value)
    _assert_points_here(ei.value, line)


@pytest.mark.parametrize("build", [
    lambda: Var("x", int) < "a",
    lambda: Set(1, 2) | Set("a"),
    lambda: Var("b", bool) & 3,
    lambda: Set(Var("x", int), True),
    lambda: Tuple(1, 2) == Tuple(1, True),
    lambda: Map((1, 2)).insert("k", 3),
    lambda: Var("x", int).in_(Set("a")),
])
def test_other_sort_mismatches(build):
    with pytest.raises(SpecError) as ei:
        build()
    assert ei.value.loc is not None and os.path.abspath(ei.value.loc.file) == os.path.abspath(__file__)


def test_python_if_on_expression_is_refused():
    x = Var("x", int)
    line = _here(2)
    with pytest.raises(SpecError) as ei:
        if x > 0:
            pass
    assert "Mixing Python Booleans" in str(ei.value)
    _assert_points_here(ei.value, line)
    b = Var("b", bool)
    for f in (lambda: not b, lambda: b and b, lambda: b or b, lambda: bool(b)):
        with pytest.raises(SpecError, match="Mixing Python Booleans"):
            f()


def test_unknown_record_field():
    r = Var("r", Point)
    line = _here(2)
    with pytest.raises(SpecError) as ei:
        r.z
    assert "no field 'z'" in str(ei.value)
    _assert_points_here(ei.value, line)
    with pytest.raises(SpecError, match="no field"):
        r["z"]
    with pytest.raises(SpecError, match="no field"):
        r.replace(z=1)
    with pytest.raises(SpecError, match="no field"):
        r._.replace(z=1)
    with pytest.raises(SpecError, match="missing field"):
        Point(x=1)
    with pytest.raises(SpecError, match="unknown field"):
        Point(x=1, y=2, z=3)


def test_enum_and_str_are_not_ordered():
    with pytest.raises((SpecError, TypeError)):
        Var("e", Color) < Color.RED
