#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh OUTDIR [NAME] - run the optsim selftests (as root, in the test VM).
# run.sh -l - list the kselftests, one FIXTURE[.VARIANT].TEST a line under
#             the name of the program that holds it.
#
# Loads driver/optsim.ko (layer_sectors=32768, or $OPTSIM_MODPARAMS) unless
# it is loaded already, runs the kselftest programs (optsim_AREA, one per
# optsim_AREA.c) and the shell tests, and unloads the module at the end
# (that rmmod has to succeed too). Each program's TAP goes to
# OUTDIR/<name>.tap and to stdout; run.sh's own results (module
# load/unload, every program ran to its plan) go to OUTDIR/run.tap. Exit
# status 0 when everything passed.
#
# NAME runs one thing only: a shell test (udf, ext4, iso, fio, module, mmc,
# quality, image, stress) or a kselftest selection: a fixture (write_once),
# FIXTURE.VARIANT, FIXTURE.TEST, FIXTURE.VARIANT.TEST, a test or a variant
# name. A NAME that is both (quality: the kselftest fixture and
# quality.sh) runs both. The kselftest harness of Linux 6.1 runs all of a
# program's tests and takes no selection, so a kselftest NAME runs every
# program that holds a selected test, whole; run.sh says which tests the
# NAME selects. The .tap files of earlier runs in OUTDIR are removed first
# (not vm.tap: that one belongs to tools/testing/vm/run-vm.sh).

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$ksft_dir/.." && pwd -P)

SHELL_TESTS="udf ext4 iso fio module quality netlink netlink_spec udev mmc image current stress"

usage() {
	echo "usage: $0 OUTDIR [NAME] | $0 -l" >&2
	echo "  NAME: one of: $SHELL_TESTS, or a kselftest fixture/test name" >&2
	exit 2
}

# The kselftest programs: one per optsim_*.c (as selftests/Makefile builds
# them), in that order.
ksft_progs() {
	for _c in "$ksft_dir"/optsim_*.c; do
		[ -e "$_c" ] && basename "$_c" .c
	done
}

# ksft_list PROG: PROG's tests, one FIXTURE[.VARIANT].TEST a line, in the
# order the harness runs them (TEST()s are in its fixture "global"). The
# 6.1 harness cannot list them, so they are read from PROG.c: the
# harness's macros start a line there, one per line. run_prog checks that
# the program's plan has as many tests.
ksft_list() {
	awk '
	function arg(s, n,	a) {
		sub(/^[A-Z_]+\(/, "", s)
		sub(/\).*/, "", s)
		gsub(/[ \t]/, "", s)
		split(s, a, ",")
		return a[n]
	}
	/^FIXTURE\(/ { fix[++nf] = arg($0, 1) }
	/^FIXTURE_VARIANT_ADD\(/ { var[arg($0, 1)] = var[arg($0, 1)] " " arg($0, 2) }
	/^TEST(_SIGNAL)?\(/ { tests["global"] = tests["global"] " " arg($0, 1) }
	/^TEST_F(_SIGNAL|_TIMEOUT)?\(/ { tests[arg($0, 1)] = tests[arg($0, 1)] " " arg($0, 2) }
	END {
		nt = split(tests["global"], t, " ")
		for (j = 1; j <= nt; j++)
			print "global." t[j]
		for (i = 1; i <= nf; i++) {
			f = fix[i]
			nt = split(tests[f], t, " ")
			nv = split(var[f], v, " ")
			if (!nv) {
				for (j = 1; j <= nt; j++)
					print f "." t[j]
			}
			for (k = 1; k <= nv; k++)
				for (j = 1; j <= nt; j++)
					print f "." v[k] "." t[j]
		}
	}' "$ksft_dir/$1.c"
}

# ksft_select KIND NAME: the tests of the list on stdin that NAME selects,
# like the -r, -t and -v options of later harnesses. r: NAME is FIXTURE,
# FIXTURE.VARIANT, FIXTURE.TEST or FIXTURE.VARIANT.TEST; t: a test name;
# v: a variant name.
ksft_select() {
	awk -v kind="$1" -v name="$2" '
	{
		n = split($0, p, ".")
		f = p[1]; t = p[n]; v = n == 3 ? p[2] : ""
		if (kind == "r")
			hit = name == f || name == $0 || name == f "." t ||
			      (v != "" && name == f "." v)
		else if (kind == "t")
			hit = name == t
		else
			hit = v != "" && name == v
		if (hit)
			print
	}'
}

if [ "${1:-}" = "-l" ] && [ $# -eq 1 ]; then
	for p in $(ksft_progs); do
		echo "# $p"
		ksft_list "$p"
	done
	exit 0
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	usage
fi
out=$1
name=${2:-}
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd -P) || exit 2

OPTSIM_REPO=$repo
OPTSIM_KO=${OPTSIM_KO:-$repo/driver/optsim.ko}
OPTSIMCTL=${OPTSIMCTL:-$repo/tools/optsimctl/optsimctl}
OPTSIM_MODPARAMS=${OPTSIM_MODPARAMS:-layer_sectors=32768}
export OPTSIM_REPO OPTSIM_KO OPTSIMCTL OPTSIM_MODPARAMS
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ksft_dir/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "run.sh: the optsim selftests need root" >&2
	exit 2
fi

# ---- what to run -----------------------------------------------------------

shell_tests=$SHELL_TESTS
ksft_run=$(ksft_progs)
# What NAME selects, for the log: "PROG: N of M tests" lines and the tests.
ksft_sel=
if [ -n "$name" ]; then
	shell_tests=
	case " $SHELL_TESTS " in
	*" $name "*) shell_tests=$name ;;
	esac
	# The first kind of selector that selects anything.
	ksft_run=
	for kind in r t v; do
		for p in $(ksft_progs); do
			sel=$(ksft_list "$p" | ksft_select $kind "$name")
			[ -n "$sel" ] || continue
			ksft_run="$ksft_run $p"
			ksft_sel="$ksft_sel$p: $(echo "$sel" | wc -l) of $(ksft_list "$p" | wc -l) tests:
$sel
"
		done
		[ -n "$ksft_run" ] && break
	done
	if [ -z "$ksft_run" ] && [ -z "$shell_tests" ]; then
		echo "run.sh: no test or fixture named '$name'" >&2
		echo "run.sh: shell tests: $SHELL_TESTS; kselftests: $0 -l" >&2
		exit 2
	fi
fi

# ---- run.tap: this script's own results ------------------------------------

for f in "$out"/*.tap; do
	case $f in
	"$out/vm.tap" | "$out/*.tap") ;;
	*) rm -f "$f" ;;
	esac
done
tap_file=$out/run.tap
: >"$tap_file"
# Set when a program reported a failed test.
failed=0

# result RC DESC [DIAG]: one result of run.sh's own.
result() {
	tap_result "run: $2" "$1" "${3:-}"
}

rcfile=$(mktemp "${TMPDIR:-/tmp}/optsim-run.XXXXXX")
trap 'rm -f "$rcfile"' EXIT

# run_prog NAME [-n COUNT] CMD...: run a TAP-printing program; its output
# to OUTDIR/NAME.tap and stdout; then check that it exited 0 and reported
# as many results as it planned (and planned COUNT, with -n).
run_prog() {
	prog=$1
	shift
	want=
	if [ "$1" = "-n" ]; then
		want=$2
		shift 2
	fi
	tap=$out/$prog.tap
	echo "# run.sh: $prog: $*"
	{
		"$@" 2>&1 </dev/null
		echo $? >"$rcfile"
	} | tee "$tap"
	rc=$(cat "$rcfile")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$tap" | head -n 1)
	results=$(grep -cE '^(not )?ok ' "$tap")
	fails=$(grep -c '^not ok ' "$tap")
	ok=0
	diag=
	if [ -z "$plan" ] || [ "$plan" -ne "$results" ]; then
		ok=1
		diag="planned ${plan:-no} tests, reported $results"
	elif [ -n "$want" ] && [ "$plan" -ne "$want" ]; then
		ok=1
		diag="planned $plan tests, $prog.c has $want"
	fi
	if [ "$rc" -ne 0 ] && [ "$fails" -eq 0 ]; then
		ok=1
		diag="${diag:+$diag; }exit status $rc without a failed test"
	fi
	if [ "$rc" -eq 0 ] && [ "$fails" -ne 0 ]; then
		ok=1
		diag="${diag:+$diag; }exit status 0 with $fails failed tests"
	fi
	[ "$fails" -ne 0 ] && failed=1
	result "$ok" "$prog ran to completion (exit $rc, $results/${plan:-?} results, $fails failed)" "$diag"
}

# ---- the module ------------------------------------------------------------

if [ -d /sys/module/optsim ]; then
	result 0 "optsim module already loaded"
else
	err=
	# shellcheck disable=SC2086 # the parameters are separate words
	if err=$(insmod "$OPTSIM_KO" $OPTSIM_MODPARAMS 2>&1); then
		i=0
		while ! [ -b /dev/optsim ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -b /dev/optsim ] || err="no /dev/optsim after insmod"
	fi
	[ -z "$err" ]
	result $? "insmod $OPTSIM_KO $OPTSIM_MODPARAMS" "$err"
fi

# ---- the tests ------------------------------------------------------------

if [ -n "$ksft_sel" ]; then
	echo "# run.sh: '$name' selects:"
	printf '%s' "$ksft_sel" | sed 's/^/#   /'
fi
# stdbuf: keep the harness's stdout and stderr lines in order
lb=
command -v stdbuf >/dev/null 2>&1 && lb="stdbuf -oL -eL"
for p in $ksft_run; do
	if [ -x "$ksft_dir/$p" ]; then
		# shellcheck disable=SC2086 # $lb is a word list
		run_prog "$p" -n "$(ksft_list "$p" | wc -l)" $lb "$ksft_dir/$p"
	else
		result 1 "$p built" "$ksft_dir/$p missing: make selftests"
	fi
done

for t in $shell_tests; do
	run_prog "$t" sh "$ksft_dir/$t.sh"
done

# ---- unload ---------------------------------------------------------------

err=
if [ -d /sys/module/optsim ]; then
	i=0
	until err=$(rmmod optsim 2>&1); do
		i=$((i + 1))
		if [ $i -ge 5 ]; then
			err="$err; holders: $(ls /sys/module/optsim/holders 2>/dev/null) refcnt: $(cat /sys/module/optsim/refcnt 2>/dev/null)"
			break
		fi
		sleep 1
	done
	[ $i -lt 5 ] && err=
	[ -z "$err" ] && [ -e /dev/optsim ] && err="/dev/optsim still exists"
else
	err="the module is not loaded any more"
fi
[ -z "$err" ]
result $? "rmmod optsim at the end" "$err"

tap_end && [ "$failed" -eq 0 ]
