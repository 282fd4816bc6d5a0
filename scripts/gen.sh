#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/gen.sh - the generated files committed in the tree, each written
# by its generator (the list below): a Python script in scripts/, run with
# Debian's python3 as the host tests are, or a C program linked with the
# model, built by its directory's Makefile first. Run from the top of the
# tree.
#
#   scripts/gen.sh               rewrite every generated file (make gen)
#   scripts/gen.sh --check [DIR] compare each generator's output with the
#                                committed file (under DIR, default .):
#                                one TAP result each, exit 1 when one
#                                differs (a host test of make unit)
set -u
PYTHON=${PYTHON:-/usr/bin/python3}

# generator:file it writes
list='
scripts/gen_rll_lut.py:driver/model/rll_lut.h
scripts/gen_fixmath_tables.py:driver/model/fixmath_tables.h
tools/testing/unit/disc_strategy_gen:driver/model/disc_strategy_tables.h
'

# run_gen GENERATOR: its output on stdout
run_gen() {
	case $1 in
	*.py)	"$PYTHON" "$1" ;;
	*)	make -s -C "$(dirname "$1")" "$(basename "$1")" >&2 &&
		"./$1" ;;
	esac
}

if [ "${1:-}" != --check ]; then
	for g in $list; do
		out=${g#*:}
		echo "  GEN     $out"
		run_gen "${g%%:*}" > "$out.tmp" || { rm -f "$out.tmp"; exit 1; }
		mv "$out.tmp" "$out"
	done
	exit 0
fi

dir=${2:-.}
# shellcheck source=tools/testing/tap-lib.sh
. tools/testing/tap-lib.sh
tap_tmpdir
for g in $list; do
	gen=${g%%:*}
	out=${g#*:}
	if ! run_gen "$gen" > "$T/out" 2> "$T/err"; then
		fail "$out: $gen runs" "$(sed -n '1p;2,5s/^/#   /p' "$T/err")"
	elif ! cmp -s "$T/out" "$dir/$out"; then
		fail "$out is what $gen writes (make gen rewrites it)" \
			"$(diff "$dir/$out" "$T/out" 2>&1 | sed -n '1p;2,10s/^/#   /p')"
	else
		pass "$out is what $gen writes"
	fi
done
tap_end
