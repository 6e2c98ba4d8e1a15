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
