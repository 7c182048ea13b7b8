"""The `wunderspec-smt` command line: parse, call an engine, render.

Exit codes (DESIGN.md section 6): 0 holds, 1 invariant violated, 2 example found,
3 example not found, 4 inconclusive, 5 error in the spec or the command line,
6 internal error. Click's own usage errors (exit 2) are mapped to 5 because 2
means "example found" here.
"""
from __future__ import annotations

import enum
import json
import os
import sys
import time
from typing import Annotated, Callable, List, Optional

import typer

from .errors import InternalError, SpecError, UsageError, WunderspecError

EXIT_HOLDS, EXIT_VIOLATED, EXIT_FOUND, EXIT_NOT_FOUND, EXIT_INCONCLUSIVE, EXIT_SPEC_ERROR, EXIT_INTERNAL = range(7)

app = typer.Typer(
    name="wunderspec-smt",
    help="Symbolic bounded model checker (Z3) for executable specifications in the wunderspec DSL.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


# Parameters shared by the commands, declared once.
SpecArg = Annotated[str, typer.Argument(help="The spec file (a Python module in the wunderspec DSL).")]
InstanceOpt = Annotated[Optional[str], typer.Option("--instance", "-i", help="The @instance to use.")]
PropertiesOpt = Annotated[Optional[List[str]], typer.Option(
    "--property", "-p", help="Invariant or example to check (repeatable). Default: all invariants.")]


class IntEncoding(str, enum.Enum):
    """`check --ints`: see engines/bmc.py `int_encoding`."""
    auto = "auto"
    int = "int"


IntsOpt = Annotated[IntEncoding, typer.Option(
    "--ints", help="How integers are encoded: 'auto' uses small bit-vectors when a range analysis bounds every "
                   "integer of the run (much faster; exact, never wraps), else mathematical integers; 'int' "
                   "always uses mathematical integers.")]


class LemmaMode(str, enum.Enum):
    """`check --lemmas`: see engines/lemmas.py and bmc.run_bmc."""
    auto = "auto"
    first = "first"
    off = "off"


LemmasOpt = Annotated[LemmaMode, typer.Option(
    "--lemmas", help="Try once (for at most 5 s) to prove the spec's invariants inductive together (with "
                     "helper facts from templates): those proved hold at every depth and are not searched for "
                     "any more. 'auto' tries once the search "
                     "looks like taking over a second (a third of one, on a second core beside the search), "
                     "'first' before it, 'off' never.")]
TimeoutOpt = Annotated[Optional[float], typer.Option("--timeout", help="Give up after this many seconds (exit 4).")]
OutItfOpt = Annotated[Optional[str], typer.Option("--out-itf", help="Write the traces found as ITF JSON ('-' = stdout).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON summary on stdout.")]
InitOpt = Annotated[Optional[str], typer.Option("--init", help="Name of the init action (default: init/Init).")]
StepOpt = Annotated[Optional[str], typer.Option("--step", help="Name of the step action (default: step/Next).")]


class _Out:
    """Human output goes to stdout, or to stderr when stdout carries JSON/ITF."""

    def __init__(self, machine_stdout: bool):
        self.stream = sys.stderr if machine_stdout else sys.stdout
        self.color = self.stream.isatty() and not os.environ.get("NO_COLOR")

    def line(self, text: str = "") -> None:
        print(text, file=self.stream, flush=True)

    def tag(self, kind: str, text: str) -> None:
        colors = {"error": "\x1b[31m", "success": "\x1b[32m", "warning": "\x1b[33m", "info": "\x1b[36m"}
        label = f"{colors.get(kind, '')}{kind}:\x1b[0m" if self.color else f"{kind}:"
        self.line(f"{label} {text}")


def _progress_printer(describe: Callable[..., str]):
    """A progress callback for a terminal (a no-op otherwise): one line, rewritten in place.

    `describe(*args)` says where the engine is; the total time is appended.
    """
    tty = sys.stderr.isatty()
    start = time.perf_counter()

    def update(*args) -> None:
        if tty:
            sys.stderr.write(f"\r  {describe(*args)}, total {time.perf_counter() - start:.1f}s   ")
            sys.stderr.flush()

    def done() -> None:
        if tty:
            sys.stderr.write("\n")
            sys.stderr.flush()

    return update, done


def _select_properties(sm, model, names: List[str]):
    from .ir import Property
    props: List[Property] = []
    if not names:
        props = [p for p in model.properties.values() if p.kind == "invariant"]
        if not props:
            hint = ("name an example with --property: " + ", ".join(sm.examples)) if sm.examples else \
                "declare one with @invariant"
            raise UsageError(f"{sm.path} has no invariants to check", hint=hint)
        return props
    for n in names:
        if n in model.properties:
            props.append(model.properties[n])
        elif n in sm.temporals:
            raise SpecError(f"temporal property {n!r} is not supported yet", _loc(sm.temporals[n]),
                            hint="check invariants and examples; temporal properties are planned")
        else:
            known = ", ".join(model.properties) or "none"
            raise UsageError(f"{sm.path} has no property named {n!r}", hint=f"properties: {known}")
    return props


def _loc(fn):
    from .errors import SourceLoc
    code = getattr(getattr(fn, "_fn", fn), "__code__", None)
    return SourceLoc(code.co_filename, code.co_firstlineno) if code else None


_finished: list = []  # set when a command reached its verdict, to tell its exit code 2 from Click's


def _done(code: int) -> typer.Exit:
    _finished.append(code)
    return typer.Exit(code)


def _exit_code(results) -> int:
    kinds = {(r.kind, r.verdict) for r in results}
    if ("invariant", "violated") in kinds:
        return EXIT_VIOLATED
    if any(v == "unknown" for _, v in kinds):
        return EXIT_INCONCLUSIVE
    if ("example", "not_found") in kinds:
        return EXIT_NOT_FOUND
    if ("example", "found") in kinds:
        return EXIT_FOUND
    return EXIT_HOLDS


@app.command()
def check(
    spec: SpecArg,
    instance: InstanceOpt = None,
    prop: PropertiesOpt = None,
    max_steps: int = typer.Option(10, "--max-steps", "-k", min=0, help="Depth bound: number of transitions."),
    timeout: TimeoutOpt = None,
    out_itf: OutItfOpt = None,
    as_json: JsonOpt = False,
    init: InitOpt = None,
    step: StepOpt = None,
    ints: IntsOpt = IntEncoding.auto,
    lemmas: LemmasOpt = LemmaMode.auto,
) -> None:
    """Search for invariant violations and example witnesses up to --max-steps transitions (BMC with Z3)."""
    out = _Out(machine_stdout=as_json or out_itf == "-")
    from .engines.bmc import run_bmc

    model, props = _prepare(out, "checking", spec, instance, prop, init, step, f"up to {_steps(max_steps)}")
    on_depth, done = _progress_printer(
        lambda s: f"depth {s.depth}/{max_steps}: {s.seconds:.2f}s (solver {s.solver_seconds:.2f}s)")
    result = run_bmc(model, props, max_steps, timeout, on_depth=on_depth, replay=_replayer(model), ints=ints.value,
                      lemmas=lemmas.value)
    done()
    encoding = result.stats.get("int_encoding", "int")
    how = ("integers as mathematical integers" if encoding == "int"
           else f"integers as {encoding[2:]}-bit vectors (range analysis)")
    _report(out, spec, model, max_steps, result, as_json, out_itf,
            [("info", f"{result.total_seconds:.2f}s total, {result.solver_seconds:.2f}s in the solver; {how}")],
            json_extra={"int_encoding": encoding, "lemmas": result.stats.get("lemmas", [])})


def _steps(n: int) -> str:
    return f"{n} step{'s' if n != 1 else ''}"


def _prepare(out: _Out, verb: str, spec: str, instance: Optional[str], prop: Optional[List[str]],
             init: Optional[str], step: Optional[str], bound: str):
    """Load and compile the spec, select the properties, and say what is about to happen."""
    from .loader import compile_model, load_spec
    sm = load_spec(spec)
    model = compile_model(sm, instance, init, step)
    props = _select_properties(sm, model, prop or [])
    names = ", ".join(p.name for p in props)
    out.tag("info", f"{verb} {names} in {os.path.relpath(spec)} (instance '{model.instance}') {bound}")
    return model, props


def _replayer(model):
    from .interp.stepper import replay_trace

    def replay(trace) -> None:
        replay_trace(model, trace)  # raises InternalError (exit 6) when an engine's trace is not real
    return replay


def _report(out: _Out, spec: str, model, max_steps: int, result, as_json: bool, out_itf: Optional[str],
            notes: List[tuple], samples: Optional[int] = None, json_extra: Optional[dict] = None) -> None:
    """Print an engine's result (fault, traces, verdicts, `notes`), write ITF and JSON, and exit.

    `samples` is the number of random runs, for the simulation's wording of its verdicts.
    """
    from .traces.text import render_trace
    if result.fault is not None:
        out.line(render_trace(result.fault.trace, color=out.color))
        out.tag("error", f"{os.path.relpath(spec)}: {result.fault.message}")
        _emit_json(as_json, spec, model, max_steps, EXIT_SPEC_ERROR, result, error=result.fault.message,
                   extra=json_extra)
        raise _done(EXIT_SPEC_ERROR)

    traces = []
    for r in result.results:
        if r.trace is not None:
            traces.append(r.trace)
            out.line()
            out.line(render_trace(r.trace, color=out.color))
    out.line()
    for r in result.results:
        out.tag(*_verdict_line(r, max_steps, samples))
    if result.interrupted:
        out.tag("warning", "interrupted (Ctrl-C): results above are what was established before the interrupt")
    for kind, text in notes:
        out.tag(kind, text)
    if out_itf and traces:
        from .traces.itf import write_itf_many
        write_itf_many(traces, out_itf)
        if out_itf != "-":
            out.tag("info", f"wrote {len(traces)} trace{'s' if len(traces) != 1 else ''} to {out_itf}")
    code = _exit_code(result.results)
    _emit_json(as_json, spec, model, max_steps, code, result, extra=json_extra)
    raise _done(code)


def _verdict_line(r, max_steps: int, samples: Optional[int] = None) -> tuple:
    runs = f"{samples} random run{'s' if samples != 1 else ''} of up to {_steps(max_steps)}"
    if r.verdict == "no_violation_found":
        return "success", (f"no violation of invariant '{r.name}' found in {runs} "
                           "(random runs are not a proof: `check` or `explore` establish it up to a bound)")
    if r.verdict == "not_found" and samples is not None:
        return "warning", f"example '{r.name}' was not reached in {runs} (it may still be reachable)"
    if r.verdict == "violated":
        return "error", f"invariant '{r.name}' is violated: shortest counterexample has {r.length} step(s)"
    if r.verdict == "found":
        return "success", f"example '{r.name}' is reachable: shortest witness has {r.length} step(s)"
    if r.verdict == "holds" and r.proof == "inductive":
        return "success", (f"invariant '{r.name}' holds in every reachable state: it is inductive "
                           "(with the spec's other proved invariants and helper facts the search found), so no "
                           "bound was needed")
    if r.verdict == "holds":
        return "success", f"invariant '{r.name}' holds in every state reachable in at most {max_steps} steps"
    if r.verdict == "not_found":
        return "warning", f"example '{r.name}' is not reachable in at most {max_steps} steps"
    established = (f"holds up to depth {r.depth_checked}" if r.depth_checked >= 0 and r.kind == "invariant"
                   else f"no witness up to depth {r.depth_checked}" if r.depth_checked >= 0 else "nothing established")
    return "warning", f"'{r.name}' is inconclusive ({r.reason or 'solver returned unknown'}); {established}"


def _emit_json(enabled: bool, spec: str, model, max_steps: int, code: int, result, error: Optional[str] = None,
               extra: Optional[dict] = None) -> None:
    if not enabled:
        return
    from .traces.summary import trace_to_json
    doc = {
        "spec": spec, "instance": model.instance, "max_steps": max_steps, "exit_code": code, "error": error,
        "results": [{"property": r.name, "kind": r.kind, "verdict": r.verdict, "length": r.length,
                     "depth_checked": r.depth_checked, "reason": r.reason or None,
                     "proof": r.proof or None,
                     "trace": trace_to_json(r.trace) if r.trace is not None else None} for r in result.results],
        "seconds": round(result.total_seconds, 3), "solver_seconds": round(result.solver_seconds, 3),
        "depths": [{"depth": d.depth, "seconds": round(d.seconds, 4), "solver_seconds": round(d.solver_seconds, 4),
                    **({"states": d.states} if d.states is not None else {})}
                   for d in result.depth_stats],
        **(extra or {}),
    }
    print(json.dumps(doc, indent=2, default=str))


@app.command()
def explore(
    spec: SpecArg,
    instance: InstanceOpt = None,
    prop: PropertiesOpt = None,
    max_steps: int = typer.Option(10, "--max-steps", "-k", min=0, help="Depth bound: number of transitions."),
    timeout: TimeoutOpt = None,
    max_states: Optional[int] = typer.Option(None, "--max-states", min=1,
                                             help="Give up after this many distinct states (exit 4)."),
    out_itf: OutItfOpt = None,
    as_json: JsonOpt = False,
    init: InitOpt = None,
    step: StepOpt = None,
) -> None:
    """Explicit-state breadth-first search up to --max-steps transitions (no solver; needs finite choices)."""
    out = _Out(machine_stdout=as_json or out_itf == "-")
    from .engines.explore import run_explore

    model, props = _prepare(out, "exploring", spec, instance, prop, init, step, f"up to {_steps(max_steps)}")
    on_depth, done = _progress_printer(lambda s: f"depth {s.depth}/{max_steps}: {s.states} distinct states")
    result = run_explore(model, props, max_steps, timeout, max_states, on_depth=on_depth, replay=_replayer(model))
    done()
    st = result.stats
    notes = [("info", f"explored {st['states_explored']} states ({st['distinct_states']} distinct) to depth "
                      f"{st['max_depth']} in {result.total_seconds:.2f}s")]
    if st["exhausted_at"] is not None:
        notes.append(("info", f"the state space is exhausted: all {st['distinct_states']} reachable states are "
                              f"reached within {_steps(st['exhausted_at'])}, so these verdicts hold for every bound"))
    _report(out, spec, model, max_steps, result, as_json, out_itf, notes,
            json_extra={"engine": "explore", "stats": st})


@app.command()
def simulate(
    spec: SpecArg,
    instance: InstanceOpt = None,
    prop: PropertiesOpt = None,
    max_samples: int = typer.Option(1000, "--max-samples", "-n", min=1, help="Number of random runs."),
    max_steps: int = typer.Option(20, "--max-steps", "-k", min=0, help="Transitions per run, at most."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default: a fresh one, printed)."),
    timeout: TimeoutOpt = None,
    out_itf: OutItfOpt = None,
    as_json: JsonOpt = False,
    init: InitOpt = None,
    step: StepOpt = None,
) -> None:
    """Random runs of the spec (seeded); finds violations and witnesses, proves nothing."""
    out = _Out(machine_stdout=as_json or out_itf == "-")
    from .engines.simulate import run_simulate

    model, props = _prepare(out, "simulating", spec, instance, prop, init, step,
                            f"with {max_samples} random run{'s' if max_samples != 1 else ''} "
                            f"of up to {_steps(max_steps)}")
    on_sample, done = _progress_printer(lambda i: f"sample {i}/{max_samples}")
    result = run_simulate(model, props, max_samples, max_steps, seed, timeout, on_sample=on_sample,
                          replay=_replayer(model))
    done()
    st = result.stats
    notes = [("info", f"{st['samples']} runs, {st['steps']} steps, {st['distinct_states']} distinct states, "
                      f"{st['deadlocks']} run{'s' if st['deadlocks'] != 1 else ''} ended in a deadlock; "
                      f"{result.total_seconds:.2f}s; seed {st['seed']} (rerun with --seed {st['seed']})")]
    _report(out, spec, model, max_steps, result, as_json, out_itf, notes, samples=st["samples"],
            json_extra={"engine": "simulate", "max_samples": max_samples, "stats": st})


class Method(str, enum.Enum):
    induction = "induction"
    kinduction = "kinduction"
    pdr = "pdr"
    auto = "auto"


@app.command()
def prove(
    spec: SpecArg,
    instance: Optional[str] = typer.Option(None, "--instance", "-i", help="The @instance to prove it for."),
    prop: str = typer.Option(..., "--property", "-p", help="The invariant to prove."),
    inductive: Optional[str] = typer.Option(None, "--inductive",
                                            help="An @invariant of the spec that is inductive and implies the "
                                                 "property (often a strengthening of it)."),
    method: Method = typer.Option(Method.auto, "--method", "-m",
                                  help="induction (needs --inductive), kinduction, pdr, or auto (cheapest first)."),
    max_k: int = typer.Option(10, "--max-k", min=1, help="Largest k tried by k-induction."),
    timeout: TimeoutOpt = None,
    out_itf: Optional[str] = typer.Option(None, "--out-itf", help="Write a counterexample as ITF JSON."),
    init: InitOpt = None,
    step: StepOpt = None,
) -> None:
    """Prove an invariant for every reachable state (all depths): inductive invariant, k-induction or PDR."""
    out = _Out(machine_stdout=out_itf == "-")
    from .engines.prove import prove as run_prove
    from .traces.proof import render_proof
    from .traces.text import render_trace
    model, props = _prepare(out, "proving", spec, instance, [prop], init, step, f"({method.value})")
    inv = props[0]
    if inv.kind != "invariant":
        raise UsageError(f"{inv.name!r} is an example; prove takes an invariant", hint="use check for examples")
    ind = None
    if inductive is not None:
        ind = _select_properties(load_spec_cached(spec), model, [inductive])[0]
        if ind.kind != "invariant":
            raise UsageError(f"--inductive {inductive!r} is an example, not an invariant")
    elif method == Method.induction:
        raise UsageError("--method induction needs --inductive IND", hint="name an @invariant that is inductive")
    result = run_prove(model, inv, ind, "inductive" if method == Method.induction else method.value, max_k, timeout)
    names = [d.name for d in model.schema.vars]
    if result.trace is not None:
        _replayer(model)(result.trace)
        out.line(render_trace(result.trace, color=out.color))
    details = render_proof(result, names, out.color)
    if details:
        out.line(details)
    for a in result.attempts:
        out.tag("info", f"{a.method}: {a.outcome} in {a.seconds:.2f}s" + (f" ({a.detail})" if a.detail else ""))
    if result.verdict == "proved":
        how = ("by the inductive check with the inductive invariant "
               f"'{ind.name}'" if result.method == "inductive" and ind else f"by {result.method}") + \
              (f" (k = {result.k})" if result.k is not None else "")
        out.tag("success", f"invariant '{inv.name}' holds in every reachable state: proved {how}")
        code = EXIT_HOLDS
    elif result.verdict == "violated":
        length = f": shortest counterexample has {_steps(result.trace.length)}" if result.trace else ""
        out.tag("error", f"invariant '{inv.name}' is violated{length} (found by {result.method})")
        code = EXIT_VIOLATED
        if out_itf and result.trace is not None:
            from .traces.itf import write_itf_many
            write_itf_many([result.trace], out_itf)
    else:
        out.tag("warning", f"invariant '{inv.name}' is not proved: {result.reason}")
        code = EXIT_INCONCLUSIVE
    out.tag("info", f"{result.seconds:.2f}s total")
    raise _done(code)


def load_spec_cached(spec: str):
    """The loaded spec module (the loader caches nothing; loading twice is cheap for specs)."""
    from .loader import load_spec
    return load_spec(spec)


@app.command("list")
def list_(spec: str = typer.Argument(..., help="The spec file.")) -> None:
    """List the instances, actions, invariants, examples, coverage views and temporal properties of a spec."""
    from .loader import load_spec
    sm = load_spec(spec)
    schema = sm.schema
    print(f"spec {os.path.relpath(spec)}: state {schema.class_name}")
    print("  parameters: " + (", ".join(f"{n}: {s}" for n, s in schema.params) or "none"))
    print("  variables:  " + ", ".join(f"{v.name}: {v.sort}" for v in schema.vars))
    print("instances:  " + (", ".join(sm.instances) or "none"))
    acts = []
    for name, fn in sm.actions.items():
        flags = [f for f, on in (("init", fn._is_init), ("inline=False", not fn._inline)) if on]
        acts.append(name + (f" ({', '.join(flags)})" if flags else ""))
    print("actions:    " + (", ".join(acts) or "none"))
    print("invariants: " + (", ".join(sm.invariants) or "none"))
    print("examples:   " + (", ".join(sm.examples) or "none"))
    if sm.coverages:
        print("coverage:   " + ", ".join(sm.coverages) + " (accepted; not used by these engines)")
    if sm.temporals:
        print("temporal:   " + ", ".join(sm.temporals) + " (not supported yet)")


def _is_interrupt(e: BaseException) -> bool:
    """Ctrl-C that landed while ctypes converted an argument for Z3: ctypes reports it as an
    ArgumentError ("argument 1: KeyboardInterrupt: ") instead of letting it through."""
    import ctypes
    return isinstance(e, ctypes.ArgumentError) and "KeyboardInterrupt" in str(e)


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point: run the app and turn every error into a message and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    _finished.clear()
    try:
        app(args=args, prog_name="wunderspec-smt", standalone_mode=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else EXIT_SPEC_ERROR)
        if code == 130:   # Typer's exit for a Ctrl-C outside an engine (while loading the spec): inconclusive
            print("interrupted before any result was established", file=sys.stderr)
            code = EXIT_INCONCLUSIVE
        if code == 2 and not _finished:
            code = EXIT_SPEC_ERROR  # Click's usage errors exit with 2, which means "example found" here
        sys.exit(code)
    except InternalError as e:
        print(f"internal error: {e} (this is a bug in wunderspec-smt; please report it with the spec)",
              file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
    except WunderspecError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        print("interrupted before any result was established", file=sys.stderr)
        sys.exit(EXIT_INCONCLUSIVE)
    except RecursionError:
        print("error: the spec's expressions are nested too deeply", file=sys.stderr)
        sys.exit(EXIT_SPEC_ERROR)
    except Exception as e:
        if _is_interrupt(e):
            print("interrupted before any result was established", file=sys.stderr)
            sys.exit(EXIT_INCONCLUSIVE)
        # a bug of ours: say so, with enough to report it
        import traceback
        tb = traceback.extract_tb(e.__traceback__)[-1]
        print(f"internal error: {type(e).__name__}: {e} (at {os.path.basename(tb.filename)}:{tb.lineno}; "
              "this is a bug in wunderspec-smt, please report it)", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
