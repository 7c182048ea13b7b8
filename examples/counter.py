"""A counter with a growing step size: the smallest example with a deep bug.

The system
----------
Two integer counters, both starting at 0:

* ``a``    -- the value we care about;
* ``step`` -- a step size, capped at ``MAX_STEP`` (3).

Each transition is one of four actions:

* ``inc``   -- ``a += 1``;
* ``bump``  -- ``step += 1``, only while ``step < MAX_STEP``;
* ``leap``  -- ``a += step``, only when ``step > 0`` (a leap must make progress);
* ``reset`` -- ``a = 0`` and ``step = 0`` (a crash that forgets everything).

The properties
--------------
* ``step_capped``: ``step <= MAX_STEP``. **Holds** at every depth: ``bump`` is the
  only action that increases ``step`` and its guard stops at ``MAX_STEP``.
* ``a_below_ten``: ``a < 10``. **Violated**; the shortest counterexample has
  **exactly 7 transitions**, e.g. ``bump, bump, bump, leap, leap, leap, leap``
  (``step`` = 3, then ``a`` = 3, 6, 9, 12).

Why 7 and not fewer
-------------------
Take any path of ``n`` transitions and drop everything before its last ``reset``
(a reset only throws progress away). What is left has ``i`` incs, ``j`` bumps and
``m`` leaps with ``i + j + m <= n``. Every leap adds the *current* step size,
which is at most the number of bumps so far, so at most ``j``; hence
``a <= i + j * m``, where ``j <= 3`` (a fourth bump is disabled). With
``n = 6`` and ``i = 6 - j - m`` this bound is ``6 - j + m * (j - 1)``: at most 6
for ``j = 0``, 5 for ``j = 1``, ``4 + m <= 8`` for ``j = 2`` (``m <= 4``) and
``3 + 2 * m <= 9`` for ``j = 3`` (``m <= 3``). So ``a <= 9`` up to depth 6, and
``a < 10`` holds. With ``n = 7``, ``j = 3, m = 4`` gives 12: violated at depth 7.

Expected verdicts (``wunderspec-smt check examples/counter.py``)::

    step_capped  holds (to any bound)
    a_below_ten  violated, shortest trace = 7 transitions   (exit code 1)
"""
from wunderspec_smt import *

MAX_STEP = 3  # the cap on the step size
LIMIT = 10    # a_below_ten claims `a` never reaches this value


@state
class Counter(MachineStateBase):
    a: StateVar[int]     # the counter
    step: StateVar[int]  # how much a single `leap` adds


@action
def init(c: Context[Counter]):
    c.state.a = 0
    c.state.step = 0


@action(inline=False)
def inc(c: Context[Counter]):
    c.state.a += 1


@action(inline=False)
def bump(c: Context[Counter]):
    c.assume(c.state.step < MAX_STEP)  # the guard: the step size is capped
    c.state.step += 1


@action(inline=False)
def leap(c: Context[Counter]):
    c.assume(c.state.step > 0)         # a leap of 0 would be a no-op
    c.state.a += c.state.step


@action(inline=False)
def reset(c: Context[Counter]):
    c.state.a = 0
    c.state.step = 0


@action
def step(c: Context[Counter]):
    # Exactly one of the four actions fires in each transition.
    alts = c.alternatives("inc", "bump", "leap", "reset")
    with alts[0]:
        inc(c)
    with alts[1]:
        bump(c)
    with alts[2]:
        leap(c)
    with alts[3]:
        reset(c)


@invariant
def step_capped(s: Counter):
    """The step size never exceeds its cap (holds)."""
    return s.step <= MAX_STEP


@invariant
def a_below_ten(s: Counter):
    """The counter stays below 10 (violated: shortest counterexample has 7 steps)."""
    return s.a < LIMIT
