#!/usr/bin/env python3
"""Where a BMC run's Python time goes, by part, without a profiler's overhead.

    python benchmarks/parts.py bakery two_phase raft allocator hanoi

Runs each case (full instance, its target depth) in a fresh process with the encoder's entry
points of `engines/bmc.Unrolling` wrapped in timers, and prints per case the wall time, the
solver time, the Python time, and the milliseconds spent in each part: encoding steps
(`encode_next`), binding next states (`add_next`), encoding properties (`property_terms`),
the range analysis (`int_encoding`), decoding and replaying traces, starting the lemma search.
"""
from __future__ import annotations

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

WORKER = r'''
import collections, functools, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {here!r})
import run as R
from wunderspec_smt.engines import bmc
from wunderspec_smt.interp.stepper import replay_trace
from wunderspec_smt.loader import compile_model, load_spec
spent = collections.Counter()

def timed(owner, name, label):
    f = getattr(owner, name)
    @functools.wraps(f)
    def g(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            spent[label] += time.perf_counter() - t
    setattr(owner, name, g)

for name, label in (("encode_init", "init"), ("add_init", "init"), ("encode_next", "steps"),
                    ("add_next", "binding"), ("property_terms", "properties"), ("decode_trace", "decode")):
    timed(bmc.Unrolling, name, label)
timed(bmc, "int_encoding", "ranges")
timed(bmc._LemmaSearch, "start_beside", "lemma start")
case = R.CASES[{name!r}]
model = compile_model(load_spec(R.SPECS + "/" + case.spec), case.instance, None, None)

def replay(trace):
    t = time.perf_counter()
    replay_trace(model, trace)
    spent["replay"] += time.perf_counter() - t

start = time.perf_counter()
res = bmc.run_bmc(model, [model.properties[n] for n in case.expected], case.depth, 600, replay=replay)
wall = time.perf_counter() - start
parts = " ".join(f"{{k}}={{1000 * v:.0f}}" for k, v in spent.most_common())
print(f"{{wall:.3f}} {{res.solver_seconds:.3f}} {{res.stats.get('renamed_steps')}} {{parts}}")
'''


def main(cases) -> int:
    sys.path.insert(0, HERE)
    import run as R
    for name in cases or sorted(R.CASES):
        if name not in R.CASES:
            raise SystemExit(f"unknown case {name!r}; cases: {', '.join(sorted(R.CASES))}")
        proc = subprocess.run([sys.executable, "-c", WORKER.format(root=ROOT, here=HERE, name=name)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{name}: the worker failed:\n{proc.stderr[-2000:]}")
        wall, solver, renamed, *parts = proc.stdout.split()
        python = float(wall) - float(solver)
        print(f"{name:15s} wall {float(wall) * 1000:.0f} ms, solver {float(solver) * 1000:.0f} ms, "
              f"Python {python * 1000:.0f} ms ({100 * python / float(wall):.0f}%), renamed steps {renamed}; "
              f"ms: {' '.join(parts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
