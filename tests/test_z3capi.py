"""The unchecked C-API term builders give z3py's own terms, and Z3's errors."""
import gc

import pytest
import z3

from wunderspec_smt.encoders import symvals as V
from wunderspec_smt.encoders.rename import Renamer, match_states
from wunderspec_smt.solvers import z3capi as Z


def test_unchecked_falls_back_to_the_checked_wrapper_when_z3core_is_built_otherwise():
    def plain(a, b):   # a wrapper without z3core's hidden default argument
        return a + b

    assert Z.unchecked(plain) is plain
    assert Z.unchecked(z3.z3core.Z3_model_eval) is not z3.z3core.Z3_model_eval   # the raw C function


def test_builders_make_the_terms_z3py_makes():
    a, b, c = z3.Bools("capi_a capi_b capi_c")
    x, y = z3.BitVecs("capi_x capi_y", 8)
    built = [Z.mk_and([a, b, c]), Z.mk_or([a, b]), Z.mk_not(a), Z.mk_implies(a, b), Z.mk_eq(x, y),
             Z.mk_ite(z3.BitVecRef, a, x, y), Z.mk_ite(z3.BoolRef, a, b, c)]
    expected = [z3.And(a, b, c), z3.Or(a, b), z3.Not(a), z3.Implies(a, b), x == y, z3.If(a, x, y), z3.If(a, b, c)]
    for t, e in zip(built, expected):
        assert t.eq(e)
        assert isinstance(t, type(e)) and Z.plain_class(type(t)) is type(e)
    assert Z.bv_size(x) == 8 and Z.bv_size(Z.mk_ite(z3.BitVecRef, a, x, y)) == 8


def test_a_failed_call_raises_z3s_error_and_leaves_no_error_behind():
    a, x = z3.Bool("capi_e"), z3.BitVec("capi_ex", 4)
    with pytest.raises(z3.Z3Exception, match="incompatible"):
        Z.mk_eq(a, x)
    with pytest.raises(z3.Z3Exception):
        Z.mk_ite(z3.BitVecRef, a, x, a)
    assert z3.And(a, a).eq(z3.And(a, a))   # the next checked call does not see a stale error


def test_terms_outlive_their_builders_and_are_released():
    a = z3.Bool("capi_r")
    for _ in range(3):
        terms = [Z.mk_not(Z.mk_eq(a, z3.Bool(f"capi_r{i}"))) for i in range(2000)]
        s = z3.Solver()
        s.add(Z.mk_and(terms))
        del terms
        gc.collect()
        assert s.check() == z3.sat


def test_renaming_matches_states_whatever_class_built_their_terms():
    p, q = z3.Bools("capi_p capi_q")
    built = Z.mk_and([p, q])
    plain = z3.And(p, q)
    assert match_states({"v": (built,)}, {"v": (plain,)}) is not None
    r = Renamer([(p, q)])
    assert r.term(built).eq(z3.And(q, q))


def test_without_the_fast_path_the_builders_use_z3pys_classes(monkeypatch):
    monkeypatch.setattr(Z, "FAST", False)
    a, b = z3.Bools("capi_f capi_g")
    t = Z.mk_eq(a, b)
    assert type(t) is z3.BoolRef and t.eq(a == b)
    assert V.b_and(a, b).eq(z3.And(a, b))


def test_constants_are_z3pys_constants():
    for name, sort, made in (("capi_cb", "bool", z3.Bool("capi_cb")), ("capi_ci", "int", z3.Int("capi_ci")),
                             ("capi_cv", 6, z3.BitVec("capi_cv", 6))):
        c = Z.mk_const(name, sort)
        assert c.eq(made) and isinstance(c, type(made)) and Z.is_symbol(c)
    x = z3.BitVec("capi_sym", 4)
    assert Z.is_symbol(x)
    assert not Z.is_symbol(z3.BitVecVal(3, 4)) and not Z.is_symbol(x + 1) and not Z.is_symbol(z3.BoolVal(True))


def test_negation_removes_a_double_negation():
    p, q = z3.Bools("capi_np capi_nq")
    assert Z.negation(p).eq(z3.Not(p))
    assert Z.negation(z3.Not(p)).eq(p) and Z.negation(Z.mk_not(q)).eq(q)
    assert Z.negation(z3.And(p, q)).eq(z3.Not(z3.And(p, q)))
    assert V.b_not(Z.negation(p)).eq(p) and V.b_not(True) is False
