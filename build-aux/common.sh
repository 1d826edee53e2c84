# Shared by build-aux/run, test, screenshots and bench. Source it; do not run it.
# SPDX-License-Identifier: GPL-3.0-or-later

# What building Cairn needs (Debian bookworm names; Ubuntu 24.04 has the same).
CAIRN_BUILD_PACKAGES=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev
  libsqlite3-dev libsodium-dev libjson-glib-dev
  libglib-testing-0-dev
  desktop-file-utils appstream
)

# What running it needs beyond the build: a font and the icon theme.
CAIRN_RUN_PACKAGES=(
  fonts-cantarell fonts-dejavu-core adwaita-icon-theme
  librsvg2-common  # the SVG loader: without it no symbolic icon draws
)

# What the headless test suite needs beyond that: an X server and a session bus.
CAIRN_TEST_PACKAGES=(
  xvfb xauth dbus-daemon
  sqlite3  # the stock tool must fail to open a vault database
  poppler-utils  # pdftotext reads back the PDFs Cairn writes
)

CAIRN_BUILD_DIR=${CAIRN_BUILD_DIR:-build}

cairn_die () {
  echo "$*" >&2
  exit 1
}

# Installs those of the given Debian packages that are missing, and nothing
# else: when everything is installed it does not call apt-get at all.
cairn_ensure_packages () {
  local missing=() pkg
  command -v dpkg-query >/dev/null ||
    cairn_die "This needs a Debian or Ubuntu system (dpkg-query not found). Install the equivalents of: $*"

  for pkg in "$@"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || cairn_die "Missing packages (${missing[*]}); run as root or install sudo."
    sudo=(sudo)
  fi

  echo "Installing missing packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Configures (once) and builds. Warnings are errors: the code is -Wall -Wextra clean.
cairn_build () {
  if [ ! -f "$CAIRN_BUILD_DIR/build.ninja" ]; then
    meson setup "$CAIRN_BUILD_DIR" -Dwerror=true "$@"
  fi
  meson compile -C "$CAIRN_BUILD_DIR"
}

# Environment to run Cairn from the build tree, without installing.
cairn_build_tree_env () {
  export GSETTINGS_SCHEMA_DIR="$PWD/$CAIRN_BUILD_DIR/data"
}

# Runs a command under its own X server and its own D-Bus session bus.
cairn_headless () {
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$@"
}
