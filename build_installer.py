"""Build the hallclient bundle: compile the Designer forms, then run PyInstaller on hallclient.spec.

    .venv/bin/python build_installer.py        → dist/hallclient/hallclient (one folder)

Needs `pip install pyinstaller`. The bundle finds its fonts and sample catalog through
hallclient.paths (sys._MEIPASS), exactly as a checkout does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main() -> int:
    from hallclient.ui.formbuild import build_all

    for path in build_all():
        print(f"compiled {path.relative_to(ROOT)}")
    return subprocess.call([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                            str(ROOT / "hallclient.spec")], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
