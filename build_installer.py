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
import re
import shutil
import struct
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


# --- ICU data for Chinese and English only -------------------------------------------------------
#
# Qt links against ICU, whose data library (libicudata, 32 MB in PySide6 6.11) holds the locale
# data of some 800 locales. Qt itself calls ICU only for collation (QCollator, also QFileDialog's
# file list), text codecs (QStringConverter by name, e.g. GB18030), time-zone names and
# locale-aware case mapping (see `nm -D libQt6Core.so.6 | grep _73`). The window's own sorting
# is pypinyin's. So the bundle gets a libicudata rebuilt from the same package with the
# locale-specific resources of root, zh* and en* only, no transliteration and no word-break
# dictionaries; every converter and the core Unicode data stay. A locale that is not kept falls
# back to root (ICU's own fallback), never an error. `--self-test` checks zh collation, GB18030
# and a Chinese time-zone name through Qt.

# each with its variants (zh_Hans_CN, en_US_POSIX, …); yue because zh_Hant_HK's number spelling is its
ICU_KEEP_LOCALES = ("root", "zh", "en", "yue")
ICU_LOCALE_TREES = ("", "coll", "curr", "lang", "region", "unit", "zone", "rbnf", "brkitr", "translit")
_ICU_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")


def _elf_symbol(data: bytes, prefix: bytes) -> tuple[str, int, int]:
    """(name, file offset, size) of the first dynamic symbol of an ELF64 file starting with `prefix`."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for pos in range(offset, offset + size, entsize):
            st_name, _st_info, _st_other, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", data, pos)
            end = data.index(b"\0", strtab + st_name)
            name = data[strtab + st_name:end]
            if name.startswith(prefix) and st_shndx:
                holder = sections[st_shndx]
                return name.decode(), st_value - holder[3] + holder[4], st_size
    raise ValueError(f"no symbol {prefix.decode()}… in the file")


def elf_needed(path: Path) -> list[str] | None:
    """The DT_NEEDED names of an ELF64 shared object or executable; None when it is not one."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, _entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab = sections[link][4]
        for pos in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                names.append(data[strtab + value:data.index(b"\0", strtab + value)].decode())
    return names


def _icu_keeps(item: str) -> bool:
    path = item.split("/", 1)[1]  # "icudt73l/coll/zh.res" → "coll/zh.res"
    tree, _, base = path.rpartition("/")
    if tree == "translit":
        return False  # Qt does not transliterate
    if tree == "brkitr" and base.endswith(".dict"):
        return False  # word-break dictionaries (cjdict alone 2 MB): Qt breaks text itself
    if tree in ICU_LOCALE_TREES and _ICU_LOCALE.match(base):
        return base[:-4].split("_")[0] in ICU_KEEP_LOCALES
    return True


def filter_icu_package(package: bytes) -> tuple[bytes, int, int]:
    """An ICU common data package ("CmnD") with only the items `_icu_keeps`; (data, kept, dropped)."""
    header_size, magic = struct.unpack_from("<H2s", package, 0)
    if magic != b"\xda\x27" or package[12:16] != b"CmnD" or package[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    count, = struct.unpack_from("<I", package, header_size)
    toc = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(toc):
        start = header_size + name_offset
        name = package[start:package.index(b"\0", start)]
        end = header_size + toc[i + 1][1] if i + 1 < count else len(package)
        if _icu_keeps(name.decode("ascii")):
            items.append((name, package[header_size + data_offset:end]))
    names_start = 4 + 8 * len(items)
    names = b"".join(name + b"\0" for name, _ in items)
    data_start = names_start + len(names)
    data_start += -(header_size + data_start) % 16
    entries, blobs, name_at, data_at = [], [], names_start, data_start
    for name, blob in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        blob += bytes(-len(blob) % 16)
        blobs.append(blob)
        data_at += len(blob)
    head = package[:header_size] + struct.pack("<I", len(items)) + b"".join(entries) + names
    head += bytes(header_size + data_start - len(head))
    return head + b"".join(blobs), len(items), count - len(items)


def slim_icu_library(library: Path, workdir: Path) -> Path | None:
    """libicudata rebuilt with `filter_icu_package` (needs a C compiler), or None to keep it as is."""
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if sys.platform != "linux" or compiler is None:
        print(f"ICU data kept whole ({library.name}): {'not Linux' if sys.platform != 'linux' else 'no C compiler'}")
        return None
    data = library.read_bytes()
    symbol, offset, size = _elf_symbol(data, b"icudt")
    package, kept, dropped = filter_icu_package(data[offset:offset + size])
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / f"{symbol}.dat").write_bytes(package)
    (workdir / "icudata.S").write_text(
        f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n'
        f'\t.incbin "{symbol}.dat"\n\t.size {symbol}, . - {symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
    out = workdir / library.name
    subprocess.run([compiler, "-shared", "-nostdlib", "-s", f"-Wl,-soname,{library.name}", "-o", str(out),
                    "icudata.S"], cwd=workdir, check=True)
    print(f"ICU data: {kept} items kept, {dropped} dropped; {library.name} {len(data) / 1e6:.1f} → "
          f"{out.stat().st_size / 1e6:.1f} MB")
    return out


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
