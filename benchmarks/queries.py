#!/usr/bin/env python3
"""Dump the solver queries of a benchmark case, and time them one-shot with Z3 or a SAT solver.

    python benchmarks/queries.py dump paxos -k 13 -p agreement --assume-unsat-after 3 --out /tmp/q
    python benchmarks/queries.py solve /tmp/q/paxos_024.smt2 --with z3 kissat404 cadical195

Why: deciding how to answer a hard query (which solver, which preprocessing) is a question
about single queries, and a BMC run to reach them takes minutes. `dump` runs the engine
(`run_bmc`, lemma search off) and writes every query it asks, as SMT-LIB with the
assumption literals asserted, to OUT/<case>_<n>.smt2. `solve` asks each file of a fresh
Z3 `QF_BV` solver (`z3`) or, through solvers/sat_backend.py, of a PySAT solver (`kissat404`,
`cadical195`, `glucose4`, ...; the time includes Z3's bit-blasting).

`--assume-unsat-after S` gives each query S seconds and, when it is not answered by then,
goes on as if it were unsat: the only way to reach the depth-13 Paxos query without first
solving depth 12. Use it only on a case whose queries are known to be unsat (`holds`); the
run's verdicts then mean nothing, so `dump` prints none.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import z3  # noqa: E402

from run import CASES  # noqa: E402
from wunderspec_smt.solvers import z3native  # noqa: E402
from wunderspec_smt.solvers.sat_backend import ask_sat_solver  # noqa: E402


def dump(case: str, instance: Optional[str], depth: Optional[int], props: List[str], out: str,
         assume_unsat_after: Optional[float]) -> List[str]:
    from wunderspec_smt.engines.bmc import run_bmc
    from wunderspec_smt.loader import compile_model, load_spec
    c = CASES[case]
    model = compile_model(load_spec(os.path.join(HERE, "specs", c.spec)), instance or c.instance, None, None)
    chosen = [p for name, p in model.properties.items() if not props or name in props]
    os.makedirs(out, exist_ok=True)
    written: List[str] = []
    real_check = z3native.Z3Solver.check

    def check(self, assumptions=(), timeout_s=None):
        s = z3.SolverFor("QF_BV")
        s.add(self.assertions())
        s.add(*assumptions)
        path = os.path.join(out, f"{case}_{len(written):03d}.smt2")
        with open(path, "w") as f:
            f.write(s.to_smt2())
        written.append(path)
        if assume_unsat_after is None:
            return real_check(self, assumptions, timeout_s)
        verdict = real_check(self, assumptions, assume_unsat_after)
        return z3native.Verdict.UNSAT if verdict == z3native.Verdict.UNKNOWN else verdict

    z3native.Z3Solver.check = check
    try:
        run_bmc(model, chosen, depth if depth is not None else c.depth, lemmas="off")
    finally:
        z3native.Z3Solver.check = real_check
    return written


def solve(path: str, how: str, timeout_s: Optional[float]) -> str:
    start = time.perf_counter()
    if how == "z3":
        s = z3.SolverFor("QF_BV")
        s.from_file(path)
        if timeout_s is not None:
            s.set("timeout", int(timeout_s * 1000))
        verdict, size = str(s.check()), ""
    else:
        answer = ask_sat_solver(list(z3.parse_smt2_file(path)), timeout_s, how)
        if answer is None:
            return f"{os.path.basename(path)} {how}: not answered by this path"
        verdict = str(answer.verdict)
        size = f" ({answer.stats.get('sat vars', 0)} vars, {answer.stats.get('sat clauses', 0)} clauses)"
    return f"{os.path.basename(path)} {how}: {verdict} in {time.perf_counter() - start:.2f} s{size}"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="write every query of a BMC run as SMT-LIB")
    d.add_argument("case", choices=sorted(CASES))
    d.add_argument("--instance", "-i")
    d.add_argument("--max-steps", "-k", type=int)
    d.add_argument("--property", "-p", action="append", default=[])
    d.add_argument("--out", default="queries")
    d.add_argument("--assume-unsat-after", type=float, metavar="S")
    s = sub.add_parser("solve", help="time dumped queries one-shot")
    s.add_argument("files", nargs="+")
    s.add_argument("--with", dest="solvers", nargs="+", default=["z3"], metavar="SOLVER",
                   help="z3, or a PySAT solver name (kissat404, cadical195, glucose4, ...)")
    s.add_argument("--timeout", type=float)
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        for path in dump(args.case, args.instance, args.max_steps, args.property, args.out,
                         args.assume_unsat_after):
            print(path)
        return 0
    for path in args.files:
        for how in args.solvers:
            print(solve(path, how, args.timeout), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
