"""The house rules of docs/architecture.md that the import contracts (`lint-imports`) do not see."""

import ast
import importlib
from pathlib import Path

from django_tasks.base import Task

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("actors", "territories", "inclusion")
# Where Django requires an import inside a function: AppConfig.ready (models are not loaded before).
ALLOWED_FUNCTION_IMPORTS = {("actors/apps.py", "ready")}


def project_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_top_of_actors_holds_plumbing_only():
    modules = sorted(path.name for path in (ROOT / "actors").glob("*.py"))
    assert len(modules) <= 12, modules


def test_no_import_of_the_project_inside_a_function_but_where_django_requires_it():
    found = []
    for path in project_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PACKAGES:
                    where = (str(path.relative_to(ROOT)), function.name)
                    if where not in ALLOWED_FUNCTION_IMPORTS:
                        found.append(f"{where[0]}:{node.lineno} in {function.name}()")
    assert found == []


def test_tasks_queued_under_their_old_paths_are_renamed_to_tasks_that_exist():
    migration = importlib.import_module("actors.migrations.0410_task_paths_of_feature_packages")
    for old, new in migration.MOVED.items():
        module, name = new.rsplit(".", 1)
        assert isinstance(getattr(importlib.import_module(module), name), Task), new
        assert old != new
