"""A true invariant that is not inductive: why ``prove --inductive`` needs a strengthening.

The system
----------
Two integer counters, ``x`` and ``y``, both starting at 0. Each transition is
one of two actions:

* ``inc``   -- ``x += 1`` and ``y += 1``, only while ``y < LIMIT`` (10);
* ``reset`` -- ``x = 0`` and ``y = 0``.

Only ``y`` is tested by the guard; ``x`` merely moves in lockstep with it. The
reachable states are exactly ``x == y == n`` for ``n`` in 0..10 (11 states, all
reached within 10 transitions).

The properties
--------------
* ``x_bounded``: ``x <= LIMIT``. **Holds** in every reachable state
  (``wunderspec-smt check examples/not_inductive.py --max-steps 12`` covers the
  whole state space; ``prove --property x_bounded --method pdr`` proves it for
  every depth, discovering by itself facts that tie ``x`` to ``y``, such as
  "``x >= n`` only if ``y >= n``").

  But it is **not inductive** on its own: the check "every step from a state
  satisfying ``x_bounded`` leads to a state satisfying it" fails.
  ``prove --property x_bounded --inductive x_bounded`` answers *not proved*
  with a counterexample to induction such as::

      pre:  x = 10, y = 0      (x_bounded holds)
      step: inc                (enabled: y = 0 < 10)
      post: x = 11, y = 1      (x_bounded is broken)

  The pre-state is **unreachable** -- in every reachable state ``x == y`` --
  but the inductive check starts from *any* state satisfying the candidate,
  reachable or not, and ``x_bounded`` says nothing about ``y``, the variable
  the guard looks at. For the same reason it is not k-inductive for any
  ``k`` either: from ``x = 11 - k, y = -k``, ``k`` incs make a path of
  distinct states that satisfies ``x_bounded`` until the last, so ``prove
  --method kinduction`` answers *not proved* at every ``--max-k``.

* ``ind_bounded``: ``x == y`` and ``y <= LIMIT``. **Holds**, and is
  inductive (``inc`` keeps ``x == y`` and its guard keeps ``y <= LIMIT``;
  ``reset`` lands in ``0 == 0``), and it implies ``x_bounded``: ``prove
  --property x_bounded --inductive ind_bounded`` proves ``x_bounded``.
"""
from wunderspec_smt import *

LIMIT = 10  # the bound on y that inc enforces, and on x that x_bounded claims


@state
class Pair(MachineStateBase):
    x: StateVar[int]  # the counter we claim is bounded
    y: StateVar[int]  # the counter the guard looks at


@action
def init(c: Context[Pair]):
    c.state.x = 0
    c.state.y = 0


@action(inline=False)
def inc(c: Context[Pair]):
    c.assume(c.state.y < LIMIT)
    c.state.x += 1
    c.state.y += 1


@action(inline=False)
def reset(c: Context[Pair]):
    c.state.x = 0
    c.state.y = 0


@action
def step(c: Context[Pair]):
    alts = c.alternatives("inc", "reset")
    with alts[0]:
        inc(c)
    with alts[1]:
        reset(c)


@invariant
def x_bounded(s: Pair):
    """x never exceeds LIMIT (holds, but is not inductive by itself)."""
    return s.x <= LIMIT


@invariant
def ind_bounded(s: Pair):
    """The strengthening: x and y move in lockstep, and the guard bounds y (holds; inductive)."""
    return And(s.x == s.y, s.y <= LIMIT)
