"""The tree shows the flow: each stage subpackage imports only itself, earlier stages and the shared core."""
from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
STAGES = ["audio", "diarization", "recognition", "structure", "render", "evaluation"]
CORE = {"types", "errors", "config", "models", "memory"}   # plain data, settings and the memory release every stage may use


def imported_modules(path: Path) -> set[str]:
    """The pipeline modules a file imports, as dotted names under pipeline/ (relative imports resolved)."""
    package = path.relative_to(PIPELINE).parent.parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - (node.level - 1)])
            found.add(".".join(base + ([node.module] if node.module else [])))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline."):
            found.add(node.module.removeprefix("pipeline."))
    return {name for name in found if name}


def test_no_stage_imports_a_later_stage_or_the_orchestration():
    wrong = []
    for rank, stage in enumerate(STAGES):
        allowed = set(STAGES[: rank + 1]) | CORE
        for path in sorted((PIPELINE / stage).glob("*.py")):
            for module in imported_modules(path):
                top = module.split(".")[0]
                if top not in allowed:
                    wrong.append(f"{path.relative_to(PIPELINE)} imports {module}")
    assert wrong == []


def test_every_module_lives_in_a_stage_or_is_the_orchestration():
    top_level = {p.stem for p in PIPELINE.glob("*.py")}
    assert top_level == CORE | {"__init__", "threads", "transcribe", "batch", "batch_ray", "cli", "doctor", "learn_voices"}


def test_nothing_points_outside_the_repository():
    """The project's team keeps a `shared` folder beside the checkout; a clone has none."""
    root, sibling = PIPELINE.parent, "../" + "shared"
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".md", ".yaml", ".toml", ""}
             and not {".git", ".venv", "generated", "models", "demo", "callscribe.egg-info"} & set(p.relative_to(root).parts)]
    outside = [str(p.relative_to(root)) for p in files if sibling in p.read_text(errors="ignore")]
    assert outside == []
