#!/usr/bin/env bash
# Build the one-folder app bundle for this platform (Linux or macOS) from a clean virtual
# environment with the pinned build tools of packaging/requirements-build.txt.
#
#   packaging/build.sh            -> dist/NextLevelDesktop/          (Linux: run ./NextLevelDesktop)
#                                    dist/Next Level Desktop.app     (macOS)
#   PYTHON=python3.12 packaging/build.sh   to build with another interpreter (3.11 or newer)
#
# Windows: packaging\build.ps1 does the same. Installers: see README.md, "Building installers".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=${PYTHON:-python3}
work=$root/build/packaging
venv=$work/venv

echo "build: fresh virtual environment in $venv"
rm -rf "$venv" "$work/pyinstaller" "$root/dist/NextLevelDesktop" "$root/dist/Next Level Desktop.app"
mkdir -p "$work"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
# The app as users get it (a regular, non-editable install) plus the pinned build tools.
"$venv/bin/python" -m pip install -q -r packaging/requirements-build.txt "$root"

echo "build: PyInstaller $("$venv/bin/python" -m PyInstaller --version)"
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$root/dist" --workpath "$work/pyinstaller" packaging/nextlevel-desktop.spec

version=$("$venv/bin/python" -c "import nextlevel_desktop; print(nextlevel_desktop.__version__)")
if [ "$(uname -s)" = Darwin ]; then
  bundle="$root/dist/Next Level Desktop.app"
  exe="$bundle/Contents/MacOS/NextLevelDesktop"
else
  bundle="$root/dist/NextLevelDesktop"
  exe="$bundle/NextLevelDesktop"
fi

# The frozen app checks itself (demo workspace, every area and dialog, charts, a backup), so a
# bundle that misses a module or a data file fails here, not on a user's machine.
echo "build: self-test of the frozen app"
QT_QPA_PLATFORM=offscreen "$exe" --self-test --data-dir "$work/selftest"
# Each sub-command is imported by name when asked for: each must be in the bundle.
for command in $("$venv/bin/python" -c "from nextlevel_desktop.commands import COMMANDS; print(*COMMANDS)"); do
  QT_QPA_PLATFORM=offscreen "$exe" "$command" --help >/dev/null
done
rm -rf "$work/selftest"
if [ "$(uname -s)" = Darwin ]; then
  echo "build: done: $bundle ($(du -sh "$bundle" | cut -f1) unpacked)"
  exit 0
fi

# Linux: the desktop integration goes into the bundle, and the bundle into a tarball that
# users unpack and install with ./install.sh (per user, no root).
mkdir -p "$bundle/linux"
cp packaging/linux/install.sh "$bundle/"
cp packaging/linux/*.desktop packaging/linux/*.metainfo.xml packaging/linux/*.mime.xml "$bundle/linux/"
echo "build: done: $bundle ($(du -sh "$bundle" | cut -f1) unpacked)"
if [ "${NLD_NO_ARCHIVE:-}" != 1 ]; then
  archive="$root/dist/NextLevelDesktop-$version-linux-$(uname -m).tar.gz"
  tar -C "$root/dist" -czf "$archive" NextLevelDesktop
  echo "build: archive: $archive ($(du -h "$archive" | cut -f1))"
fi
