"""Ctrl-C while Z3 runs (solvers/interrupts.py): never lost, and the run stops at once.

Each test runs in a subprocess and sends it SIGINT, so a KeyboardInterrupt can never
reach the test session itself.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

HARD_QUERY = textwrap.dedent("""
    import time, z3
    from wunderspec_smt.solvers.z3native import Z3Solver
    s = Z3Solver("QF_BV")
    n = 14   # 14 pigeons, 13 holes: many seconds for the SAT solver
    xs = [z3.BitVec(f"x{i}", 5) for i in range(n)]
    s.add(*[z3.ULT(x, n - 1) for x in xs], z3.Distinct(*xs))
    print("ready", flush=True)
    start = time.perf_counter()
    try:
        verdict = s.check()
        print("answered", verdict, s.reason_unknown, round(time.perf_counter() - start, 2), flush=True)
    except KeyboardInterrupt:
        print("interrupted", round(time.perf_counter() - start, 2), flush=True)
""")


def _start(args):
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_ctrl_c_stops_a_running_query_and_raises():
    proc = _start([sys.executable, "-c", HARD_QUERY])
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    # before, Z3's own handler turned Ctrl-C into an "unknown" answer, or lost it when the query ended
    words = out.split()
    assert words[0] == "interrupted", out
    assert float(words[1]) < 5.0, out


def _ctrl_c_to_cli(args, after_s: float):
    """Run the CLI, send it SIGINT after `after_s` seconds: (exit code, output, seconds it took to stop)."""
    proc = _start([sys.executable, "-m", "wunderspec_smt", *args])
    time.sleep(after_s)
    start = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out, time.perf_counter() - start


@pytest.mark.parametrize("args,said", [
    # BMC: loading and the first depths take about 2 s; depth 12 takes seconds of solving
    (["check", "paxos.py", "-i", "a3v2b4", "-k", "13", "--lemmas", "off"], "interrupted"),
    # a proof: PDR on bcastFolklore N=20 runs for minutes; Ctrl-C lands in Z3's Spacer (or the encoding before it)
    (["prove", "bcast_folklore.py", "-i", "n20", "-p", "unforgeability", "-m", "pdr"],
     "not proved: interrupted (Ctrl-C)"),
], ids=["check", "prove"])
def test_ctrl_c_stops_the_cli_inconclusive_with_exit_4(args, said):
    spec = os.path.join(ROOT, "benchmarks", "specs", args[1])
    code, out, seconds = _ctrl_c_to_cli([args[0], spec, *args[2:]], 4.0)
    assert code == 4, out
    assert said in out
    assert seconds < 10, out


def test_ctrl_c_inside_a_ctypes_call_is_reported_as_interrupted(monkeypatch, capsys):
    """Ctrl-C that lands while ctypes converts an argument for Z3 comes out as an ArgumentError;
    it is still an interrupt (exit 4), not an internal error (exit 6)."""
    import ctypes
    from wunderspec_smt import cli
    from wunderspec_smt.engines import bmc

    def interrupted(*a, **k):
        raise ctypes.ArgumentError("argument 1: KeyboardInterrupt: ")

    monkeypatch.setattr(bmc, "run_bmc", interrupted)
    with pytest.raises(SystemExit) as e:
        cli.main(["check", os.path.join(ROOT, "examples", "mutex_race.py")])
    assert e.value.code == 4
    assert "interrupted" in capsys.readouterr().err


def test_ctrl_c_outside_an_engine_is_inconclusive_not_typers_130(monkeypatch, capsys):
    """A Ctrl-C that no engine catches (say while the spec loads) reaches Typer, which exits 130;
    the CLI reports it as inconclusive (exit 4), like every other interrupt."""
    from wunderspec_smt import cli
    from wunderspec_smt.engines import bmc

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(bmc, "run_bmc", interrupted)
    with pytest.raises(SystemExit) as e:
        cli.main(["check", os.path.join(ROOT, "examples", "mutex_race.py")])
    assert e.value.code == 4
    assert "interrupted before any result was established" in capsys.readouterr().err


LOST_IN_DEL = textwrap.dedent("""
    import os, signal
    from wunderspec_smt.solvers.interrupts import interruptible, watching_interrupts

    class Dropped:   # like a z3 wrapper: Ctrl-C landing in its __del__ is printed and ignored by Python
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10000):
                pass

    with watching_interrupts():
        Dropped()
        print("went on", flush=True)
        try:
            with interruptible():
                print("not raised", flush=True)
        except KeyboardInterrupt:
            print("raised again", flush=True)
        with interruptible():
            print("only once", flush=True)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with watching_interrupts():
        with interruptible():
            print("a new run starts clean", flush=True)
""")


def test_a_ctrl_c_lost_in_a_destructor_is_raised_at_the_next_query():
    proc = subprocess.run([sys.executable, "-c", LOST_IN_DEL], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:4] == ["went on", "raised again", "only once", "a new run starts clean"], proc.stdout
    assert "Exception ignored" not in proc.stderr   # no traceback for it: it was raised again
