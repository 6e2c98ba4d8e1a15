"""The core, store and CLI work without Qt (DESIGN principle 1)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_core_store_cli_import_with_pyside6_blocked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["PySide6"] = None
        import hallclient.core.catalog, hallclient.core.catalog_format, hallclient.core.search
        import hallclient.core.pinyin, hallclient.store.catalog_repo, hallclient.workspace
        import hallclient.cli
        from hallclient.cli import main
        assert main(["catalog", "search", "食品", "--data-dir", r"{tmp_path}"]) == 0
        assert not any(name.startswith("PySide6.") for name in sys.modules)
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


def _ui_imports_of(package: str) -> list[str]:
    """Every `import`/`from … import` in hallclient/ui (module level or inside functions) that
    names `package` or one of its modules."""
    import ast
    from pathlib import Path

    ui = Path(__file__).resolve().parents[2] / "hallclient" / "ui"
    found = []
    for path in sorted(ui.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            if any(n == package or n.startswith(package + ".") for n in names):
                found.append(f"{path.relative_to(ui.parent.parent)}:{node.lineno}")
    return found


def test_ui_never_imports_store_or_sync_directly() -> None:
    """The window reaches the database and the central only through hallclient.services."""
    assert _ui_imports_of("hallclient.store") == []
    assert _ui_imports_of("hallclient.sync") == []


def test_import_linter_contracts_are_kept() -> None:
    """The same rule as `lint-imports` checks it (the contract is in pyproject.toml)."""
    import shutil
    from pathlib import Path

    import pytest

    root = Path(__file__).resolve().parents[2]
    tool = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(tool).exists():
        pytest.skip("import-linter is not installed (pip install -e .[dev])")
    done = subprocess.run([tool, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
