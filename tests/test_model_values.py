"""Reading a model's values through the C API (solvers/model_values.py)."""
import pytest
import z3

from wunderspec_smt.errors import InternalError
from wunderspec_smt.solvers.model_values import ModelValues, model_values


def _model(*constraints):
    s = z3.SolverFor("QF_BV")
    s.add(*constraints)
    assert s.check() == z3.sat
    return s.model()


def test_bit_vector_integers_are_signed_and_codes_unsigned():
    x, y = z3.BitVec("mv_x", 6), z3.BitVec("mv_y", 6)
    m = ModelValues(_model(x == -5, y == 60))
    assert m.integer(x) == -5
    assert m.code(x) == 59          # the same bits, read as a code
    assert m.integer(y) == -4 and m.code(y) == 60
    assert m.integer(x + 1) == -4   # any term, not only symbols


def test_booleans_and_python_values_pass_through():
    b, c = z3.Bool("mv_b"), z3.Bool("mv_c")
    m = ModelValues(_model(b, z3.Not(c)))
    assert m.boolean(b) is True and m.boolean(c) is False
    assert m.boolean(z3.Or(b, c)) is True
    assert m.boolean(False) is False and m.integer(7) == 7 and m.code(2) == 2


def test_mathematical_integers_of_any_size():
    i = z3.Int("mv_i")
    m = ModelValues(_model(i == -(10 ** 30)))
    assert m.integer(i) == -(10 ** 30)


def test_a_symbol_the_model_leaves_free_gets_its_default():
    free = z3.BitVec("mv_free", 4)
    m = ModelValues(_model(z3.Bool("mv_other")))
    assert m.code(free) == 0 and m.integer(free) == 0
    assert m.boolean(z3.Bool("mv_free_b")) is False


def test_answers_agree_with_z3s_own_evaluation_and_are_cached():
    xs = [z3.BitVec(f"mv_v{k}", 5) for k in range(20)]
    zm = _model(*(x == k - 10 for k, x in enumerate(xs)))
    m = model_values(zm)
    assert model_values(m) is m     # a ModelValues is passed on, with its cache
    for x in xs:
        assert m.integer(x) == zm.eval(x, model_completion=True).as_signed_long()
    assert len(m._ints) == 20
    assert m.integer(xs[3]) == -7 and len(m._ints) == 20


def test_no_model_is_an_internal_error_not_a_crash():
    with pytest.raises(InternalError):
        ModelValues(None).code(z3.BitVec("mv_none", 3))
