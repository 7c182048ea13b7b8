"""Ctrl-C during a Z3 call, without losing it.

Z3's own SIGINT handler (its `ctrl_c` option, on by default) replaces Python's while a
query runs and cancels the query; when the query ends anyway, the signal is gone, so the
user's Ctrl-C is lost and the run goes on. Instead, solvers are made with `ctrl_c` off and
Python's handler stays: its C-level part writes the signal to Python's wakeup fd at once,
even while the main thread is inside Z3, and a watcher thread reading that fd interrupts
Z3. The main thread raises KeyboardInterrupt as soon as the call returns, whether Z3 was
interrupted or had just finished.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Iterator, Optional

import z3

_WAKEUP: Optional[int] = None   # the write end of the watcher's pipe, once started


def _watch(fd: int) -> None:
    while True:
        if signal.SIGINT in os.read(fd, 512):
            z3.main_ctx().interrupt()


def _forget_watcher() -> None:
    global _WAKEUP
    _WAKEUP = None   # a forked child has no watcher thread: it starts its own when it needs one


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_watcher)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within this block, Ctrl-C interrupts the running Z3 call (of the main context)."""
    global _WAKEUP
    if threading.current_thread() is not threading.main_thread() or not callable(signal.getsignal(signal.SIGINT)):
        yield   # not the main thread, or SIGINT ignored: nothing to do
        return
    try:
        if _WAKEUP is None:
            r, w = os.pipe()
            os.set_blocking(w, False)
            threading.Thread(target=_watch, args=(r,), name="z3-interrupt", daemon=True).start()
            _WAKEUP = w
        old = signal.set_wakeup_fd(_WAKEUP, warn_on_full_buffer=False)
    except (AttributeError, OSError, ValueError):   # no such pipes (Windows wants a socket): as Python alone
        yield
        return
    if old not in (-1, _WAKEUP):   # someone else's (an event loop): theirs stays
        signal.set_wakeup_fd(old)
        yield
        return
    try:
        yield
    finally:
        signal.set_wakeup_fd(old)
