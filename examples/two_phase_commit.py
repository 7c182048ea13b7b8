"""Two-phase commit, after Gray and Lamport's TLA+ specification ``TwoPhase``.

The system
----------
A transaction manager (TM) and a set ``RM`` of resource managers (a parameter;
the instance ``three`` has ``{"r1", "r2", "r3"}``) decide together whether a
transaction commits. Messages are never lost, so the network is simply the set
``msgs`` of every message ever sent:

* ``RMPrepare(rm)``        a working RM prepares and sends ``Prepared(rm)``;
* ``RMChooseToAbort(rm)``  a working RM decides on its own to abort;
* ``TMRcvPrepared(rm)``    the TM, still in INIT, records ``Prepared(rm)``;
* ``TMCommit``             the TM, once every RM is prepared, commits and sends ``Commit``;
* ``TMAbort``              the TM, still in INIT, aborts and sends ``Abort``;
* ``RMRcvCommitMsg(rm)``   an RM that sees ``Commit`` commits;
* ``RMRcvAbortMsg(rm)``    an RM that sees ``Abort`` aborts.

Messages are ``Message`` records ``(type, rm)``; ``Commit`` and ``Abort`` are
broadcast by the TM and carry the placeholder ``rm = TM`` (the string ``"tm"``),
so that all messages have one sort.

Each transition picks one of the seven actions with ``c.alternatives`` and, for
the per-RM actions, the RM with ``c.one_of(RM)``; the actions are
``inline=False`` so traces name them with their argument.

The properties (instance ``three``)
-----------------------------------
* ``consistent``: no RM has committed while another has aborted. **Holds**
  (``--max-steps 12``: all 288 reachable states are reached within 10
  transitions, so this covers the whole state space).
* ``type_ok``: every variable stays within its type (``rmState`` is total on RM,
  ``tmPrepared`` is a subset of RM, every message is a well-formed one).
  **Holds**.
* ``ind_two_phase``: an inductive strengthening of ``consistent`` relating
  ``msgs``, ``tmState``, ``tmPrepared`` and ``rmState`` (its docstring explains
  each conjunct). **Holds**, and is inductive: ``prove --property consistent
  --inductive ind_two_phase`` proves ``consistent`` for every number of steps.
* ``all_aborted`` (example): every RM is ABORTED. **Found**, shortest trace
  **3 transitions**: ``RMChooseToAbort`` for each RM. Not fewer: each transition
  changes the state of at most one RM, and all three must change.
* ``some_committed`` (example): some RM is COMMITTED. **Found**, shortest trace
  **8 transitions**: ``RMPrepare`` x 3, ``TMRcvPrepared`` x 3, ``TMCommit``,
  ``RMRcvCommitMsg``. Not fewer: only ``RMRcvCommitMsg`` commits an RM, it needs
  the ``Commit`` message, which only ``TMCommit`` sends, which needs
  ``tmPrepared = RM``; ``TMRcvPrepared`` adds one RM per transition (3 of them),
  each needing that RM's ``Prepared`` message, sent only by its ``RMPrepare``
  (3 more): 3 + 3 + 1 + 1 = 8.
"""
import enum

from wunderspec_smt import *


class RMState(enum.Enum):
    WORKING = "working"
    PREPARED = "prepared"
    COMMITTED = "committed"
    ABORTED = "aborted"


class TMState(enum.Enum):
    INIT = "init"
    COMMITTED = "committed"
    ABORTED = "aborted"


class MsgType(enum.Enum):
    PREPARED = "Prepared"  # RM -> TM: "I am prepared"
    COMMIT = "Commit"      # TM -> all: "commit"
    ABORT = "Abort"        # TM -> all: "abort"


@record
class Message:
    type: Field[MsgType]
    rm: Field[str]  # the sender of a PREPARED message; TM for COMMIT and ABORT


TM = "tm"  # the placeholder `rm` of the TM's broadcast messages

COMMIT_MSG = Message(type=MsgType.COMMIT, rm=TM)
ABORT_MSG = Message(type=MsgType.ABORT, rm=TM)


def prepared_msg(rm):
    return Message(type=MsgType.PREPARED, rm=rm)


@state
class TwoPhase(MachineStateBase):
    RM: Param[set[str]]                      # the resource managers
    rmState: StateVar[dict[str, RMState]]    # the state of each RM
    tmState: StateVar[TMState]               # the state of the TM
    tmPrepared: StateVar[set[str]]           # the RMs from which the TM has received Prepared
    msgs: StateVar[set[Message]]             # every message sent so far


@instance
def three() -> TwoPhase:
    return TwoPhase(RM={"r1", "r2", "r3"})


@action
def init(c: Context[TwoPhase]):
    c.state.rmState = Map(Val(RMState.WORKING) for rm in c.state.RM)
    c.state.tmState = TMState.INIT
    c.state.tmPrepared = Set(str)
    c.state.msgs = Set(Message)


# --- the transaction manager ---------------------------------------------------------

@action(inline=False)
def TMRcvPrepared(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(s.tmState == TMState.INIT)
    c.assume(prepared_msg(rm).in_(s.msgs))
    s.tmPrepared = s.tmPrepared | Set(rm)


@action(inline=False)
def TMCommit(c: Context[TwoPhase]):
    s = c.state
    c.assume(s.tmState == TMState.INIT)
    c.assume(s.tmPrepared == s.RM)
    s.tmState = TMState.COMMITTED
    s.msgs = s.msgs | Set(COMMIT_MSG)


@action(inline=False)
def TMAbort(c: Context[TwoPhase]):
    s = c.state
    c.assume(s.tmState == TMState.INIT)
    s.tmState = TMState.ABORTED
    s.msgs = s.msgs | Set(ABORT_MSG)


# --- the resource managers -------------------------------------------------------------

@action(inline=False)
def RMPrepare(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(s.rmState[rm] == RMState.WORKING)
    s.rmState[rm] = RMState.PREPARED
    s.msgs = s.msgs | Set(prepared_msg(rm))


@action(inline=False)
def RMChooseToAbort(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(s.rmState[rm] == RMState.WORKING)
    s.rmState[rm] = RMState.ABORTED


@action(inline=False)
def RMRcvCommitMsg(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(COMMIT_MSG.in_(s.msgs))
    s.rmState[rm] = RMState.COMMITTED


@action(inline=False)
def RMRcvAbortMsg(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(ABORT_MSG.in_(s.msgs))
    s.rmState[rm] = RMState.ABORTED


@action
def step(c: Context[TwoPhase]):
    """TPNext: the TM takes a step, or some RM does."""
    alts = c.alternatives("TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare",
                          "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg")
    with alts[0]:
        TMCommit(c)
    with alts[1]:
        TMAbort(c)
    # the per-RM actions: pick the RM, then run the action for it
    for alt, rm_action in zip(alts[2:], (TMRcvPrepared, RMPrepare, RMChooseToAbort,
                                         RMRcvCommitMsg, RMRcvAbortMsg)):
        with alt:
            with c.one_of(c.state.RM) as rm:
                rm_action(c, rm)


# --- properties ------------------------------------------------------------------------

@invariant
def consistent(s: TwoPhase):
    """No RM has committed while another has aborted (holds)."""
    return Not(And(Exists(s.rmState[r] == RMState.COMMITTED for r in s.RM),
                   Exists(s.rmState[r] == RMState.ABORTED for r in s.RM)))


@invariant
def type_ok(s: TwoPhase):
    """Every variable stays within its type (holds)."""
    well_formed = Set(prepared_msg(r) for r in s.RM) | Set(COMMIT_MSG, ABORT_MSG)
    return And(s.rmState.keys == s.RM,
               s.tmPrepared <= s.RM,
               s.msgs <= well_formed)


@invariant
def ind_two_phase(s: TwoPhase):
    """An inductive invariant that implies ``consistent`` (holds; proved by ``prove --inductive``).

    Its conjuncts, in order:

    * ``Commit`` was sent only by a TM that is COMMITTED, ``Abort`` only by one
      that is ABORTED -- so never both;
    * once ``Commit`` is sent, the TM has heard ``Prepared`` from every RM
      (``TMCommit``'s guard; ``TMRcvPrepared`` is disabled afterwards);
    * for every RM ``r``:

      - ``r`` is in ``tmPrepared`` only if ``Prepared(r)`` was sent;
      - once ``r`` has sent ``Prepared(r)`` it is no longer WORKING, so it can
        never *choose* to abort;
      - ``r`` is COMMITTED only if ``Commit`` was sent;
      - ``r`` is ABORTED after preparing only if ``Abort`` was sent (it cannot
        have chosen to abort, so it must have received ``Abort``).

    Why it implies ``consistent``: a COMMITTED RM means ``Commit`` was sent, so the
    TM is COMMITTED and no ``Abort`` was sent, and every RM sent ``Prepared``; an
    ABORTED RM that sent ``Prepared`` would need ``Abort``. ``consistent`` by
    itself is not inductive: e.g. an RM at WORKING next to ``Commit`` in ``msgs``
    and a COMMITTED RM may step (``RMChooseToAbort``) into a committed/aborted mix.
    """
    sent = s.msgs
    return And(
        Implies(COMMIT_MSG.in_(sent), s.tmState == TMState.COMMITTED),
        Implies(ABORT_MSG.in_(sent), s.tmState == TMState.ABORTED),
        Implies(COMMIT_MSG.in_(sent), s.tmPrepared == s.RM),
        Forall(And(Implies(r.in_(s.tmPrepared), prepared_msg(r).in_(sent)),
                   Implies(prepared_msg(r).in_(sent), s.rmState[r] != RMState.WORKING),
                   Implies(s.rmState[r] == RMState.COMMITTED, COMMIT_MSG.in_(sent)),
                   Implies(And(s.rmState[r] == RMState.ABORTED, prepared_msg(r).in_(sent)),
                           ABORT_MSG.in_(sent)))
               for r in s.RM))


@example
def some_committed(s: TwoPhase):
    """Some RM has committed (found in 8 steps)."""
    return Exists(s.rmState[r] == RMState.COMMITTED for r in s.RM)


@example
def all_aborted(s: TwoPhase):
    """Every RM has aborted (found in 3 steps)."""
    return Forall(s.rmState[r] == RMState.ABORTED for r in s.RM)
