"""The package's layout stays readable (issue 12): no import cycles, no module too long to take in,
and MkDocs kept inside the site stage.

Read from the source with `ast`, so nothing is imported: an import inside a function counts as
much as one at the top of a module (it is still a dependency, only a later one).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"

MAX_LINES = 450
EXPLAINED = "# Longer than 450 lines because"
"""A module may pass `MAX_LINES` when a line starting with this says why."""


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_name(p): p for p in sorted(HUB.rglob("*.py"))}
TREES: dict[str, ast.Module] = {name: ast.parse(path.read_text(encoding="utf-8"), str(path))
                                for name, path in MODULES.items()}


def _imports(module: str) -> list[tuple[str, int]]:
    """``(imported module name, line)`` for every import in a module, wherever it stands."""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..y import z
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"  # `from hub.editor import crossref` imports a module
                found.append((sub if sub in MODULES else base, node.lineno))
    return found


def _graph() -> tuple[dict[str, dict[str, int]], list[str]]:
    """Module → {hub module it imports: line}; and imports of hub modules that do not exist."""
    graph: dict[str, dict[str, int]] = {name: {} for name in MODULES}
    unknown = []
    for module in MODULES:
        for target, line in _imports(module):
            if target != "hub" and not target.startswith("hub."):
                continue
            if target not in MODULES:
                unknown.append(f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}, which does not exist")
            elif target != module:
                graph[module].setdefault(target, line)
    return graph, unknown


def _groups(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each group of modules that import each other, directly or not (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(groups)


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """One cycle (as a closed path) for each group of modules that import each other."""
    return [_path_in(graph, set(group), group[0]) for group in _groups(graph)]


def _path_in(graph: dict[str, dict[str, int]], group: set[str], start: str) -> list[str]:
    """A shortest way round from ``start`` back to itself, inside one group."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v]):
            if w == start:
                return paths[v] + [start]
            if w in group and w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - Tarjan found one


def _describe(graph: dict[str, dict[str, int]], cycle: list[str]) -> str:
    steps = [f"{a} (line {graph[a][b]}) → {b}" for a, b in zip(cycle, cycle[1:], strict=False)]
    return "\n  ".join(steps)


def test_the_package_has_no_import_cycle():
    graph, unknown = _graph()
    assert not unknown, "\n".join(unknown)
    groups = _groups(graph)
    assert not groups, "modules that import each other (top-level and function-level imports both count):\n" + \
        "\n".join(f"{', '.join(group)}; for example:\n  {_describe(graph, _path_in(graph, set(group), group[0]))}"
                  for group in groups)


def test_no_module_is_longer_than_450_lines_without_a_reason():
    long = []
    for path in MODULES.values():
        lines = path.read_text(encoding="utf-8").split("\n")
        count = len(lines) - (lines[-1] == "")
        if count > MAX_LINES and not any(line.startswith(EXPLAINED) for line in lines):
            long.append(f"{path.relative_to(ROOT)}: {count} lines")
    assert not long, (f"split these modules by job, or explain why not in a line starting "
                      f"'{EXPLAINED} …':\n" + "\n".join(long))


def test_only_the_site_stage_imports_mkdocs():
    outside = [f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}"
               for module in MODULES if not module.startswith("hub.site.") and module != "hub.site"
               for target, line in _imports(module) if target == "mkdocs" or target.startswith("mkdocs.")]
    assert not outside, "MkDocs belongs to hub/site/ only:\n" + "\n".join(outside)


def test_the_checks_see_what_they_are_meant_to():
    """The graph finds function-level and relative imports, and a cycle when there is one."""
    graph, _ = _graph()
    assert "hub.catalogue.checks" in graph["hub.editor.review"]
    assert "hub.editor.crossref" in graph["hub.editor.review"]  # from hub.editor import crossref as cr
    assert "hub.commands" in graph["hub.commands.new"]  # from hub.commands import data_option
    assert _cycles({"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b": 1}, "b": {}}) == []
