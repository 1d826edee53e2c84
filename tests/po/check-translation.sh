#!/bin/sh
# Fails when any translatable string of Cairn lacks a translation in
# po/LANG.po (missing, untranslated or fuzzy), or when the catalogue does not
# compile with format checks. The template is extracted afresh from the
# sources, with the same keywords as meson's i18n 'glib' preset.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
src=${1:?usage: check-translation.sh SOURCE_ROOT LANG}
lang=${2:?usage: check-translation.sh SOURCE_ROOT LANG}
cd "$src"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

xgettext --package-name=cairn --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --directory=. --files-from=po/POTFILES.in --output="$tmp/cairn.pot"

msgfmt --check --statistics --output-file="$tmp/$lang.mo" "po/$lang.po"

# msgcmp counts untranslated and fuzzy entries of the catalogue as missing.
if ! msgcmp "po/$lang.po" "$tmp/cairn.pot"; then
  echo "po/$lang.po lacks translations for the strings above: update it with"
  echo "  meson compile -C build cairn-update-po   and translate what is new."
  exit 1
fi
echo "po/$lang.po translates every string of Cairn."
