"""Peterson's mutual-exclusion algorithm for two processes: the race, fixed.

The system
----------
Two processes, 0 and 1, share ``flag[0]``, ``flag[1]`` ("I want to enter") and
``turn`` ("who has to wait if both want to enter"). Process ``i`` (whose peer
is ``j = 1 - i``) runs the loop below; every labelled line is one atomic step
(a single read or write of shared memory, as in Peterson's 1981 paper)::

    IDLE:     (non-critical section); flag[i] := True      -> SET_TURN
    SET_TURN: turn := j                                    -> WAIT
    WAIT:     await flag[j] == False or turn == i          -> CS
    CS:       (critical section); flag[i] := False         -> IDLE

Compared with ``mutex_race.py``, a process first announces its intent and then
politely gives the turn away, so when both contend, the one that wrote ``turn``
last waits.

Each transition picks a process with ``c.one_of`` and one of its steps with
``c.alternatives``; the per-process actions are ``inline=False`` so traces name
the action and the process.

The properties
--------------
* ``mutual_exclusion``: never are both processes in CS. **Holds** (Peterson's
  theorem); ``wunderspec-smt check examples/mutex_fixed.py --max-steps 20``
  reports it holds up to 20 transitions (exit code 0). There are only 20
  reachable states, all reached within 6 transitions, so depth 20 covers them.
* ``flag_tracks_pc``: ``flag[i]`` is set exactly when process ``i`` is out of its
  non-critical section. **Holds**; a helper fact of the usual safety proof.
* ``ind_peterson``: an inductive strengthening of ``mutual_exclusion`` (its
  docstring explains each conjunct). **Holds**, and is inductive: ``prove
  --property mutual_exclusion --inductive ind_peterson`` proves
  ``mutual_exclusion`` for every number of steps.
* ``someone_in_cs`` (example): some process is in CS. **Found**, shortest
  trace **3 transitions**: ``enter(0), set_turn(0), wait(0)`` -- process 0 may
  go in because ``flag[1]`` is False. It cannot be shorter: a process needs three
  of its own steps to get from IDLE to CS.
* ``both_waiting`` (example): both processes are at WAIT. **Found**, shortest
  trace **4 transitions** (each process needs two steps to reach WAIT).
"""
import enum

from wunderspec_smt import *


class PC(enum.Enum):
    IDLE = "idle"          # non-critical section; next: raise my flag
    SET_TURN = "set_turn"  # flag raised; next: give the turn away
    WAIT = "wait"          # waiting for the peer to lower its flag or give the turn back
    CS = "cs"              # in the critical section


PROCS = Set(0, 1)  # the process ids


@state
class Peterson(MachineStateBase):
    pc: StateVar[dict[int, PC]]     # the program counter of each process
    flag: StateVar[dict[int, bool]]  # flag[i]: process i wants to enter
    turn: StateVar[int]              # who has priority when both want to enter


@action
def init(c: Context[Peterson]):
    c.state.pc = Map((0, PC.IDLE), (1, PC.IDLE))
    c.state.flag = Map((0, False), (1, False))
    c.state.turn = 0


@action(inline=False)
def enter(c: Context[Peterson], i: int):
    """Announce the wish to enter."""
    c.assume(c.state.pc[i] == PC.IDLE)
    c.state.flag[i] = True
    c.state.pc[i] = PC.SET_TURN


@action(inline=False)
def set_turn(c: Context[Peterson], i: int):
    """Give priority to the peer."""
    c.assume(c.state.pc[i] == PC.SET_TURN)
    c.state.turn = 1 - i
    c.state.pc[i] = PC.WAIT


@action(inline=False)
def wait(c: Context[Peterson], i: int):
    """Enter once the peer does not want to, or has given the turn back."""
    j = 1 - i
    c.assume(c.state.pc[i] == PC.WAIT)
    c.assume(Or(~c.state.flag[j], c.state.turn == i))
    c.state.pc[i] = PC.CS


@action(inline=False)
def leave(c: Context[Peterson], i: int):
    """Leave the critical section and lower the flag."""
    c.assume(c.state.pc[i] == PC.CS)
    c.state.flag[i] = False
    c.state.pc[i] = PC.IDLE


@action
def step(c: Context[Peterson]):
    with c.one_of(PROCS) as i:
        alts = c.alternatives("enter", "set_turn", "wait", "leave")
        with alts[0]:
            enter(c, i)
        with alts[1]:
            set_turn(c, i)
        with alts[2]:
            wait(c, i)
        with alts[3]:
            leave(c, i)


@invariant
def mutual_exclusion(s: Peterson):
    """Never are both processes in the critical section (holds)."""
    return Not(And(s.pc[0] == PC.CS, s.pc[1] == PC.CS))


@invariant
def flag_tracks_pc(s: Peterson):
    """flag[i] is raised exactly while process i is outside its non-critical section (holds)."""
    return And(*[s.flag[i] == (s.pc[i] != PC.IDLE) for i in (0, 1)])


def _turn_favours(s: Peterson, i: int):
    """If process i is in CS while its peer j has passed ``set_turn``, then ``turn == i``."""
    j = 1 - i
    return Implies(And(s.pc[i] == PC.CS, Or(s.pc[j] == PC.WAIT, s.pc[j] == PC.CS)), s.turn == i)


@invariant
def ind_peterson(s: Peterson):
    """An inductive invariant that implies ``mutual_exclusion`` (holds; proved by ``prove --inductive``).

    Its conjuncts:

    * ``flag_tracks_pc``: ``flag[i]`` is raised exactly while process ``i`` is
      not IDLE, so ``wait(i)`` can use ``~flag[j]`` only when ``j`` is IDLE;
    * for each ``i``: if ``i`` is in CS and its peer ``j`` is at WAIT or in CS,
      then ``turn == i``. When ``j`` reached WAIT after ``i`` had raised its
      flag, ``set_turn(j)`` wrote ``turn := i`` and nothing rewrites ``turn``
      while neither process is at SET_TURN; when ``i`` entered CS with ``j``
      already at WAIT, ``wait(i)`` found ``flag[j]`` raised and so needed
      ``turn == i``. Both processes in CS would need ``turn == 0`` and
      ``turn == 1`` at once, so this conjunct implies ``mutual_exclusion``.

    ``mutual_exclusion`` and ``flag_tracks_pc`` together are not inductive: the
    unreachable state ``pc = {0: WAIT, 1: CS}, flag = {0: True, 1: True},
    turn = 0`` satisfies both, and ``wait(0)`` takes it to both processes in CS.
    The ``turn`` conjuncts rule it out (process 1 in CS with 0 at WAIT needs
    ``turn == 1``).
    """
    return And(flag_tracks_pc(s), _turn_favours(s, 0), _turn_favours(s, 1))


@example
def someone_in_cs(s: Peterson):
    """Some process is in the critical section (found in 3 steps)."""
    return Or(s.pc[0] == PC.CS, s.pc[1] == PC.CS)


@example
def both_waiting(s: Peterson):
    """Both processes contend at the same time (found in 4 steps)."""
    return And(s.pc[0] == PC.WAIT, s.pc[1] == PC.WAIT)
