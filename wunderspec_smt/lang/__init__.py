"""Expression constructors of the DSL (`wunderspec_smt.lang`); no solver imports here."""
__all__ = ["And", "AllMaps", "AllRecords", "AllSubsets", "AllTuples", "BoolExpr", "EnumExpr", "Exists", "Expr", "Forall", "Implies", "Interval", "Ints", "IntExpr", "Ite", "List", "ListExpr", "Map", "MapExpr", "Max", "Min", "Not", "Or", "Range", "Record", "RecordExpr", "Set", "SetExpr", "SetIf", "StrExpr", "Tuple", "TupleExpr", "UnionExpr", "UnsignedInts", "Val", "Var", "BoolSort", "EnumSort", "IntSort", "ListSort", "MapSort", "RecordSort", "SetSort", "Sort", "StrSort", "TupleSort", "UnionSort", "sort_of", "to_python"]
from .exprs import (And, AllMaps, AllRecords, AllSubsets, AllTuples, BoolExpr, EnumExpr, Exists, Expr, Forall, Implies, Interval, Ints,  # noqa: F401
                    IntExpr, Ite, List, ListExpr, Map, MapExpr, Max, Min, Not, Or, Range, Record, RecordExpr, Set,
                    SetExpr, SetIf,
                    StrExpr, Tuple, TupleExpr, UnionExpr, UnsignedInts, Val, Var)
from .sorts import (BoolSort, EnumSort, IntSort, ListSort, MapSort, RecordSort, SetSort, Sort,  # noqa: F401
                    StrSort, TupleSort, UnionSort, sort_of)
from .values import to_python  # noqa: F401
