"""Concrete execution of a spec's actions, for unit tests of specs (DSL.md section 19).

`ExecContext(proto, scheduler)` holds a concrete state; `c.step(action, *args)`
runs one action on it through the same IR and concrete stepper the checker uses,
with the scheduler resolving the choices (`alternatives`, `split`, `one_of`).
A step whose guards fail raises `AssumptionViolated` and leaves the state as it was.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable, Iterable, List, Optional, Sequence

from .build import build_action
from .errors import SpecError, WunderspecError
from .interp.evaluate import eval_term
from .interp.stepper import successors
from .lang import terms as T
from .lang.exprs import Expr, coerce, wrap
from .lang.values import same_value
from .traces.model import StepInfo


class AssumptionViolated(WunderspecError):
    """No enabled path of the action agrees with the scheduler (a guard failed): the step did not happen."""

    exit_code = 1


@dataclass(frozen=True)
class SchedulerValue:
    """The value a `one_of` picks."""

    value: Any


@dataclass(frozen=True)
class SchedulerAlternative:
    """The alternative (by label) that `c.alternatives(...)` takes."""

    name: str


@dataclass(frozen=True)
class SchedulerSplit:
    """The branch of `c.split(p)`: True for the `then` branch."""

    then: bool


class RandomScheduler:
    """Takes a uniformly random enabled path; `bound` caps the choices from huge sets."""

    def __init__(self, rng: Optional[random.Random] = None, bound: int = 2 ** 31 - 1):
        self.rng = rng or random.Random()
        self.bound = bound


def value(e: Any) -> Any:
    """The concrete value of a closed expression (no free variables)."""
    return eval_term(coerce(e, None, "argument of value"), {})


class _StateView:
    def __init__(self, ctx: "ExecContext"):
        object.__setattr__(self, "_ctx", ctx)

    def __getattr__(self, name: str) -> Expr:
        ctx = self._ctx
        if name in ctx._params:
            return wrap(ctx._params[name])
        decl = ctx._schema.var(name)
        if decl is None:
            raise SpecError(f"{ctx._schema.class_name} has no field {name!r}")
        if name not in ctx._values:
            raise SpecError(f"state variable {name!r} has no value yet", hint="run the init action first")
        return wrap(T.const(ctx._values[name], decl.sort))

    def __setattr__(self, name: str, v: Any) -> None:
        raise SpecError("the state of an ExecContext changes only through c.step(action, ...)")


class ExecContext:
    """A concrete state and the actions run on it, one atomic step at a time."""

    def __init__(self, proto: Any, scheduler: Any = None):
        schema = getattr(type(proto), "__wunderspec_schema__", None)
        if schema is None:
            raise SpecError("ExecContext needs a state prototype, e.g. ExecContext(MyState(N=3))")
        self._schema = schema
        given = proto._asdict()
        self._params = {}
        for pname, psort in schema.params:
            if pname not in given:
                raise SpecError(f"the prototype does not set parameter {pname!r}")
            t = coerce(given[pname], psort, f"parameter {pname}")
            self._params[pname] = T.const(eval_term(t, {}), psort)
        self._values = {v.name: eval_term(coerce(given[v.name], v.sort, v.name), {})
                        for v in schema.vars if v.name in given}
        self._scheduler = scheduler
        self._decisions: List[Any] = list(scheduler) if isinstance(scheduler, (list, tuple)) else []
        self.state = _StateView(self)
        self.trace: List[StepInfo] = []

    @property
    def values(self) -> dict:
        """The current state as a dict of concrete values."""
        return dict(self._values)

    def step(self, action: Callable, *args: Any) -> StepInfo:
        names = [v.name for v in self._schema.vars]
        is_init = getattr(action, "_is_init", False) or any(n not in self._values for n in names)

        def run(ctx: Any) -> None:
            action(ctx, *args)
        run._action_name = getattr(action, "_action_name", getattr(action, "__name__", "action"))
        run._fn = getattr(action, "_fn", action)
        ir = build_action(run, self._schema, self._params, is_init)
        pre = None if is_init else dict(self._values)
        options = list(successors(ir, pre, None, names))
        info, post = self._choose(options, run._action_name)
        self._values = post
        self.trace.append(info)
        return info

    def try_step(self, action: Callable, *args: Any) -> bool:
        try:
            self.step(action, *args)
            return True
        except AssumptionViolated:
            return False

    def _choose(self, options: list, name: str) -> tuple:
        if isinstance(self._scheduler, RandomScheduler):
            if not options:
                raise AssumptionViolated(f"action {name!r} is not enabled in this state")
            return self._scheduler.rng.choice(options)
        alts = [d for d in self._decisions if isinstance(d, (SchedulerAlternative, SchedulerSplit))]
        vals = [d for d in self._decisions if isinstance(d, SchedulerValue)]
        for info, post in options:
            want_labels = [_label(d) for d in alts[:len(info.labels)]]
            want_picks = [d.value for d in vals[:len(info.picks)]]
            if len(want_labels) < len(info.labels) and self._scheduler is not None:
                continue
            if len(want_picks) < len(info.picks) and self._scheduler is not None:
                continue
            if self._scheduler is not None and (list(info.labels) != want_labels or
                                                not _same_values([v for _, v in info.picks], want_picks)):
                continue
            used = set(map(id, alts[:len(info.labels)])) | set(map(id, vals[:len(info.picks)]))
            self._decisions = [d for d in self._decisions if id(d) not in used]
            return info, post
        raise AssumptionViolated(f"action {name!r} has no enabled path that agrees with the scheduler "
                                 f"(next decisions: {self._decisions[:4]})")


def _label(d: Any) -> str:
    if isinstance(d, SchedulerSplit):
        return "then" if d.then else "else"
    return d.name


def _same_values(a: Sequence[Any], b: Iterable[Any]) -> bool:
    b = list(b)
    return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
