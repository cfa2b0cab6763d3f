"""``python -m installer.linux --out DIR``: the one-folder app, its tarball and its ``.deb``."""

from __future__ import annotations

import argparse
from pathlib import Path

from installer.linux.build import DEFAULT_WORK, build
from installer.linux.package import DEB_COMPRESSIONS, DEFAULT_COMPRESSION, DEFAULT_MAINTAINER


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m installer.linux",
        description="Build the Linux one-folder app of Madoguchi, its tarball and its .deb.",
    )
    parser.add_argument("--out", type=Path, required=True, help="where the app folder, tarball and .deb go")
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help="PyInstaller's work folder (default: build/linux)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="do nothing if OUT holds a build of the same sources"
    )
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--deb-compression", choices=sorted(DEB_COMPRESSIONS), default=DEFAULT_COMPRESSION)
    parser.add_argument("--maintainer", default=DEFAULT_MAINTAINER, help="Maintainer field of the .deb")
    args = parser.parse_args(argv)
    info = build(
        args.out.resolve(),
        args.work.resolve(),
        reuse=args.reuse,
        clean=args.clean,
        deb_compression=args.deb_compression,
        maintainer=args.maintainer,
    )
    mib = {name: f"{size / 2**20:.0f} MiB" for name, size in info.sizes.items()}
    print(f"madoguchi {info.version}: {info.app_dir} ({mib.get('app')})")
    print(f"  {info.tarball} ({mib.get('tarball')})")
    print(f"  {info.deb} ({mib.get('deb')})")
    print("  seconds: " + ", ".join(f"{step} {s}" for step, s in info.seconds.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
