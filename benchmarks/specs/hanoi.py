"""Towers of Hanoi: a deep reachability search (the goal needs 2^n - 1 moves).

Source
------
The puzzle of É. Lucas (1883); it is a classic deep-search benchmark for model
checkers because its only solutions are long: moving n disks needs at least
2^n - 1 moves (induction on n: the largest disk moves at least once, and
before its first move the n - 1 smaller ones must all sit on the third peg,
and after its last move they must all be moved onto it). Our own rendering in
the wunderspec DSL.

What is modelled
----------------
Disks ``1..N`` (1 is the smallest) and three pegs; ``on[d]`` is the peg disk
d sits on. Initially every disk is on peg A. One transition moves one disk d
to another peg t, if no smaller disk is on d's peg (d is on top) and no
smaller disk is on t (d may be put there).

The properties
--------------
* ``solved`` (``@example``): every disk is on peg C. **Found**; the shortest
  witness has exactly **2^N - 1** transitions: **31** for N = 5, 7 for N = 3.
  Every depth below that is a real ``unsat`` answer of the solver, so this
  case measures how the search scales with depth.

Instances and expected verdicts
-------------------------------
* ``d5`` (5 disks), target depth 31: ``solved`` **found** in 31.
* ``d3`` (3 disks, for tests): ``solved`` **found** in 7.
"""
import enum

from wunderspec_smt import *


class Peg(enum.Enum):
    A = "A"
    B = "B"
    C = "C"


PEGS = Set(Peg.A, Peg.B, Peg.C)


@state
class Hanoi(MachineStateBase):
    N: Param[int]
    on: StateVar[dict[int, Peg]]


@instance
def d5() -> Hanoi:
    return Hanoi(N=5)


@instance
def d3() -> Hanoi:
    return Hanoi(N=3)


def disks(s):
    return Interval(1, s.N)


@action
def init(c: Context[Hanoi]):
    c.state.on = Map(Val(Peg.A) for d in disks(c.state))


@action(inline=False)
def move(c: Context[Hanoi], d: int, to: Peg):
    s = c.state
    c.assume(s.on[d] != to)
    c.assume(Forall(Implies(e < d, And(s.on[e] != s.on[d], s.on[e] != to)) for e in disks(s)))
    s.on[d] = to


@action
def step(c: Context[Hanoi]):
    with c.one_of(disks(c.state)) as d:
        with c.one_of(PEGS) as to:
            move(c, d, to)


@example
def solved(s: Hanoi):
    """Every disk is on peg C (shortest witness: 2^N - 1 moves)."""
    return Forall(s.on[d] == Peg.C for d in disks(s))

