#!/bin/sh
# Install (or with --uninstall remove) Next Level Desktop for the current user, from the
# unpacked Linux bundle this script sits in. No root needed.
#
#   ./install.sh                 installs to ~/.local (override with PREFIX=/some/prefix)
#   ./install.sh --uninstall     removes what install.sh put there
#
# Puts the bundle in $PREFIX/lib/NextLevelDesktop, the command nextlevel-desktop in $PREFIX/bin,
# and the menu entry, AppStream metainfo, icons and the .nlw file type under $PREFIX/share.
set -eu
APP_ID=com.nextleveldesktop.NextLevelDesktop
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
lib=$prefix/lib/NextLevelDesktop
bin=$prefix/bin/nextlevel-desktop
share=$prefix/share
sizes="16 24 32 48 64 128 256 512"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$share/mime" >/dev/null 2>&1 || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$lib"
  rm -f "$bin" "$share/applications/$APP_ID.desktop" "$share/metainfo/$APP_ID.metainfo.xml" \
    "$share/mime/packages/$APP_ID.xml" "$share/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $sizes; do rm -f "$share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"; done
  refresh
  echo "Next Level Desktop removed from $prefix (your workspaces were not touched)."
  exit 0
fi

[ -x "$here/NextLevelDesktop" ] || { echo "install.sh: run me from the unpacked bundle" >&2; exit 1; }
icons=$here/_internal/nextlevel_desktop/assets/icons/hicolor

if [ "$here" != "$lib" ]; then
  rm -rf "$lib"
  mkdir -p "$lib"
  cp -a "$here/." "$lib/"
fi
mkdir -p "$(dirname "$bin")" "$share/applications" "$share/metainfo" "$share/mime/packages"
ln -sf "$lib/NextLevelDesktop" "$bin"
# The menu entry runs the installed command by its full path: ~/.local/bin may not be on PATH.
sed -e "s|^Exec=nextlevel-desktop |Exec=$bin |" -e "s|^TryExec=nextlevel-desktop\$|TryExec=$bin|" \
  "$here/linux/$APP_ID.desktop" >"$share/applications/$APP_ID.desktop"
cp "$here/linux/$APP_ID.metainfo.xml" "$share/metainfo/"
cp "$here/linux/$APP_ID.mime.xml" "$share/mime/packages/$APP_ID.xml"
for size in $sizes; do
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  cp "$icons/${size}x${size}/apps/$APP_ID.png" "$share/icons/hicolor/${size}x${size}/apps/"
done
mkdir -p "$share/icons/hicolor/scalable/apps"
cp "$icons/scalable/apps/$APP_ID.svg" "$share/icons/hicolor/scalable/apps/"
refresh
echo "Next Level Desktop installed to $lib; start it from the menu or with $bin"
