"""Code that reaches into the running interpreter: the grader does not run it.

The scenarios observe a submission from inside its own process: the calls it makes, the values
it returns. Code that can walk the interpreter's objects, frames and code (``gc``, ``sys.modules``,
``__globals__``, ``ctypes``, ``exec``...) could change those observations, or find the grader's
own objects, instead of solving the exercise. None of it is needed for these exercises, so a file
that uses any of it is refused before it runs, with the line to remove. (This is one layer of the
defence: the judge outside the sandbox and the sandbox itself do not depend on it.)
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

MODULES = {
    "gc", "ctypes", "_ctypes", "cffi", "inspect", "importlib", "builtins", "__builtin__", "marshal",
    "pickle", "_pickle", "copyreg", "dill", "cloudpickle", "dis", "code", "codeop", "pdb", "bdb", "trace",
    "tracemalloc", "faulthandler", "runpy", "pkgutil", "zipimport", "mpgrade_scenarios", "grader", "pytest",
    "_pytest", "_testcapi", "_testinternalcapi", "_xxsubinterpreters", "_interpreters", "_posixsubprocess",
}  # fmt: skip
NAMES = {
    "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "breakpoint", "__builtins__",
    "attrgetter", "methodcaller",  # attribute access by a name made at run time
}  # fmt: skip
REFLECTION = {"getattr", "setattr", "delattr", "hasattr"}  # refused with a name that is not a plain literal
DUNDERS = {
    "__name__", "__doc__", "__init__", "__new__", "__enter__", "__exit__", "__call__", "__class__", "__len__",
    "__iter__", "__next__", "__repr__", "__str__", "__eq__", "__hash__", "__qualname__", "__module__",
    "__getitem__", "__setitem__", "__contains__", "__main__",
}  # fmt: skip
FRAME_ATTRIBUTES = {
    "f_globals", "f_locals", "f_back", "f_builtins", "f_code", "f_trace", "tb_frame", "tb_next", "gi_frame",
    "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "co_code", "co_consts", "co_names",
}  # fmt: skip
MODULE_ATTRIBUTES = {
    "sys": {"modules", "_getframe", "_current_frames", "settrace", "setprofile", "addaudithook", "meta_path",
            "path_hooks", "path_importer_cache", "_xoptions"},
    "threading": {"settrace", "setprofile", "settrace_all_threads", "setprofile_all_threads"},
}  # fmt: skip
# refused on any object, not only on a name bound to the module (``from os import sys as s``)
ANYWHERE = set().union(*MODULE_ATTRIBUTES.values()) | {"walk_stack", "walk_tb", "currentframe"}
PRIVATE_ALLOWED = {"_exit"}  # os._exit: a child that must end without clean-up
OWN = {"self", "cls"}  # a class's own private attributes are the student's to use


@dataclass(frozen=True)
class Reach:
    line: int
    what: str  #: e.g. ``gc``, ``sys.modules``, ``__globals__``


def find(source: str) -> Reach | None:
    """The first use of something that reaches into the interpreter, or None."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found: list[Reach] = _reflection_not_called(tree)
    for node in ast.walk(tree):
        found += _check(node, aliases)
    return min(found, key=lambda reach: reach.line) if found else None


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local names bound to modules: ``import sys as s`` binds ``s`` to ``sys``."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _check(node: ast.AST, aliases: dict[str, str]) -> list[Reach]:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Import):
        return [Reach(line, alias.name) for alias in node.names if _refused_module(alias.name)]
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        found = [Reach(line, module)] if _refused_module(module) else []
        for alias in node.names:
            attributes = MODULE_ATTRIBUTES.get(module, set())
            if alias.name in attributes or alias.name in NAMES or alias.name in REFLECTION:
                found.append(Reach(line, f"{module}.{alias.name}"))
        return found
    if isinstance(node, ast.Name) and node.id in NAMES:
        return [Reach(line, node.id)]
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("__") and node.attr.endswith("__") and node.attr not in DUNDERS:
            return [Reach(line, node.attr)]
        if isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id, node.value.id)
            if node.attr in MODULE_ATTRIBUTES.get(module, set()):
                return [Reach(line, f"{module}.{node.attr}")]
        if node.attr in FRAME_ATTRIBUTES or node.attr in ANYWHERE or node.attr in NAMES:
            return [Reach(line, node.attr)]
        if _private(node.attr) and not (isinstance(node.value, ast.Name) and node.value.id in OWN):
            return [Reach(line, f"the private attribute {node.attr}")]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REFLECTION:
        name = node.args[1] if len(node.args) > 1 else None
        literal = isinstance(name, ast.Constant) and isinstance(name.value, str)
        if not literal or name.value.startswith("_") and name.value not in PRIVATE_ALLOWED:  # type: ignore[union-attr]
            return [Reach(line, f"{node.func.id}() with a computed or private name")]
    return []


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__") and name not in PRIVATE_ALLOWED


def _reflection_not_called(tree: ast.AST) -> list[Reach]:
    """``getattr`` and its kin used other than as a direct call (``g = getattr``), where the name
    they are given cannot be seen."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return [
        Reach(node.lineno, f"{node.id} passed around")
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in REFLECTION and id(node) not in called
    ]


def _refused_module(name: str) -> bool:
    return any(name == module or name.startswith(f"{module}.") for module in MODULES)


def explain(reach: Reach, filename: str) -> str:
    return (
        f"{filename} uses `{reach.what}` on line {reach.line}: that reaches into the running interpreter "
        "(its objects, frames or code), which could change what the grader observes of your code, so "
        "the grader does not run it. The exercise needs none of it: remove that line."
    )
