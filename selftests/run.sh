#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run.sh OUTDIR [NAME] - run the optsim selftests (as root, in the test VM).
#
# Loads driver/optsim.ko (layer_sectors=32768, or $OPTSIM_MODPARAMS) unless
# it is loaded already, runs the kselftest binary optsim_test and the shell
# tests, and unloads the module at the end (that rmmod has to succeed too).
# Each program's TAP goes to OUTDIR/<name>.tap and to stdout; run.sh's own
# results (module load/unload, every program ran to its plan) go to
# OUTDIR/run.tap. Exit status 0 when everything passed.
#
# NAME runs one thing only: a shell test (udf, ext4, iso, fio, module,
# quality) or a kselftest selection: a fixture (write_once),
# FIXTURE.VARIANT, FIXTURE.TEST, FIXTURE.VARIANT.TEST, a test or a variant
# name. A NAME that is both (quality: the kselftest fixture and
# quality.sh) runs both. The .tap
# files of earlier runs in OUTDIR are removed first (not vm.tap: that one
# belongs to tools/testing/vm/run-vm.sh).

ksft_dir=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$ksft_dir/.." && pwd -P)

SHELL_TESTS="udf ext4 iso fio module quality netlink netlink_spec udev"

usage() {
	echo "usage: $0 OUTDIR [NAME]" >&2
	echo "  NAME: one of: $SHELL_TESTS, or a kselftest fixture/test name" >&2
	exit 2
}

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
bin=$ksft_dir/optsim_test

if [ "$(id -u)" -ne 0 ]; then
	echo "run.sh: the optsim selftests need root" >&2
	exit 2
fi

# ---- what to run -----------------------------------------------------------

run_kselftest=1
shell_tests=$SHELL_TESTS
ksft_sel=
if [ -n "$name" ]; then
	shell_tests=
	case " $SHELL_TESTS " in
	*" $name "*) shell_tests=$name ;;
	esac
	# The first selector that selects anything: -r takes FIXTURE,
	# FIXTURE.VARIANT, FIXTURE.TEST and FIXTURE.VARIANT.TEST.
	flag=
	if [ -x "$bin" ]; then
		for f in -r -t -v; do
			if [ -n "$("$bin" -l "$f" "$name")" ]; then
				flag=$f
				break
			fi
		done
	fi
	if [ -n "$flag" ]; then
		ksft_sel="$flag $name"
	elif [ -n "$shell_tests" ]; then
		run_kselftest=0
	elif ! [ -x "$bin" ]; then
		echo "run.sh: $bin not built (make selftests)" >&2
		exit 2
	else
		echo "run.sh: no test or fixture named '$name'" >&2
		echo "run.sh: shell tests: $SHELL_TESTS; kselftests: $bin -l" >&2
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
run_tap=$out/run.tap
: >"$run_tap"
run_n=0
failed=0

result() {
	run_n=$((run_n + 1))
	if [ "$1" -eq 0 ]; then
		line="ok $run_n - run: $2"
	else
		line="not ok $run_n - run: $2"
		failed=1
	fi
	echo "$line" >>"$run_tap"
	echo "$line"
	if [ $# -ge 3 ] && [ -n "$3" ]; then
		printf '%s\n' "$3" | sed 's/^/# /' | tee -a "$run_tap"
	fi
}

rcfile=$(mktemp "${TMPDIR:-/tmp}/optsim-run.XXXXXX")
trap 'rm -f "$rcfile"' EXIT

# run_prog NAME CMD...: run a TAP-printing program; its output to
# OUTDIR/NAME.tap and stdout; then check that it exited 0 and reported as
# many results as it planned.
run_prog() {
	prog=$1
	shift
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

if [ $run_kselftest -eq 1 ]; then
	if [ -x "$bin" ]; then
		# stdbuf: keep the harness's stdout and stderr lines in order
		lb=
		command -v stdbuf >/dev/null 2>&1 && lb="stdbuf -oL -eL"
		# shellcheck disable=SC2086 # $lb and $ksft_sel are word lists
		run_prog optsim_test $lb "$bin" $ksft_sel
	else
		result 1 "optsim_test built" "$bin missing: make selftests"
	fi
fi

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

echo "1..$run_n" >>"$run_tap"
echo "1..$run_n"
exit $failed
