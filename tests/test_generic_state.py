"""A generic (unconstrained) state of every supported sort, for the proof engines."""
from __future__ import annotations

import enum

import z3

from wunderspec_smt.encoders import symvals as V
from wunderspec_smt.encoders.shapes import Universe
from wunderspec_smt.lang.sorts import BOOL, INT, STR, EnumSort, MapSort, SetSort, TupleSort, make_record_sort


class Color(enum.Enum):
    RED = 1
    GREEN = 2


def _solver(constraints):
    s = z3.Solver()
    s.add(*constraints)
    return s


def test_generic_set_of_ints_counts_distinct_elements():
    u = Universe([])
    cons: list = []
    g = u.generic(SetSort(INT), "S", cons, capacity=3)
    s = _solver(cons)
    size = V.set_card(SetSort(INT), g)
    # any size from 0 to the capacity is possible, and never more
    for n in range(4):
        assert s.check(V.zi(size) == n) == z3.sat
    assert s.check(V.zi(size) > 3) == z3.unsat
    # two present slots never hold the same element, so size is the number of present slots
    s.add(V.zi(size) == 3)
    assert s.check() == z3.sat
    m = s.model()
    assert len(u.decode(SetSort(INT), g, m)) == 3


def test_generic_values_of_finite_sorts_are_exact():
    u = Universe(["a", "b"])
    rec = make_record_sort({"c": EnumSort(Color), "s": STR})
    cons: list = []
    g = u.generic(SetSort(rec), "R", cons)
    assert len(g.slots) == 4  # one presence bit per possible record, no capacity bound
    m_sort = MapSort(STR, TupleSort((BOOL, INT)))
    gm = u.generic(m_sort, "M", cons)
    s = _solver(cons)
    s.add(V.zb(V.map_has(m_sort, gm, 0)), V.zb(V.b_not(V.map_has(m_sort, gm, 1))))
    assert s.check() == z3.sat
    assert set(u.decode(m_sort, gm, s.model()).keys()) == {"a"}


def test_generic_map_with_int_keys_has_distinct_keys():
    u = Universe([])
    sort = MapSort(INT, INT)
    cons: list = []
    g = u.generic(sort, "M", cons, capacity=2)
    s = _solver(cons)
    s.add(V.zb(V.map_has(sort, g, 7)), V.zi(V.set_card(SetSort(INT), V.map_keys(sort, g))) == 2)
    assert s.check() == z3.sat
    assert 7 in u.decode(sort, g, s.model())
