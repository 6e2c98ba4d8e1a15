"""Build the hallclient bundle: the window client as one folder, `dist/hallclient/`.

    python build_installer.py            compile, build from a clean environment, self-test
    python build_installer.py --test     … and run the test suite first (not the slow tests)
    python build_installer.py --in-place build with this interpreter's packages (quicker; the
                                          spec's excludes still keep the central and dev tools out)

Steps: compile the Designer forms (forms/*.ui → hallclient/ui/forms) and the translations
(hallclient/resources/translations/*.ts → .qm); make or update `build/bundle-env`, a virtual
environment with only the window client's dependencies (pyproject's `dependencies`) and
PyInstaller; run PyInstaller there on the checked-in hallclient.spec; print the bundle's size
against its budget; run `dist/hallclient/hallclient --self-test`.

The bundle finds its fonts, sounds and sample catalog through hallclient.paths (sys._MEIPASS),
exactly as an installed package does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist" / "hallclient"
BUILD_ENV = ROOT / "build" / "bundle-env"
BUDGET_MB = 200
PYINSTALLER = "pyinstaller>=6.0"


def compile_sources() -> None:
    from hallclient.ui.formbuild import build_all

    for path in build_all():
        print(f"compiled {path.relative_to(ROOT)}")
    sources = sorted((ROOT / "hallclient" / "resources" / "translations").glob("*.ts"))
    if not sources:
        print("translations: none to compile (Qt's own zh_CN come with PySide6)")
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or "pyside6-lrelease"
    for source in sources:
        subprocess.run([lrelease, str(source), "-qm", str(source.with_suffix(".qm"))], check=True)
        print(f"compiled {source.with_suffix('.qm').relative_to(ROOT)}")


def env_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def clean_environment() -> Path:
    """build/bundle-env with the client's runtime dependencies and PyInstaller, nothing else."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    python = env_python(BUILD_ENV)
    if not python.exists():
        print(f"creating {BUILD_ENV.relative_to(ROOT)}")
        venv.create(BUILD_ENV, with_pip=True, clear=True)
    requirements = [*project["dependencies"], PYINSTALLER]
    print(f"installing into {BUILD_ENV.relative_to(ROOT)}: {len(requirements)} requirements")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements],
                   check=True)
    return python


def bundle_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def largest(folder: Path, count: int = 8) -> list[tuple[int, str]]:
    inner = folder / "_internal" if (folder / "_internal").is_dir() else folder
    sizes = []
    for child in inner.iterdir():
        size = bundle_size(child) if child.is_dir() else child.lstat().st_size
        sizes.append((size, child.name))
    return sorted(sizes, reverse=True)[:count]


def executable() -> Path:
    return DIST / ("hallclient.exe" if os.name == "nt" else "hallclient")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", action="store_true", help="run the test suite (without slow tests) first")
    parser.add_argument("--in-place", action="store_true", help="build with this interpreter, no clean env")
    parser.add_argument("--no-self-test", action="store_true", help="do not run the bundle's --self-test")
    parser.add_argument("--enforce-budget", action="store_true",
                        help=f"exit 3 when the bundle is larger than {BUDGET_MB} MB")
    args = parser.parse_args(argv)

    compile_sources()
    if args.test:
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-m", "not slow"], cwd=ROOT)
        if code:
            print("tests failed: no bundle built", file=sys.stderr)
            return code
    python = Path(sys.executable) if args.in_place else clean_environment()
    code = subprocess.call([str(python), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                            "--distpath", str(DIST.parent), "--workpath", str(ROOT / "build" / "pyinstaller"),
                            str(ROOT / "hallclient.spec")], cwd=ROOT)
    if code:
        return code
    size = bundle_size(DIST)
    print(f"bundle: {DIST.relative_to(ROOT)}  {size / 1e6:.0f} MB unpacked (budget {BUDGET_MB} MB)")
    for part_size, name in largest(DIST):
        print(f"  {part_size / 1e6:7.1f} MB  {name}")
    over = size > BUDGET_MB * 1e6
    if over:
        print(f"over budget by {size / 1e6 - BUDGET_MB:.0f} MB (docs/packaging.md says where it goes)",
              file=sys.stderr)
    code = 0
    if not args.no_self_test:
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        code = subprocess.call([str(executable()), "--self-test"], env=env)
    return code or (3 if over and args.enforce_budget else 0)


if __name__ == "__main__":
    sys.exit(main())
