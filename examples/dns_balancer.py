"""The control plane of a DNS load balancer, with garbage collection of stale plans.

The system
----------
A *planner* publishes immutable DNS plans; several *deployers* apply them to a
DNS zone; after applying a plan, a deployer garbage-collects the records of old
plans. (A bug of this shape caused a widely reported cloud outage in October
2025: a delayed deployer applied an old plan over a newer one, and another
deployer's cleanup then deleted that old plan, leaving the zone's root name
pointing nowhere.)

* A plan (``Plan``) is the set of DNS records it ``creates``. Plan ``i`` is
  named ``plan-i`` and has two balancers, ``a.plan-i`` and ``b.plan-i``:
  two *weighted* CNAMEs ``plan-i -> (a.plan-i, w_a)``, ``plan-i -> (b.plan-i,
  w_b)`` and one A record per balancer ``a.plan-i -> (ip_a, 1)``,
  ``b.plan-i -> (ip_b, 1)``. The planner picks the IPs from ``IPS`` and the
  weights from ``WEIGHTS``. Plans are stored in ``planner_updates``, keyed by
  plan id (0, 1, 2, ... up to the instance's ``PLAN_IDS``).
* The zone (``zone_records``) holds the records of the plans applied so far,
  the *root* CNAME ``ZONE -> (plan-i, 1)`` (the live plan) and the *rollback*
  CNAME ``ROLLBACK -> (plan-j, 1)`` (the plan that was live before). A DNS
  record's ``value`` is a ``(target, weight)`` tuple; an A record's target is
  an IP.
* The zone also holds a *lock record* (``lock``: an epoch and the owner).
  Taking the lock is a compare-and-set: it succeeds only if the deployer's
  view of the lock epoch is current, and bumps the epoch.
* Each deployer has a *view*, read from the zone: the lock epoch, the root and
  rollback targets (``deployer_lock``, ``deployer_root``,
  ``deployer_rollback``); the plan it works on (``deployer_next_plan``), and
  whether it still has to deploy that plan (``deployer_pending``).

One transition is one of these actions (the deployer is picked with
``c.one_of``):

* ``planner_publish(ip_a, ip_b, w_a, w_b)``: publish the next plan.
* ``deployer_refresh(d)``: query the zone (lock, root, rollback) and take the
  latest published plan as the next plan to deploy (pending unless it is
  already live). The latest plan is never older than the live one, so this is
  the deployer's "is my plan newer than what is live?" check.
* ``deployer_deploy(d)``: one atomic zone transaction: take the lock (only if
  the deployer's view of the lock is current; epoch + 1), require the root to
  point to an existing plan, apply the plan's records, repoint the root to the
  plan and the rollback to the previous root (from the view, which is current
  when the lock is).
* ``deployer_back_off(d)``: a deployer with a pending plan that lost the lock
  race re-reads the zone (lock, root, rollback) and keeps its plan, to retry
  with it. It does not repeat the freshness check: that is the flaw.
* ``deployer_gc(d)``: a deployer that has deployed its plan (its view says
  the plan is live) deletes the records of every plan older than its plan by
  more than ``MAX_PLAN_AGE`` (exactly the action of the wunderspec website
  example, plus that guard).

The properties (instance ``default``: 3 deployers, plan ids 0..3, 2 IPs,
weights {1, 2}, ``MAX_PLAN_AGE = 1``)
------------------------------------------------------------------------
* ``no_inconsistent_root``: the root CNAME points to exactly one plan, and that
  plan exists (some CNAME is named after it). **Violated**, shortest trace
  **9 transitions**: d2 refreshes and takes plan 1; the planner publishes plans
  2 and 3; d1 refreshes, takes plan 3 and deploys it; d2 loses the lock race,
  backs off, retries and deploys plan 1 over plan 3; d1, whose view still says
  plan 3 is live, garbage-collects plans 0 and 1 -- the root now points to the
  deleted plan 1. Not fewer: the last step must be a GC (no other action
  deletes records, and a deploy leaves the root consistent). A GC deletes
  only plans older than ``q - MAX_PLAN_AGE``, where ``q`` is the GC-ing
  deployer's own plan, live in its view; so another deployer must have moved
  the root *back* to an older plan ``p`` after ``q`` went live, which only a
  retry after a lost lock race does (refresh, back-off, deploy: 3 steps), with
  ``p >= 1`` (a refresh before any publish takes the live plan 0, nothing to
  deploy) and so ``q >= p + 1 + MAX_PLAN_AGE = 3``: 3 publishes, and the GC-ing
  deployer's refresh and deploy (2 steps). 3 + 3 + 2 + 1 (the GC) = 9.
  Confirmed by breadth-first search over the concrete semantics (instance
  ``small``, tests/test_dns_balancer.py).
* ``no_inconsistent_rollback``: the same for the rollback CNAME. **Violated**,
  shortest trace **5 transitions**, without any race: the planner publishes
  plans 1 and 2, d1 refreshes and deploys plan 2 (rollback -> plan 0, plan 1
  was skipped) and garbage-collects plan 0, the rollback target. Age-based GC
  does not know about the rollback pointer.

Instances: ``default`` (above); ``small`` (one IP and one weight, so each plan
has one possible content: the same verdicts and lengths, small enough for an
explicit-state search); ``age2`` (plan ids 0..4, ``MAX_PLAN_AGE = 2``: the root
violation needs 10 transitions, the rollback one 6).

Modelling notes: a plan's records are scoped by its name, so two plans never
share a record and GC deletes only its own plans' records. Plan names are a
fixed map from ids (the DSL has no string operations). Three expressions are
written so that the checker's sets and maps keep *constant* potential elements
(one presence bit each) instead of gaining symbolic ones at every step, which
made the encoding grow exponentially with the depth: a plan's records are
picked out of the constant set of the records the plan may create
(``make_plan``), a root/rollback CNAME out of the possible pointers to plans
(``pointer``), and publishing rebuilds ``planner_updates`` over the constant
ids ``0..plan_id`` instead of inserting the symbolic key ``plan_id``. Each is
equal to the plain form.
"""
import enum
from typing import Annotated

from wunderspec_smt import *


class Kind(enum.Enum):
    A = "A"
    CNAME = "CNAME"


A = Kind.A
CNAME = Kind.CNAME


@record
class DnsRecord:
    kind: Field[Kind]
    name: Field[str]
    value: Field[tuple[str, int]]  # (target, weight); the target of an A record is an IP


@record
class Plan:
    creates: Field[set[DnsRecord]]  # the records the plan puts into the zone


@record
class LockRecord:
    epoch: Field[int]
    owner: Field[str]


ZONE = "api.example.com"                # the root name: CNAME to the live plan
ROLLBACK = "rollback.api.example.com"   # CNAME to the plan that was live before
NOBODY = "nobody"                       # the owner of the initial lock record

MAX_PLAN_ID = 4  # plan names exist for ids 0..MAX_PLAN_ID; an instance publishes a prefix of them
PLAN_NAMES = {i: f"plan-{i}" for i in range(MAX_PLAN_ID + 1)}
PLAN_NAME = Map(*PLAN_NAMES.items())
BALANCER_A = Map(*[(i, f"a.{n}") for i, n in PLAN_NAMES.items()])
BALANCER_B = Map(*[(i, f"b.{n}") for i, n in PLAN_NAMES.items()])


@state
class DnsBalancerState(MachineStateBase):
    DEPLOYERS: Param[set[str]]
    PLAN_IDS: Param[set[int]]      # the plan ids the planner may publish: 0..N-1
    IPS: Param[set[str]]
    WEIGHTS: Param[set[int]]
    MAX_PLAN_AGE: Param[int]
    planner_updates: StateVar[dict[int, Plan], UPSERT]  # the published plans, by id
    planner_next: StateVar[int]                         # the id of the next plan
    zone_records: StateVar[set[DnsRecord]]
    lock: StateVar[LockRecord]
    deployer_lock: StateVar[dict[str, int]]      # view: the epoch of the lock record
    deployer_root: StateVar[dict[str, str]]      # view: the root's target
    deployer_rollback: StateVar[dict[str, str]]  # view: the rollback's target
    deployer_next_plan: StateVar[dict[str, int]]  # the plan the deployer works on
    deployer_pending: StateVar[dict[str, bool]]   # ... and has not deployed yet


def three_deployers(**kw) -> DnsBalancerState:
    return DnsBalancerState(DEPLOYERS={"d1", "d2", "d3"}, **kw)


@instance
def default() -> DnsBalancerState:
    return three_deployers(PLAN_IDS=set(range(4)), IPS={"10.0.0.1", "10.0.0.2"}, WEIGHTS={1, 2},
                           MAX_PLAN_AGE=1)


@instance
def small() -> DnsBalancerState:
    return three_deployers(PLAN_IDS=set(range(4)), IPS={"10.0.0.1"}, WEIGHTS={1}, MAX_PLAN_AGE=1)


@instance
def age2() -> DnsBalancerState:
    return three_deployers(PLAN_IDS=set(range(5)), IPS={"10.0.0.1", "10.0.0.2"}, WEIGHTS={1, 2},
                           MAX_PLAN_AGE=2)


# --- records ------------------------------------------------------------------------------

def cname(name, target, weight=1):
    return DnsRecord(kind=CNAME, name=name, value=Tuple(target, weight))


def a_record(name, ip):
    return DnsRecord(kind=A, name=name, value=Tuple(ip, 1))


def possible_records(plan_id, s):
    """Every record that plan `plan_id` may create, whatever the planner picks (a constant set)."""
    name, balancers = PLAN_NAME[plan_id], Set(BALANCER_A[plan_id], BALANCER_B[plan_id])
    return (Set(cname(name, lb, w) for lb in balancers for w in s.WEIGHTS)
            | Set(a_record(lb, ip) for lb in balancers for ip in s.IPS))


def make_plan(plan_id, ip_a, ip_b, w_a, w_b, s):
    """Plan `plan_id`: weighted CNAMEs from the plan's name to its two balancers, and their A records."""
    name, lb_a, lb_b = PLAN_NAME[plan_id], BALANCER_A[plan_id], BALANCER_B[plan_id]
    records = Set(cname(name, lb_a, w_a), cname(name, lb_b, w_b), a_record(lb_a, ip_a), a_record(lb_b, ip_b))
    # `possible & records` is just `records` (the picks come from IPS and WEIGHTS); written
    # as a subset of a constant set, it is one presence bit per possible record for the checker
    return Plan(creates=possible_records(plan_id, s) & records)


def pointer(name, target):
    """The CNAME `name -> (target, 1)` (a one-element set), picked out of the constant set of
    the possible pointers to plans, for the same reason."""
    return Set(cname(name, n) for n in PLAN_NAMES.values()).filter(lambda r: r.value[0] == target)


def cname_targets(s, name):
    """The targets of the CNAMEs called `name` in the zone."""
    cnames = SetIf(r.kind == CNAME for r in s.zone_records)
    return Set(r.value[0] for r in SetIf(r2.name == name for r2 in cnames))


def points_to_one_existing_plan(s, name):
    """The CNAME `name` points to exactly one target, which is an existing plan (the seed's formula)."""
    cnames = SetIf(r.kind == CNAME for r in s.zone_records)
    plans = Set(r.value[0] for r in SetIf(r2.name == name for r2 in cnames))
    return ~((plans & Set(r.name for r in cnames)).is_empty) & (plans.size == 1)


# --- init -----------------------------------------------------------------------------------

@action
def init(c: Context[DnsBalancerState]):
    """Plan 0 is published and live; root and rollback point to it; every deployer has seen it."""
    s = c.state
    with c.one_of(s.IPS) as ip_a, c.one_of(s.IPS) as ip_b, \
            c.one_of(s.WEIGHTS) as w_a, c.one_of(s.WEIGHTS) as w_b:
        plan0 = make_plan(0, ip_a, ip_b, w_a, w_b, s)
        s.planner_updates = Map((0, plan0))
        s.zone_records = plan0.creates | pointer(ZONE, PLAN_NAMES[0]) | pointer(ROLLBACK, PLAN_NAMES[0])
    s.planner_next = 1
    s.lock = LockRecord(epoch=0, owner=NOBODY)
    s.deployer_lock = Map(Val(0) for d in s.DEPLOYERS)
    s.deployer_root = Map(Val(PLAN_NAMES[0]) for d in s.DEPLOYERS)
    s.deployer_rollback = Map(Val(PLAN_NAMES[0]) for d in s.DEPLOYERS)
    s.deployer_next_plan = Map(Val(0) for d in s.DEPLOYERS)
    s.deployer_pending = Map(Val(False) for d in s.DEPLOYERS)


# --- the planner ------------------------------------------------------------------------------

@action(inline=False)
def planner_publish(c: Context[DnsBalancerState], ip_a: str, ip_b: str, w_a: int, w_b: int):
    """The planner publishes the next plan (immutable from now on)."""
    s = c.state
    plan_id = s.planner_next
    c.assume(plan_id.in_(s.PLAN_IDS))
    # s.planner_updates[plan_id] = make_plan(plan_id, ...), written as a map over the constant
    # ids 0..plan_id, which the checker encodes with constant keys
    s.planner_updates = Map(Ite(i == plan_id, make_plan(i, ip_a, ip_b, w_a, w_b, s), s.planner_updates[i])
                            for i in s.PLAN_IDS.filter(lambda i: i <= plan_id))
    s.planner_next = plan_id + 1


# --- the deployers ------------------------------------------------------------------------------

def read_zone(c: Context[DnsBalancerState], deployer):
    """The deployer queries the zone: the lock record, the root and the rollback targets."""
    s = c.state
    with c.one_of(cname_targets(s, ZONE)) as root, c.one_of(cname_targets(s, ROLLBACK)) as rollback:
        s.deployer_lock[deployer] = s.lock.epoch
        s.deployer_root[deployer] = root
        s.deployer_rollback[deployer] = rollback


@action(inline=False)
def deployer_refresh(c: Context[DnsBalancerState], deployer: Annotated[Expr, str]):
    """Start a deployment: read the zone and take the latest published plan."""
    s = c.state
    read_zone(c, deployer)
    latest = s.planner_next - 1
    # the latest plan is never older than the live one: this is the freshness check
    s.deployer_next_plan[deployer] = latest
    s.deployer_pending[deployer] = PLAN_NAME[latest] != s.deployer_root[deployer]  # the root just read


@action(inline=False)
def deployer_deploy(c: Context[DnsBalancerState], deployer: Annotated[Expr, str]):
    """Take the lock, apply the plan, repoint root and rollback: one atomic zone transaction."""
    s = c.state
    c.assume(s.deployer_pending[deployer])
    # the lock: compare-and-set on the epoch the deployer has seen
    c.assume(s.lock.epoch == s.deployer_lock[deployer])
    # the live plan must exist
    c.assume(points_to_one_existing_plan(s, ZONE))
    plan_id = s.deployer_next_plan[deployer]
    plan = s.planner_updates[plan_id]
    previous = s.deployer_root[deployer]  # the view is current: the lock epoch is
    pointers = s.zone_records.filter(lambda r: (r.kind == CNAME) & ((r.name == ZONE) | (r.name == ROLLBACK)))
    s.zone_records = ((s.zone_records - pointers) | plan.creates
                      | pointer(ZONE, PLAN_NAME[plan_id]) | pointer(ROLLBACK, previous))
    epoch = s.lock.epoch + 1
    s.lock = LockRecord(epoch=epoch, owner=deployer)
    s.deployer_lock[deployer] = epoch
    s.deployer_root[deployer] = PLAN_NAME[plan_id]
    s.deployer_rollback[deployer] = previous
    s.deployer_pending[deployer] = False


@action(inline=False)
def deployer_back_off(c: Context[DnsBalancerState], deployer: Annotated[Expr, str]):
    """Lost the lock race: re-read the zone and keep the plan, to retry with it."""
    s = c.state
    c.assume(s.deployer_pending[deployer])
    c.assume(s.lock.epoch != s.deployer_lock[deployer])
    read_zone(c, deployer)


@action(inline=False)
def deployer_gc(c: Context[DnsBalancerState], deployer: Annotated[Expr, str]):
    """Deployer cleans up old plans."""
    s = c.state
    # after its own deployment: the plan it works on is live, as far as it knows
    c.assume(~s.deployer_pending[deployer])
    c.assume(s.deployer_root[deployer] == PLAN_NAME[s.deployer_next_plan[deployer]])

    next_plan = s.deployer_next_plan[deployer]
    old_indices = s.planner_updates.keys.filter(
        lambda i: next_plan > i + s.MAX_PLAN_AGE
    )
    old_plan_entries = Set(
        s.planner_updates[i].creates for i in old_indices
    ).flattened

    # avoid unrealistic no-op cleanups
    c.assume(~(old_plan_entries & s.zone_records).is_empty)

    # implementation may do this in a loop;
    # the spec models the abstract effect
    s.zone_records -= old_plan_entries


@action
def step(c: Context[DnsBalancerState]):
    s = c.state
    alts = c.alternatives("publish", "refresh", "deploy", "back_off", "gc")
    with alts[0], c.one_of(s.IPS) as ip_a, c.one_of(s.IPS) as ip_b, \
            c.one_of(s.WEIGHTS) as w_a, c.one_of(s.WEIGHTS) as w_b:
        planner_publish(c, ip_a, ip_b, w_a, w_b)
    for alt, deployer_action in zip(alts[1:], (deployer_refresh, deployer_deploy, deployer_back_off,
                                               deployer_gc)):
        with alt, c.one_of(s.DEPLOYERS) as deployer:
            deployer_action(c, deployer)


# --- properties ----------------------------------------------------------------------------------

@invariant
def no_inconsistent_root(s: DnsBalancerState):
    """Root must always point to an existing plan."""
    cnames = SetIf(r.kind == CNAME for r in s.zone_records)
    plans = Set(r.value[0] for r in SetIf(r2.name == ZONE for r2 in cnames))
    return ~((plans & Set(r.name for r in cnames)).is_empty) & (plans.size == 1)


@invariant
def no_inconsistent_rollback(s: DnsBalancerState):
    """Rollback must always point to an existing plan."""
    cnames = SetIf(r.kind == CNAME for r in s.zone_records)
    plans = Set(r.value[0] for r in SetIf(r2.name == ROLLBACK for r2 in cnames))
    return ~((plans & Set(r.name for r in cnames)).is_empty) & (plans.size == 1)
