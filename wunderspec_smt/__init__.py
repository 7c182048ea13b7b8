"""wunderspec_smt: a symbolic bounded model checker for wunderspec specifications.

`from wunderspec_smt import *` gives the DSL names a spec needs, so a spec written
for wunderspec runs with only its import lines changed.
"""
from .build import Alternative  # noqa: F401
from .errors import EvaluationError, SpecError  # noqa: F401
from .expr import ExprLike, VarExpr  # noqa: F401
from .lang import *  # noqa: F401,F403
from .unsupported import *  # noqa: F401,F403
from .flow import with_flow  # noqa: F401  (`wunderspec_smt.flow` stays the module: it works as `flow` too)
from .helpers import expr  # noqa: F401
from .execution import (AssumptionViolated, ExecContext, RandomScheduler, SchedulerAlternative,  # noqa: F401
                        SchedulerSplit, SchedulerValue, value)
from .submachine import SubMachine  # noqa: F401
from .machine import (PARAMETER, UPSERT, VARIABLE, Context, Field, MachineState, MachineStateBase,  # noqa: F401
                      Param, StateVar, Variant, action, coverage, example, instance, invariant, record, state,
                      temporal, union)

__version__ = "0.1.0"

Unit = None

__all__ = [
    "AssumptionViolated", "ExecContext", "RandomScheduler", "SchedulerAlternative", "SchedulerSplit",
    "SchedulerValue", "value",
    "Alternative", "EvaluationError", "SpecError", "ExprLike", "VarExpr", "Unit",
    "PARAMETER", "UPSERT", "VARIABLE", "Context", "Field", "MachineState", "MachineStateBase", "Param",
    "StateVar", "action", "coverage", "example", "instance", "invariant", "record", "state", "temporal",
    "union", "Variant", "expr", "flow", "with_flow", "SubMachine",
] + __import__("wunderspec_smt.lang", fromlist=["__all__"]).__all__ + \
    __import__("wunderspec_smt.unsupported", fromlist=["__all__"]).__all__
