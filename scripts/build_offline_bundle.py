"""Build the offline installation bundle: dist/chuangyou-<version>-offline.zip.

Usage:
    python scripts/build_offline_bundle.py                      # 3 platforms × CPython 3.10–3.13
    python scripts/build_offline_bundle.py --platform manylinux_x86_64 --python 3.11
    python scripts/build_offline_bundle.py --platform host --python host   # this machine only

The bundle holds the project's own wheel, every dependency as a binary wheel for each
platform and Python asked (``pip download --only-binary=:all:``; a pure-Python wheel is
stored once), the examples, ``install.bat`` / ``install.sh`` (a virtual environment next to
them, installed with ``--no-index --find-links wheels``) and ``使用说明.txt``.

``pip download --platform`` evaluates a requirement's environment markers on the machine
it runs on, not the target (typer needs ``colorama; platform_system == "Windows"``, which
pip on Linux skips). So after each download the requirements are walked again with the
target's markers, and whatever is missing is downloaded for that target; the same walk
proves that every platform asked has a wheel of every package it needs.

Needs the network (the configured package index) while building; the bundle itself is
installed without it.
"""

from __future__ import annotations

import argparse
import platform as host_platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_texts import INSTALL_BAT, INSTALL_SH, README_TXT  # noqa: E402

try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.tags import Tag, compatible_tags, cpython_tags
    from packaging.utils import canonicalize_name, parse_wheel_filename
except ImportError:  # pip vendors packaging: the script then needs nothing but pip
    from pip._vendor.packaging.markers import Marker  # type: ignore[no-redef]
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.tags import Tag, compatible_tags, cpython_tags  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
MAX_BYTES = 80 * 1000 * 1000

#: pip --platform tags per target, newest first. manylinux_2_28 is the newest glibc taken:
#: Kylin V10 and UOS 20 ship glibc 2.28.
PLATFORMS: dict[str, tuple[str, ...]] = {
    "win_amd64": ("win_amd64",),
    "manylinux_x86_64": ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64",
                         "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"),
    "manylinux_aarch64": ("manylinux_2_28_aarch64", "manylinux_2_27_aarch64",
                          "manylinux_2_17_aarch64", "manylinux2014_aarch64"),
}

#: Environment markers of each target (PEP 508), the part that differs between them.
MARKERS: dict[str, dict[str, str]] = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                  "platform_machine": "AMD64"},
    "manylinux_x86_64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                         "platform_machine": "x86_64"},
    "manylinux_aarch64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                          "platform_machine": "aarch64"},
}


class BundleError(Exception):
    """A build that cannot finish; the message says why, in Chinese."""


@dataclass(frozen=True)
class Target:
    platform: str
    python: str  # "3.11"

    @property
    def label(self) -> str:
        return f"{self.platform} / CPython {self.python}"

    @property
    def abi(self) -> str:
        return "cp" + self.python.replace(".", "")

    def tags(self) -> set[Tag]:
        version = tuple(int(p) for p in self.python.split("."))
        plats = list(PLATFORMS[self.platform])
        found = set(cpython_tags(version, abis=[self.abi], platforms=plats))
        found.update(compatible_tags(version, interpreter=self.abi, platforms=plats))
        return found

    def environment(self) -> dict[str, str]:
        return {**MARKERS[self.platform], "python_version": self.python,
                "python_full_version": self.python + ".0", "implementation_name": "cpython",
                "platform_python_implementation": "CPython", "extra": ""}


def host_target_platform() -> str:
    machine = host_platform.machine().lower()
    if sys.platform == "win32" and machine in ("amd64", "x86_64"):
        return "win_amd64"
    if sys.platform.startswith("linux") and machine in ("x86_64", "aarch64"):
        return f"manylinux_{machine}"
    raise BundleError(f"本机（{sys.platform} {machine}）不是可打包的平台：{', '.join(PLATFORMS)}")


def project_version() -> str:
    text = (ROOT / "src" / "chuangyou" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    if match is None:
        raise BundleError("src/chuangyou/__init__.py 中找不到 __version__")
    return match.group(1)


def run_pip(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace")


def build_project_wheel(folder: Path) -> Path:
    done = run_pip(["wheel", "--no-deps", "--quiet", "-w", str(folder), str(ROOT)])
    wheels = sorted(folder.glob("chuangyou-*.whl"))
    if done.returncode != 0 or not wheels:
        raise BundleError(f"无法构建本项目的 wheel：\n{done.stderr.strip()}")
    return wheels[-1]


def download(requirements: list[str], target: Target, folder: Path) -> None:
    args = ["download", "--only-binary=:all:", "--disable-pip-version-check", "--quiet",
            "--python-version", target.python, "--implementation", "cp", "--abi", target.abi,
            "-d", str(folder)]
    for tag in PLATFORMS[target.platform]:
        args += ["--platform", tag]
    done = run_pip(args + requirements)
    if done.returncode == 0:
        return
    missing = re.findall(r"No matching distribution found for (\S+)", done.stderr)
    if missing:
        names = "、".join(sorted(set(missing)))
        raise BundleError(f"{names} 没有适用于 {target.label} 的二进制 wheel，无法打包该平台；"
                          f"去掉 --platform {target.platform} 或 --python {target.python} 后重试。")
    raise BundleError(f"为 {target.label} 下载依赖失败：\n{done.stderr.strip()}")


def wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8")
    return [Requirement(line.split(":", 1)[1].strip())
            for line in text.splitlines() if line.startswith("Requires-Dist:")]


def pick_wheel(req: Requirement, target: Target, folder: Path) -> Path | None:
    """The newest wheel in folder that installs for target and satisfies req."""
    tags = target.tags()
    best: tuple[object, Path] | None = None
    for path in folder.glob("*.whl"):
        name, version, _build, wheel_tags = parse_wheel_filename(path.name)
        if name != canonicalize_name(req.name) or not (wheel_tags & tags):
            continue
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            continue
        if best is None or version > best[0]:  # type: ignore[operator]
            best = (version, path)
    return best[1] if best else None


def resolve(project: Path, target: Target, folder: Path) -> list[Path]:
    """Every wheel target installs, walked with target's own markers; missing ones downloaded."""
    env = target.environment()
    chosen: dict[str, Path] = {}
    todo = [req for req in wheel_requirements(project)]
    while todo:
        req = todo.pop()
        if req.marker is not None and not Marker(str(req.marker)).evaluate(env):
            continue
        key = canonicalize_name(req.name)
        if key in chosen:
            continue
        wheel = pick_wheel(req, target, folder)
        if wheel is None:
            plain = str(Requirement(f"{req.name}{req.specifier}"))
            download([plain], target, folder)
            wheel = pick_wheel(req, target, folder)
            if wheel is None:
                raise BundleError(f"{req.name} 没有适用于 {target.label} 的二进制 wheel。")
        chosen[key] = wheel
        todo.extend(wheel_requirements(wheel))
    return [project, *sorted(chosen.values())]


def stage(version: str, project: Path, wheels: set[Path], staging: Path) -> Path:
    top = staging / f"chuangyou-{version}-offline"
    (top / "wheels").mkdir(parents=True)
    for wheel in sorted(wheels | {project}):
        shutil.copy2(wheel, top / "wheels" / wheel.name)
    shutil.copytree(ROOT / "examples", top / "examples")
    (top / "install.sh").write_text(INSTALL_SH.format(version=version), encoding="utf-8", newline="\n")
    (top / "install.sh").chmod(0o755)
    # cmd reads a .bat in the console's code page: GBK on Chinese Windows; CRLF line ends.
    (top / "install.bat").write_text(INSTALL_BAT.format(version=version), encoding="gbk", newline="\r\n")
    # UTF-8 with a BOM so that Notepad on older Windows and WPS recognise it.
    (top / "使用说明.txt").write_text(README_TXT.format(version=version, pythons="、".join(PYTHONS)),
                                  encoding="utf-8-sig", newline="\r\n")
    return top


def write_zip(top: Path, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(top.rglob("*")):
            name = path.relative_to(top.parent).as_posix()
            info = zipfile.ZipInfo.from_file(path, name)
            if path.is_dir():
                archive.writestr(info, b"")
                continue
            info.compress_type = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink)
    partial.replace(output)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="构建离线安装包 dist/chuangyou-<版本>-offline.zip")
    parser.add_argument("--platform", action="append", choices=[*PLATFORMS, "host"],
                        help="目标平台，可重复；host 表示本机；默认三个平台都打包")
    parser.add_argument("--python", action="append", choices=[*PYTHONS, "host"],
                        help="目标 Python 版本，可重复；host 表示运行本脚本的 Python；默认 3.10–3.13")
    parser.add_argument("--per-platform", action="store_true",
                        help="每个平台一个 zip：chuangyou-<版本>-offline-<平台>.zip；此时 -o 是输出文件夹")
    parser.add_argument("-o", "--output", type=Path, help="输出的 zip 文件（默认 dist/ 下）")
    return parser.parse_args(argv)


def targets(args: argparse.Namespace) -> list[Target]:
    plats = [host_target_platform() if p == "host" else p for p in (args.platform or PLATFORMS)]
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    pythons = [here if p == "host" else p for p in (args.python or PYTHONS)]
    bad = [p for p in pythons if p not in PYTHONS]
    if bad:
        raise BundleError(f"不支持的 Python 版本：{'、'.join(bad)}（支持 {'、'.join(PYTHONS)}）")
    return [Target(p, v) for p in dict.fromkeys(plats) for v in dict.fromkeys(pythons)]


def report(output: Path, per_target: dict[Target, list[Path]]) -> None:
    size = output.stat().st_size
    print(f"已生成 {output}：{size / 1e6:.1f} MB（{size:,} 字节）")
    with zipfile.ZipFile(output) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
    wheels = [n for n in names if n.endswith(".whl")]
    print(f"共 {len(names)} 个文件，其中 wheel {len(wheels)} 个：")
    for name in sorted(wheels):
        print(f"  {name.split('/', 1)[1]}")
    print("各平台安装的 wheel 数：")
    for target, paths in per_target.items():
        print(f"  {target.label}：{len(paths)} 个")
    if size > MAX_BYTES:
        raise BundleError(f"离线包 {size / 1e6:.1f} MB，超过上限 {MAX_BYTES / 1e6:.0f} MB"
                          f"（占用最多的是 {_largest(output)}）；可加 --per-platform 每个平台一个 zip。")


def _largest(output: Path) -> str:
    sizes: dict[str, int] = {}
    with zipfile.ZipFile(output) as archive:
        for info in archive.infolist():
            if info.filename.endswith(".whl"):
                name = info.filename.rsplit("/", 1)[1].split("-", 1)[0]
                sizes[name] = sizes.get(name, 0) + info.compress_size
    top = sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    return "、".join(f"{name} {size / 1e6:.1f} MB" for name, size in top)


def build(wanted: list[Target], version: str, output: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="chuangyou-bundle-") as tmp:
        folder = Path(tmp) / "wheels"
        folder.mkdir()
        project = build_project_wheel(Path(tmp) / "project")
        per_target: dict[Target, list[Path]] = {}
        for target in wanted:
            print(f"下载 {target.label} 的依赖……", flush=True)
            download([str(project)], target, folder)
            per_target[target] = resolve(project, target, folder)
        used = {p for paths in per_target.values() for p in paths}
        top = stage(version, project, used, Path(tmp) / "stage")
        write_zip(top, output)
    report(output, per_target)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        wanted = targets(args)
        version = project_version()
        if not args.per_platform:
            build(wanted, version, args.output or ROOT / "dist" / f"chuangyou-{version}-offline.zip")
            return 0
        folder = args.output or ROOT / "dist"
        for plat in dict.fromkeys(t.platform for t in wanted):
            name = f"chuangyou-{version}-offline-{plat}.zip"
            build([t for t in wanted if t.platform == plat], version, folder / name)
    except BundleError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
