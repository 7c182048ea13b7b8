"""Ctrl-C during a Z3 call, without losing it.

Z3's own SIGINT handler (its `ctrl_c` option, on by default) replaces Python's while a
query runs and cancels the query; when the query ends anyway, the signal is gone, so the
user's Ctrl-C is lost and the run goes on. Instead, solvers are made with `ctrl_c` off and
Python's handler stays: its C-level part writes the signal to Python's wakeup fd at once,
even while the main thread is inside Z3, and a watcher thread reading that fd interrupts
Z3. The main thread raises KeyboardInterrupt as soon as the call returns, whether Z3 was
interrupted or had just finished.

A Ctrl-C can also land while Python runs a z3 wrapper's `__del__` (encoding makes and drops
thousands of them); Python then prints "Exception ignored" and the KeyboardInterrupt is gone.
While an engine runs inside `watching_interrupts()`, SIGINT goes through a handler that also
counts it, and `raise_lost_interrupt()` (as every solver query starts) raises
KeyboardInterrupt again for a Ctrl-C that was counted but never caught.
"""
from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from typing import Any, Callable, Iterator, Optional

import z3

_WAKEUP: Optional[int] = None   # the write end of the watcher's pipe, once started
_SIGINTS = 0      # Ctrl-Cs turned into KeyboardInterrupt while an engine runs (watching_interrupts)
_REPORTED = 0     # ... of which one was caught: the engine ended with "interrupted"
_WATCHING = 0     # nesting depth of watching_interrupts()


def _on_sigint(signum: int, frame: object) -> None:
    """Python's own behaviour (raise KeyboardInterrupt), counting the signal first."""
    global _SIGINTS
    _SIGINTS += 1
    raise KeyboardInterrupt


@contextlib.contextmanager
def watching_interrupts() -> Iterator[None]:
    """Around an engine run: count Ctrl-Cs so that one lost in a `__del__` is raised again.

    Only Python's default handler is replaced (someone else's stays, and so does an ignored
    SIGINT), only in the main thread, and only for the run: a Ctrl-C before or after it is
    none of the run's business."""
    global _WATCHING, _REPORTED
    own = (threading.current_thread() is threading.main_thread()
           and signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    if own:
        signal.signal(signal.SIGINT, _on_sigint)
    hook = sys.unraisablehook
    if own:
        sys.unraisablehook = functools.partial(_quiet_about_interrupts, hook)
    _WATCHING += 1
    try:
        yield
    finally:
        _WATCHING -= 1
        if _WATCHING == 0:
            _REPORTED = _SIGINTS
        if own:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sys.unraisablehook = hook


def _quiet_about_interrupts(hook: Callable[[Any], None], unraisable: Any) -> None:
    """No "Exception ignored in __del__" traceback for a counted Ctrl-C: it is raised again."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        hook(unraisable)


def interrupt_reported() -> None:
    """The engine caught the KeyboardInterrupt and reports the run as interrupted."""
    global _REPORTED
    _REPORTED = _SIGINTS


def raise_lost_interrupt() -> None:
    """Raise KeyboardInterrupt for a Ctrl-C of this run that nobody caught (see the module doc)."""
    if _SIGINTS > _REPORTED:
        interrupt_reported()
        raise KeyboardInterrupt


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
    raise_lost_interrupt()
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
