"""Expression classes, at the module path specs import them from (`wunderspec_smt.expr`)."""
from .lang.exprs import (BoolExpr, EnumExpr, Expr, IntExpr, ListExpr, MapExpr, RecordExpr, SetExpr, StrExpr,  # noqa: F401
                         TupleExpr, UnionExpr)

ExprLike = Expr
VarExpr = Expr
