"""Readable text rendering of a trace, for the engineer reading a counterexample.

State 0 is shown in full (parameters, then every variable); later states show only
what changed, because in a long trace the one variable that moved is the point and
repeating twenty unchanged ones buries it. For sets, maps and records that keep
part of their old value, an extra line says what was added, removed or changed.
"""
from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence

from ..lang.values import MapValue, RecordValue, show_value, sorted_items, sorted_values
from .model import ActionCall, StepInfo, Trace

_BOLD = "\x1b[1m"
_GREEN = "\x1b[32m"
_RED = "\x1b[31m"
_RESET = "\x1b[0m"

_MISSING = object()


def _style(text: str, codes: str, color: bool) -> str:
    return f"{codes}{text}{_RESET}" if color else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_header(trace: Trace) -> str:
    """The first line: what the trace demonstrates, where, and how long it is."""
    where = f"instance '{trace.instance}', {_plural(trace.length, 'step')}"
    if trace.kind == "invariant":
        return f"Counterexample to invariant '{trace.property_name}' ({where}):"
    if trace.kind == "example":
        return f"Witness for example '{trace.property_name}' ({where}):"
    if trace.kind == "error":
        what = f"Error while checking '{trace.property_name}'" if trace.property_name else "Error"
        return f"{what} ({where}): {trace.message or 'evaluation failed'}"
    return f"Trace for {trace.kind} '{trace.property_name}' ({where}):"


def render_footer(trace: Trace) -> str:
    """The last line, repeating the verdict where the reader's eyes end up."""
    last = trace.length
    if trace.kind == "invariant":
        return f"Invariant '{trace.property_name}' is violated in state {last}."
    if trace.kind == "example":
        return f"Example '{trace.property_name}' holds in state {last}."
    if trace.kind == "error":
        return f"Error: {trace.message or 'evaluation failed'}"
    return f"End of trace at state {last}."


def render_call(call: ActionCall) -> str:
    """An inline=False action call as the spec would spell it: `enter(p=1)`."""
    args = ", ".join(f"{p}={show_value(v)}" for p, v in call.args)
    return f"{call.name}({args})"


def render_step_header(i: int, step: StepInfo, color: bool = False) -> str:
    """`[State i] action`, plus the alternative labels taken, if any."""
    head = _style(f"[State {i}]", _BOLD, color) + f" {step.action}"
    if step.labels:
        head += f" (labels: {', '.join(step.labels)})"
    return head


def render_step_details(step: StepInfo) -> List[str]:
    """One line per inline=False call and per one_of pick, in program order."""
    lines = [f"  call {render_call(c)}" for c in step.calls]
    lines += [f"  pick {name} = {show_value(v)}" for name, v in step.picks]
    return lines


def describe_change(old: Any, new: Any, color: bool = False) -> Optional[str]:
    """What changed inside a set, map or record, when that says more than the new value.

    Returns None when there is no useful delta: scalars, containers whose old
    value shares nothing with the new one, or one-field records.
    """
    def added(s: str) -> str:
        return _style(s, _GREEN, color)

    def removed(s: str) -> str:
        return _style(s, _RED, color)

    if isinstance(old, frozenset) and isinstance(new, frozenset):
        if not (old & new):
            return None
        parts = []
        plus, minus = new - old, old - new
        if plus:
            parts.append(added("+{" + ", ".join(show_value(x) for x in sorted_values(plus)) + "}"))
        if minus:
            parts.append(removed("-{" + ", ".join(show_value(x) for x in sorted_values(minus)) + "}"))
        return " ".join(parts) or None
    if isinstance(old, MapValue) and isinstance(new, MapValue):
        if not len(old):
            return None
        parts = []
        for k, v in sorted_items(new.items()):
            if k not in old:
                parts.append(added(f"+[{show_value(k)}] = {show_value(v)}"))
            elif old[k] != v:
                parts.append(f"[{show_value(k)}]: {show_value(old[k])} -> " + added(show_value(v)))
        for k, _ in sorted_items(old.items()):
            if k not in new:
                parts.append(removed(f"-[{show_value(k)}]"))
        return ", ".join(parts) or None
    if isinstance(old, RecordValue) and isinstance(new, RecordValue):
        old_fields, new_fields = dict(old.items()), dict(new.items())
        if len(new_fields) < 2 or set(old_fields) != set(new_fields):
            return None
        parts = [f".{n}: {show_value(old_fields[n])} -> " + added(show_value(v))
                 for n, v in new.items() if old_fields[n] != v]
        return ", ".join(parts) or None
    return None


def render_changes(old: Mapping[str, Any], new: Mapping[str, Any], names: Sequence[str],
                   color: bool = False) -> List[str]:
    """Lines for the variables among `names` whose value differs between two states."""
    lines: List[str] = []
    for n in names:
        before, after = old.get(n, _MISSING), new.get(n, _MISSING)
        if before == after:
            continue
        if after is _MISSING:
            lines.append(f"  {n} = " + _style("(absent)", _RED, color))
            continue
        lines.append(f"  {n} = " + _style(show_value(after), _BOLD + _GREEN, color))
        if before is not _MISSING:
            delta = describe_change(before, after, color)
            if delta:
                lines.append(f"      {delta}")
    return lines or ["  (no change)"]


def render_trace(trace: Trace, color: bool = False) -> str:
    """The whole trace as text: header, one block per state, footer.

    With color=False the output has no escape codes at all (for files, CI logs
    and --no-color); with color=True state headers are bold and changed values
    bold green, additions green and removals red.
    """
    out = [_style(render_header(trace), _BOLD, color)]
    for i, state in enumerate(trace.states):
        step = trace.steps[i] if i < len(trace.steps) else StepInfo(action="?")
        out.append("")
        out.append(render_step_header(i, step, color))
        out.extend(render_step_details(step))
        if i == 0:
            out.extend(f"  {n} = {show_value(v)}  (parameter)" for n, v in trace.params)
            for n in trace.var_names:
                shown = show_value(state[n]) if n in state else "(absent)"
                out.append(f"  {n} = {shown}")
        else:
            out.extend(render_changes(trace.states[i - 1], state, trace.var_names, color))
    out.append("")
    out.append(_style(render_footer(trace), _BOLD, color))
    return "\n".join(out) + "\n"
