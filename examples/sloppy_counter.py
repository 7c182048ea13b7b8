"""A sloppy (approximate) counter with 32-bit wrap-around arithmetic.

The system
----------
The "sloppy counter" of Arpaci-Dusseau's *Operating Systems: Three Easy Pieces*
(chapter "Lock-based Concurrent Data Structures") scales a shared counter across
CPUs: each of ``SHARDS`` (3) shards keeps a local count, and a shard flushes its
local count into the global count only when it reaches the threshold
``THRESHOLD`` (a parameter; the instance ``threshold4`` uses 4). Readers of the
global count see a value that lags behind by less than ``SHARDS * THRESHOLD``.

All counters are 32-bit unsigned integers, so additions wrap around modulo
``2**32``. The global count starts at an *arbitrary* 32-bit value, chosen with
``c.one_of(Interval(0, 2**32 - 1))``: about four billion initial states, which
an explicit-state search cannot enumerate but a symbolic checker handles as one
unknown. The locals start at 0. Two ghost variables exist only for the
properties: ``total`` (a mathematical integer, the exact number of increments
plus the initial global count) and ``initial`` (the initial global count).

One transition is ``increment(shard)`` for a shard picked with ``c.one_of``: the
shard's local count goes up by one and, if it reaches the threshold, it is added
to the global count (with wrap-around) and reset to 0.

The properties (instance ``threshold4``)
----------------------------------------
* ``conservation``: ``total - (global + sum of locals)`` is a multiple of
  ``2**32``, i.e. ``(global + sum of locals) mod 2**32 == total mod 2**32``: no
  increment is lost or counted twice; the exact count and the sloppy one differ
  only by whole wrap-arounds. **Holds**: an increment adds 1 to both sides, and
  a flush moves an amount from a local to the global count, which preserves the
  sum modulo ``2**32``.
* ``locals_below_threshold``: every local count is below ``THRESHOLD``.
  **Holds**: a local that reaches the threshold is flushed in the same step.
* ``global_in_range``: ``0 <= global < 2**32``. **Holds** (the wrap-around).
* ``global_monotone``: ``global >= initial`` -- "the global count never goes
  down". **Violated**, shortest trace **4 transitions**: with ``initial`` in
  ``2**32 - 4 .. 2**32 - 1``, four increments of one shard flush 4 into the
  global count, which wraps past ``2**32 - 1``. Not fewer: the global count
  changes only in a flush, and a flush needs ``THRESHOLD`` = 4 increments of one
  shard (locals start at 0). Only initial values in the last four of the 2**32
  make it fail, which is why random simulation does not find it.
* ``lag_bounded``: ``total - global <= SHARDS * (THRESHOLD - 1)`` -- the
  sloppiness bound of the book, in mathematical integers. **Violated**, shortest
  trace **4 transitions**: the same wrap makes ``total - global = 2**32``.

Expected verdicts (``wunderspec-smt check examples/sloppy_counter.py --instance
threshold4 --max-steps 6``)::

    conservation, locals_below_threshold, global_in_range   hold to 6
    global_monotone, lag_bounded                             violated at 4   (exit code 1)
"""
from wunderspec_smt import *

WORD = 2 ** 32    # 32-bit unsigned arithmetic wraps modulo this
SHARDS = range(3)  # shard ids 0, 1, 2 (a Python range: sums are unrolled)


@state
class Sloppy(MachineStateBase):
    THRESHOLD: Param[int]           # a local count is flushed when it reaches this
    glob: StateVar[int]             # the global count (32-bit)
    local: StateVar[dict[int, int]]  # the local count of each shard (32-bit)
    total: StateVar[int]            # ghost: initial global count + number of increments
    initial: StateVar[int]          # ghost: the initial global count


@instance
def threshold4() -> Sloppy:
    return Sloppy(THRESHOLD=4)


@action
def init(c: Context[Sloppy]):
    with c.one_of(Interval(0, WORD - 1)) as g0:  # any 32-bit value
        c.state.glob = g0
        c.state.initial = g0
        c.state.total = g0
    c.state.local = Map(*[(i, 0) for i in SHARDS])  # every shard starts at 0


@action(inline=False)
def increment(c: Context[Sloppy], shard: int):
    s = c.state
    s.total += 1                             # the ghost counts exactly
    # A local count stays below THRESHOLD (see locals_below_threshold), far from
    # 2**32, so its increment needs no wrap-around; the global add below does.
    bumped = s.local[shard] + 1
    flush, keep = c.split(bumped >= s.THRESHOLD)
    with flush:                              # the local count is full: move it to the global count
        s.glob = (s.glob + bumped) % WORD
        s.local[shard] = 0
    with keep:
        s.local[shard] = bumped


@action
def step(c: Context[Sloppy]):
    with c.one_of(Set(*SHARDS)) as shard:
        increment(c, shard)


def local_sum(s):
    """The sum of the local counts, unrolled over the concrete shard ids."""
    return sum(s.local[i] for i in SHARDS)


@invariant
def conservation(s: Sloppy):
    """No increment is lost or counted twice, modulo 2**32 (holds)."""
    # the same as (glob + local_sum) % WORD == total % WORD, with one modulo instead of two
    return (s.total - s.glob - local_sum(s)) % WORD == 0


@invariant
def locals_below_threshold(s: Sloppy):
    """Every local count is below the threshold (holds)."""
    return And(*[s.local[i] < s.THRESHOLD for i in SHARDS])


@invariant
def global_in_range(s: Sloppy):
    """The global count is a 32-bit unsigned value (holds)."""
    return And(0 <= s.glob, s.glob < WORD)


@invariant
def global_monotone(s: Sloppy):
    """The global count never drops below its initial value (violated by wrap-around in 4 steps)."""
    return s.glob >= s.initial


@invariant
def lag_bounded(s: Sloppy):
    """The global count lags the true count by less than SHARDS * THRESHOLD (violated in 4 steps)."""
    return s.total - s.glob <= len(SHARDS) * (s.THRESHOLD - 1)
