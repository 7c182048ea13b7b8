"""Child process that runs one SAT solver of PySAT on a DIMACS problem read from stdin.

Run as a script (``python sat_worker.py SOLVER``), never imported by the package: it needs
nothing but PySAT, so it starts in a fraction of a second. It lives in its own process
because PySAT's Kissat holds the GIL and cannot be interrupted: a child can be killed at the
deadline or on Ctrl-C, a thread could not.

Output (stdout): ``unsat``, or ``sat`` and then the model as space-separated literals on the
second line; a third line of ``key=value`` solver counters (empty when the solver
does not expose them). Exit code 3 when PySAT or the
solver is missing, so the parent can fall back to Z3.
"""
import sys


def main() -> int:
    try:
        from pysat.formula import CNF
        from pysat.solvers import Solver
    except ImportError as e:  # pragma: no cover - python-sat is a dependency
        print(f"python-sat is not importable: {e}", file=sys.stderr)
        return 3
    name = sys.argv[1]
    cnf = CNF(from_string=sys.stdin.read())
    try:
        solver = Solver(name=name, bootstrap_with=cnf.clauses)
    except Exception as e:  # pragma: no cover - an unknown solver name
        print(f"cannot start SAT solver {name!r}: {e}", file=sys.stderr)
        return 3
    with solver:
        sat = solver.solve()
        lines = ["sat" if sat else "unsat", " ".join(map(str, solver.get_model() or ())) if sat else ""]
        try:
            stats = solver.accum_stats() or {}
        except NotImplementedError:   # Kissat in PySAT keeps its counters to itself
            stats = {}
        lines.append(" ".join(f"{k}={v}" for k, v in sorted(stats.items())))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
