#!/bin/sh
# Remakes example.xls, the example roll as an Excel 97–2003 workbook: the
# same cells as example.xlsx, saved by LibreOffice (Debian:
# libreoffice-calc-nogui) in that format. Run it after example.xlsx is
# remade (go test ./engine/audit -run TestExampleRolls -update).
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
soffice --headless --convert-to xls --outdir "$tmp" example.xlsx >/dev/null
cp "$tmp/example.xls" example.xls
rm -rf "$tmp"
