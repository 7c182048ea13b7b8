"""A broken lock: two processes test a flag and then set it, non-atomically.

The system
----------
Two processes, 0 and 1, share one Boolean ``lock`` (initially free). Each runs
the loop below forever; every labelled line is one atomic step, and the program
counter ``pc[p]`` says which line process ``p`` executes next::

    IDLE:  (non-critical section)          -> CHECK
    CHECK: await lock == False             -> SET      (read the flag ...)
    SET:   lock := True                    -> CS       (... then write it)
    CS:    (critical section) lock := False -> IDLE

The bug is the classic check-then-act race: the read in CHECK and the write in
SET are two separate steps, so both processes can see the lock free before
either of them takes it.

Each transition picks a process with ``c.one_of`` and one of the four kinds of
step with ``c.alternatives``; the per-process actions are ``inline=False`` so a
trace names the action and the process that took it.

The property
------------
``mutual_exclusion``: never are both processes in CS. **Violated**; the shortest
counterexample has **exactly 6 transitions**::

    request(0), request(1), check(0), check(1), acquire(0), acquire(1)

Why 6: the state changes for one process per transition, and a process needs 3
transitions (IDLE -> CHECK -> SET -> CS) to reach CS from IDLE, so both being in
CS needs at least 3 + 3 = 6 transitions; the trace above shows 6 suffice (both
checks happen before either acquire, so both see the lock free).

Expected verdict (``wunderspec-smt check examples/mutex_race.py``)::

    mutual_exclusion  violated, shortest trace = 6 transitions   (exit code 1)

The example ``someone_in_cs`` (reachable in 3 transitions) shows the protocol is
not simply stuck. See ``mutex_fixed.py`` for Peterson's algorithm, which fixes
the race.
"""
import enum

from wunderspec_smt import *


class PC(enum.Enum):
    IDLE = "idle"    # in the non-critical section
    CHECK = "check"  # about to read the lock
    SET = "set"      # saw the lock free; about to take it
    CS = "cs"        # in the critical section


PROCS = Set(0, 1)  # the process ids


@state
class Race(MachineStateBase):
    pc: StateVar[dict[int, PC]]  # the program counter of each process
    lock: StateVar[bool]         # True while someone holds the lock


@action
def init(c: Context[Race]):
    c.state.pc = Map((0, PC.IDLE), (1, PC.IDLE))
    c.state.lock = False


@action(inline=False)
def request(c: Context[Race], p: int):
    """Leave the non-critical section and start trying to enter."""
    c.assume(c.state.pc[p] == PC.IDLE)
    c.state.pc[p] = PC.CHECK


@action(inline=False)
def check(c: Context[Race], p: int):
    """Read the lock; go on only if it is free (otherwise the process waits)."""
    c.assume(c.state.pc[p] == PC.CHECK)
    c.assume(~c.state.lock)
    c.state.pc[p] = PC.SET


@action(inline=False)
def acquire(c: Context[Race], p: int):
    """Take the lock -- without looking at it again: this is the race."""
    c.assume(c.state.pc[p] == PC.SET)
    c.state.lock = True
    c.state.pc[p] = PC.CS


@action(inline=False)
def release(c: Context[Race], p: int):
    """Leave the critical section and free the lock."""
    c.assume(c.state.pc[p] == PC.CS)
    c.state.lock = False
    c.state.pc[p] = PC.IDLE


@action
def step(c: Context[Race]):
    with c.one_of(PROCS) as p:  # the scheduler picks a process ...
        alts = c.alternatives("request", "check", "acquire", "release")  # ... and what it does
        with alts[0]:
            request(c, p)
        with alts[1]:
            check(c, p)
        with alts[2]:
            acquire(c, p)
        with alts[3]:
            release(c, p)


@invariant
def mutual_exclusion(s: Race):
    """Never are both processes in the critical section (violated in 6 steps)."""
    return Not(And(s.pc[0] == PC.CS, s.pc[1] == PC.CS))


@example
def someone_in_cs(s: Race):
    """Some process is in the critical section (reachable in 3 steps)."""
    return Or(s.pc[0] == PC.CS, s.pc[1] == PC.CS)
