"""A stop-and-wait link whose duplicate filter forgets that sequence numbers wrap.

Source
------
A deliberately buggy protocol, our own, for a deep counterexample. It is the
classic wrap-around bug of sliding-window and stop-and-wait protocols (e.g.
the alternating-bit protocol of Bartlett, Scantlebury and Wilkinson, CACM
12(5), 1969, generalised to ``MOD`` sequence numbers): the receiver uses
"newer than the last one" (``seq > last``) to filter duplicates, which is
right until the sequence numbers wrap around modulo ``MOD``.

What is modelled
----------------
A sender transmits messages 0, 1, 2, ... one at a time; message ``n`` travels
with the sequence number ``n % MOD``. The link holds at most one data frame
and one acknowledgement, and may lose either. One transition is one of:

* ``send``       the sender (re)transmits its current message, if the data
  slot is free;
* ``lose_data`` / ``lose_ack``  the link drops the frame in a slot;
* ``receive``    the receiver takes the data frame; if its number is newer than
  the last one delivered (``seq > last``: the bug) it delivers it and
  remembers the number; either way it acknowledges the number (so that lost
  acknowledgements are repeated);
* ``get_ack``    the sender takes the acknowledgement; if it names the current
  message's number, the sender moves on to the next message.

The property
------------
``no_message_lost``: every message the sender considers acknowledged was
delivered (``next_msg <= delivered``). **Violated.** The shortest
counterexample has **3 MOD + 3** transitions: 27 for MOD = 8. Messages 0 ..
MOD-1 each need send, receive and get_ack (3 MOD transitions); message MOD
goes out with number 0, the receiver (last = MOD - 1) takes it for an old
duplicate, drops it but acknowledges it, and the sender moves on (3 more).
Not fewer: the sender only moves on from message n after an acknowledgement
numbered ``n % MOD``, which the receiver only sends after receiving a frame
with that number, which the sender only sends while at message n; and before
message MOD every number is new to the receiver. The fix is
``seq != last`` (for stop-and-wait, any number other than the last one is
new); ``no_message_lost_fixed`` checks the fixed filter on a second receiver
fed the same frames and **holds**.

Instances and expected verdicts
-------------------------------
* ``mod8`` (MOD = 8): ``no_message_lost`` **violated**, shortest
  counterexample **27** transitions; ``no_message_lost_fixed`` **holds**.
* ``mod3`` (MOD = 3, for tests): violated in **12**; the fixed one holds.
"""
from wunderspec_smt import *


@state
class Link(MachineStateBase):
    MOD: Param[int]
    next_msg: StateVar[int]       # sender: the message it is sending (all before it are acknowledged)
    data_full: StateVar[bool]     # link: a data frame is in flight ...
    data_seq: StateVar[int]       # ... with this sequence number
    ack_full: StateVar[bool]      # link: an acknowledgement is in flight ...
    ack_seq: StateVar[int]        # ... for this sequence number
    last: StateVar[int]           # receiver: the number of the last frame it delivered (-1: none)
    delivered: StateVar[int]      # receiver: how many messages it delivered
    last_fixed: StateVar[int]     # the fixed receiver's `last`
    delivered_fixed: StateVar[int]


@instance
def mod8() -> Link:
    return Link(MOD=8)


@instance
def mod3() -> Link:
    return Link(MOD=3)


@action
def init(c: Context[Link]):
    s = c.state
    s.next_msg = 0
    s.data_full = False
    s.data_seq = 0
    s.ack_full = False
    s.ack_seq = 0
    s.last = -1
    s.delivered = 0
    s.last_fixed = -1
    s.delivered_fixed = 0


@action(inline=False)
def send(c: Context[Link]):
    s = c.state
    c.assume(~s.data_full)
    s.data_full = True
    s.data_seq = s.next_msg % s.MOD


@action(inline=False)
def lose_data(c: Context[Link]):
    c.assume(c.state.data_full)
    c.state.data_full = False


@action(inline=False)
def lose_ack(c: Context[Link]):
    c.assume(c.state.ack_full)
    c.state.ack_full = False


@action(inline=False)
def receive(c: Context[Link]):
    s = c.state
    c.assume(s.data_full)
    seq = s.data_seq
    new = seq > s.last                    # the bug: sequence numbers wrap around
    new_fixed = seq != s.last_fixed       # stop-and-wait: anything but the last number is new
    s.data_full = False
    s.delivered = Ite(new, s.delivered + 1, s.delivered)
    s.last = Ite(new, seq, s.last)
    s.delivered_fixed = Ite(new_fixed, s.delivered_fixed + 1, s.delivered_fixed)
    s.last_fixed = Ite(new_fixed, seq, s.last_fixed)
    s.ack_full = True
    s.ack_seq = seq


@action(inline=False)
def get_ack(c: Context[Link]):
    s = c.state
    c.assume(s.ack_full)
    s.ack_full = False
    s.next_msg = Ite(s.ack_seq == s.next_msg % s.MOD, s.next_msg + 1, s.next_msg)


@action
def step(c: Context[Link]):
    alts = c.alternatives("send", "lose_data", "lose_ack", "receive", "get_ack")
    with alts[0]:
        send(c)
    with alts[1]:
        lose_data(c)
    with alts[2]:
        lose_ack(c)
    with alts[3]:
        receive(c)
    with alts[4]:
        get_ack(c)


@invariant
def no_message_lost(s: Link):
    """Every acknowledged message was delivered (violated: 3 MOD + 3 transitions)."""
    return s.next_msg <= s.delivered


@invariant
def no_message_lost_fixed(s: Link):
    """The same, for the receiver with the fixed filter (holds)."""
    return s.next_msg <= s.delivered_fixed
