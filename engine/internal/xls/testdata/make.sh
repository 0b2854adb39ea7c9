#!/bin/sh
# Remakes cells.xls and cells.xlsx: gen.go writes cells-source.xlsx with
# excelize; LibreOffice (Debian: libreoffice-calc-nogui) saves it as an
# Excel 97–2003 workbook, cells.xls, and saves that back as cells.xlsx, the
# same cells as LibreOffice read them from the .xls. The tests read
# cells.xls with package xls and cells.xlsx with excelize, and compare.
set -e
cd "$(dirname "$0")"
go run gen.go
tmp=$(mktemp -d)
soffice --headless --convert-to xls --outdir "$tmp" cells-source.xlsx >/dev/null
cp "$tmp/cells-source.xls" cells.xls
soffice --headless --convert-to xlsx --outdir "$tmp" cells.xls >/dev/null
cp "$tmp/cells.xlsx" cells.xlsx
rm -rf "$tmp" cells-source.xlsx
