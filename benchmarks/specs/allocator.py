"""A simple resource allocator (SimpleAllocator): clients request and get resources.

Source algorithm
----------------
The simple allocator of S. Merz's TLA+ case study "The Specification Language
TLA+" (in "Modeling and Verification of Real-Time Systems", 2008; the
``SimpleAllocator`` module of the TLA+ examples), which the Apalache OOPSLA'19
benchmark suite (Konnov, Kukovec, Tran, "TLA+ model checking made symbolic")
checks with 5 clients and 3 resources to depth 7. This file is our own
rendering in the wunderspec DSL, written from the published description.

What is modelled
----------------
Clients ``Clients`` and resources ``Resources`` (strings). ``unsat[c]`` is the
set of resources c has asked for and not yet received; ``alloc[c]`` the set it
holds. The resources held by nobody are ``available``. One transition is one
of (the client and the set of resources are picked with ``one_of``; sets with
``AllSubsets``):

* ``request(c, S)``   a client holding nothing, with no pending request, asks
  for a non-empty set S of resources;
* ``allocate(c, S)``  the allocator gives c a non-empty set S of available
  resources that c asked for;
* ``give_back(c, S)`` c returns a non-empty set S of the resources it holds.

The properties
--------------
* ``resource_mutex``: no resource is held by two clients at once. **Holds.**
* ``all_allocated`` (``@example``): every resource is held by someone;
  shortest witness **2** transitions (one client asks for all and gets them).
* ``two_holders`` (``@example``): two clients hold resources at once;
  shortest witness **4** transitions.

Instances and expected verdicts
-------------------------------
* ``c5r3`` (5 clients, 3 resources, the benchmark's size), target depth 7:
  ``resource_mutex`` **holds** to depth 7.
* ``c2r2`` (2 clients, 2 resources, for tests): ``resource_mutex`` **holds**;
  ``all_allocated`` **found** in 2, ``two_holders`` in 4.
"""
from wunderspec_smt import *


@state
class Allocator(MachineStateBase):
    Clients: Param[set[str]]
    Resources: Param[set[str]]
    unsat: StateVar[dict[str, set[str]]]
    alloc: StateVar[dict[str, set[str]]]


@instance
def c5r3() -> Allocator:
    return Allocator(Clients={"c1", "c2", "c3", "c4", "c5"}, Resources={"r1", "r2", "r3"})


@instance
def c2r2() -> Allocator:
    return Allocator(Clients={"c1", "c2"}, Resources={"r1", "r2"})


def available(s):
    return s.Resources - Set(s.alloc[c] for c in s.Clients).flattened


@action
def init(c: Context[Allocator]):
    s = c.state
    s.unsat = Map(Set(str) for cl in s.Clients)
    s.alloc = Map(Set(str) for cl in s.Clients)


@action(inline=False)
def request(c: Context[Allocator], cl: str, S: set[str]):
    s = c.state
    c.assume(s.unsat[cl].is_empty)
    c.assume(s.alloc[cl].is_empty)
    c.assume(~S.is_empty)
    s.unsat[cl] = S


@action(inline=False)
def allocate(c: Context[Allocator], cl: str, S: set[str]):
    s = c.state
    c.assume(~S.is_empty)
    c.assume(S <= (available(s) & s.unsat[cl]))
    s.alloc[cl] = s.alloc[cl] | S
    s.unsat[cl] = s.unsat[cl] - S


@action(inline=False)
def give_back(c: Context[Allocator], cl: str, S: set[str]):
    s = c.state
    c.assume(~S.is_empty)
    c.assume(S <= s.alloc[cl])
    s.alloc[cl] = s.alloc[cl] - S


@action
def step(c: Context[Allocator]):
    s = c.state
    with c.one_of(s.Clients) as cl:
        with c.one_of(AllSubsets(s.Resources)) as S:
            alts = c.alternatives("request", "allocate", "give_back")
            with alts[0]:
                request(c, cl, S)
            with alts[1]:
                allocate(c, cl, S)
            with alts[2]:
                give_back(c, cl, S)


@invariant
def resource_mutex(s: Allocator):
    """No resource is held by two clients at once (holds)."""
    return Forall(Implies(c1 != c2, (s.alloc[c1] & s.alloc[c2]).is_empty)
                  for c1 in s.Clients for c2 in s.Clients)


@example
def all_allocated(s: Allocator):
    """Every resource is held by some client (found in 2 transitions)."""
    return available(s).is_empty


@example
def two_holders(s: Allocator):
    """Two clients hold resources at once (found in 4 transitions)."""
    return Exists(And(c1 != c2, ~s.alloc[c1].is_empty, ~s.alloc[c2].is_empty)
                  for c1 in s.Clients for c2 in s.Clients)
