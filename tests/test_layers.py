"""No layer imports one above it: scenario -> model -> run -> experiment -> results -> cli."""

from __future__ import annotations

import ast
from pathlib import Path

SIM = Path(__file__).resolve().parent.parent / "sim"
ORDER = ["scenario", "model", "run", "experiment", "validation", "results", "cli"]


def imported_layers(path: Path) -> set[str]:
    """Layers imported at run time (an ``if TYPE_CHECKING:`` import only names a type)."""
    tree = ast.parse(path.read_text())
    typing_only = {id(inner) for node in ast.walk(tree)
                   if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                   for inner in ast.walk(node)}
    names: set[str] = set()
    for node in (node for node in ast.walk(tree) if id(node) not in typing_only):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sim."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("sim.")}
    return names & set(ORDER)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [f"{path.relative_to(SIM)} imports sim.{layer}"
              for own in ORDER for path in sorted((SIM / own).glob("*.py"))
              for layer in imported_layers(path) if ORDER.index(layer) > ORDER.index(own)]
    assert upward == []
