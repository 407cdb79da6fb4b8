"""The import graph of app.py, chalicelib/ and devstack/ (every import, also inside functions) follows the layers.

    app.py -> ws / api / jobs (edges) -> protocol -> domain -> ports <- storage, memstore

Neutral modules (settings, clock, observability, aws, the sender in gateway.py) may be imported from any
layer and import only each other. wiring.py is the composition root: it alone puts storage behind
the ports. seed.py (demo data) sits with the entry points. devstack/ is the local harness around
app.py: it may import anything, but must not form cycles.

Arrows against these rules that exist today are listed in KNOWN_VIOLATIONS (and cycles in KNOWN_CYCLES,
PynamoDB imports outside storage in KNOWN_PYNAMODB): a new one fails, and so does a listed one that
no longer exists, so the lists only shrink. See docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NEUTRAL = {
    "chalicelib",
    "chalicelib.settings",
    "chalicelib.clock",
    "chalicelib.observability",
    "chalicelib.aws",
    "chalicelib.botocore_speed",
    "chalicelib.gateway",
}
# layer -> layers it may import (its own package always; "edge" packages do not import each other).
ALLOWED = {
    "entry": {"edge", "protocol", "domain", "ports", "wiring", "neutral"},
    "edge": {"protocol", "domain", "ports", "wiring", "neutral"},
    "protocol": {"domain", "ports", "neutral"},
    "domain": {"ports", "neutral"},
    "ports": {"neutral"},
    "storage": {"ports", "neutral"},
    "memstore": {"ports", "neutral"},
    "wiring": {"ports", "storage", "neutral"},
    "neutral": {"neutral"},
}
PACKAGES = {
    "chalicelib.ws": "edge",
    "chalicelib.api": "edge",
    "chalicelib.jobs": "edge",
    "chalicelib.protocol": "protocol",
    "chalicelib.domain": "domain",
    "chalicelib.ports": "ports",
    "chalicelib.storage": "storage",
    "chalicelib.memstore": "memstore",
    "chalicelib.wiring": "wiring",
    "chalicelib.seed": "entry",
    "app": "entry",
}

# Bad arrows (none left since issue 8: the set stays so a reviewer sees the rule, and any new one fails).
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()
# Import cycles of today, each as the sorted modules of one strongly connected component.
KNOWN_CYCLES: set[tuple[str, ...]] = set()
# Modules outside chalicelib/storage/ that still import pynamodb.
KNOWN_PYNAMODB: set[str] = {
    "devstack.stack",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py"), *(ROOT / "devstack").rglob("*.py")]
    return {_module_name(f): f for f in files}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module `name` imports (absolute names), wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from package import module` names the module; `from module import name` the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return found


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(internal arrows, every imported name) per module."""
    sources = _sources()
    known = set(sources)
    everything = {name: _imports(name, path, known) for name, path in sources.items()}
    internal = {name: {t for t in targets if t in known and t != name} for name, targets in everything.items()}
    return internal, everything


def _layer(module: str) -> str | None:
    if module in NEUTRAL:
        return "neutral"
    if module.split(".")[0] == "devstack":
        return None  # the harness: anything goes, cycles aside
    for prefix, layer in PACKAGES.items():
        if module == prefix or module.startswith(prefix + "."):
            return layer
    raise AssertionError(f"{module} has no layer: add it to PACKAGES or NEUTRAL in tests/unit/test_layers.py")


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _allowed(source: str, target: str) -> bool:
    layer, target_layer = _layer(source), _layer(target)
    if layer is None:
        return True
    if target_layer is None:
        return False  # nothing in chalicelib/ or app.py imports the local harness
    if _package(source) == _package(target) and layer == target_layer:
        return True
    return target_layer in ALLOWED[layer] and not (layer == target_layer == "edge")


def _violations(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(s, t) for s, targets in graph.items() for t in targets if not _allowed(s, t)}


def _cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[tuple[str, ...]] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.add(tuple(sorted(component)))
    return found


def _report(new: set, gone: set, what: str) -> str:
    lines = [f"{what}:"]
    lines += [f"  new (fix it; the layers are in docs/architecture.md): {item!r}" for item in sorted(new)]
    lines += [f"  gone (delete it from the list in tests/unit/test_layers.py): {item!r}" for item in sorted(gone)]
    return "\n".join(lines)


def test_no_arrow_against_the_layers():
    found = _violations(_graph()[0])
    assert found == KNOWN_VIOLATIONS, _report(found - KNOWN_VIOLATIONS, KNOWN_VIOLATIONS - found, "layer violations")


def test_no_import_cycle():
    found = _cycles(_graph()[0])
    assert found == KNOWN_CYCLES, _report(found - KNOWN_CYCLES, KNOWN_CYCLES - found, "import cycles")


def test_only_storage_imports_pynamodb():
    _, everything = _graph()
    found = {
        module
        for module, targets in everything.items()
        if not module.startswith("chalicelib.storage") and any(t.split(".")[0] == "pynamodb" for t in targets)
    }
    assert found == KNOWN_PYNAMODB, _report(found - KNOWN_PYNAMODB, KNOWN_PYNAMODB - found, "pynamodb outside storage")


def test_the_checker_sees_what_it_must():
    # A function-level import is an arrow, a relative one is resolved, a bad arrow is caught and a cycle found.
    graph = {"chalicelib.domain.a": {"chalicelib.storage.b"}, "chalicelib.storage.b": {"chalicelib.domain.a"}}
    assert _violations(graph) == {
        ("chalicelib.storage.b", "chalicelib.domain.a"),
        ("chalicelib.domain.a", "chalicelib.storage.b"),
    }
    assert _cycles(graph) == {("chalicelib.domain.a", "chalicelib.storage.b")}
    hooks = _graph()[0]["chalicelib.ws.hooks"]
    assert "chalicelib.protocol.router" in hooks  # imported inside on_message
    assert _allowed("chalicelib.api.health", "chalicelib.ports.registry")
    assert not _allowed("chalicelib.ws.hooks", "chalicelib.api.routing")
