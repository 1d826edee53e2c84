#!/bin/sh
# Fails when a source or template with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
cd "${1:?usage: check-potfiles.sh SOURCE_ROOT}"

listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in | sort -u > "$listed"

{
  # C sources using the gettext macros.
  grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|ngettext|g_dngettext|g_dpgettext2)[[:space:]]*\(' \
    --include='*.c' src || true
  # Templates, menus and the shortcuts window.
  grep -rl 'translatable="yes"' --include='*.ui' ui src || true
  # Data files are always translatable.
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml
} | sort -u > "$found"

status=0
missing=$(comm -13 "$listed" "$found")
stale=$(comm -23 "$listed" "$found")
if [ -n "$missing" ]; then
  echo "These files have translatable strings but are not in po/POTFILES.in:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi
for f in $stale; do
  if [ ! -e "$f" ]; then
    echo "po/POTFILES.in names $f, which does not exist."
    status=1
  else
    echo "po/POTFILES.in names $f, which has no translatable strings."
    status=1
  fi
done
[ $status -eq 0 ] && echo "po/POTFILES.in lists all $(wc -l < "$found") files with translatable strings."
exit $status
