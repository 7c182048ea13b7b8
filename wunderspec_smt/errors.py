"""Errors that reach the user, and where in the spec they come from.

A spec author must never see a Python traceback for a mistake in the spec: every
error raised while loading, building or checking a spec carries the spec's own
file:line so the CLI can print one line and exit with the documented code.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Optional

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _library_dirs() -> tuple:
    """Directories of the standard library and installed packages: never the user's spec."""
    import sysconfig
    dirs = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(os.path.abspath(path) + os.sep)
    return tuple(sorted(dirs, key=len, reverse=True))


_LIBRARY_DIRS = _library_dirs()


def _is_library_file(filename: str) -> bool:
    path = os.path.abspath(filename)
    return path.startswith(_LIBRARY_DIRS) and not path.startswith(_PACKAGE_DIR)


@dataclass(frozen=True)
class SourceLoc:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def user_loc(skip: int = 1) -> Optional[SourceLoc]:
    """The innermost stack frame that belongs to the user's spec, not to us.

    Sort errors and double assignments are detected deep inside the library; the
    user needs to know which line of *their* file triggered them.
    """
    frame = sys._getframe(skip)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not os.path.abspath(filename).startswith(_PACKAGE_DIR) and not filename.startswith("<frozen"):
            # the CLI (typer, click) and the standard library are not the spec either: an error raised
            # while an engine runs must not point into them
            if "importlib" not in filename and "typing.py" not in filename and "contextlib" not in filename \
                    and not _is_library_file(filename):
                return SourceLoc(filename, frame.f_lineno)
        frame = frame.f_back
    return None


class WunderspecError(Exception):
    """Base of every error we report to the user."""

    exit_code = 6


class SpecError(WunderspecError):
    """The spec (or the command line naming parts of it) is wrong: exit code 5."""

    exit_code = 5

    def __init__(self, message: str, loc: Optional[SourceLoc] = None, hint: str = ""):
        self.message = message
        self.loc_given = loc is not None  # False: the location is a guess (the innermost frame of the spec)
        self.loc = loc if loc is not None else user_loc(2)
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class UsageError(SpecError):
    """Bad command-line input (unknown instance, property, missing file): exit 5."""

    def __init__(self, message: str, hint: str = ""):
        self.message = message
        self.loc = None
        self.hint = hint
        Exception.__init__(self, self.render())


class EvaluationError(WunderspecError):
    """A partial operation was applied outside its domain (division by zero,
    map lookup of an absent key, ...). In a reachable step this is a spec error."""

    exit_code = 5

    def __init__(self, message: str, loc: Optional[SourceLoc] = None):
        self.message = message
        self.loc = loc
        super().__init__(f"{loc}: {message}" if loc else message)


class InternalError(WunderspecError):
    """A bug in wunderspec_smt (e.g. a trace that does not replay): exit 6."""

    exit_code = 6
