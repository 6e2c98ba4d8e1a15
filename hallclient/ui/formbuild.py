"""Compile Qt Designer forms (forms/*.ui) into hallclient/ui/forms/ui_*.py with pyside6-uic.

Forms are compiled, not loaded at run time: start-up stays fast and a frozen bundle needs no
.ui files. Run `python -m hallclient.ui.formbuild` after editing a form; a test fails when a
generated file is stale.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMS_DIR = ROOT / "forms"
OUTPUT_DIR = Path(__file__).resolve().parent / "forms"
HEADER = "# Generated from forms/{name} by hallclient.ui.formbuild (pyside6-uic). Do not edit.\n"
# uic's banner names its own version; leave it out so a newer Qt does not make every form "stale".
_BANNER = re.compile(r"^#{10,}\n(?:#.*\n)*?#{10,}\n", re.MULTILINE)


def _uic() -> list[str]:
    exe = shutil.which("pyside6-uic", path=str(Path(sys.executable).parent)) or shutil.which("pyside6-uic")
    if exe is None:
        raise RuntimeError("pyside6-uic not found: install PySide6-Essentials")
    return [exe]


def compile_form(ui_file: Path) -> str:
    result = subprocess.run([*_uic(), "-g", "python", str(ui_file)],
                            check=True, capture_output=True, text=True)
    body = _BANNER.sub("", result.stdout, count=1).lstrip("\n")
    return HEADER.format(name=ui_file.name) + body


def output_path(ui_file: Path) -> Path:
    return OUTPUT_DIR / f"ui_{ui_file.stem}.py"


def stale_forms() -> list[Path]:
    return [ui for ui in sorted(FORMS_DIR.glob("*.ui"))
            if not output_path(ui).exists() or output_path(ui).read_text(encoding="utf-8") != compile_form(ui)]


def build_all() -> list[Path]:
    OUTPUT_DIR.mkdir(exist_ok=True)
    (OUTPUT_DIR / "__init__.py").touch()
    written = []
    for ui in sorted(FORMS_DIR.glob("*.ui")):
        out = output_path(ui)
        out.write_text(compile_form(ui), encoding="utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    for path in build_all():
        print(f"wrote {path.relative_to(ROOT)}")
