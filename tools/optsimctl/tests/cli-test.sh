#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of optsimctl: everything that needs no kernel module. Prints
# TAP; exits 1 when a test fails.
#
#   tests/cli-test.sh [OPTSIMCTL]
#
# OPTSIMCTL defaults to ../optsimctl next to this script. The device paths
# also run against tests/fakedev.so (or $FAKEDEV), an LD_PRELOAD stand-in of
# /dev/optsim that "make" builds; without it those tests are skipped.
set -u

here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$here/../optsimctl}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || { echo "Bail out! $BIN is not executable"; exit 1; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
NODEV=/nonexistent
n=0
fails=0

pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
	n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
	shift
	for l in "$@"; do echo "#   $l"; done
	sed 's/^/#   stderr: /' "$T/err" | head -5
	sed 's/^/#   stdout: /' "$T/out" | head -5
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# run CMD...: $rc, $T/out, $T/err
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
has_err() { grep -qF -- "$1" "$T/err"; }
has_out() { grep -qF -- "$1" "$T/out"; }

# t DESC RC STDERR-SUBSTRING ARGS...: exit code and message on stderr
t() {
	desc=$1 want=$2 msg=$3
	shift 3
	run "$BIN" "$@"
	if [ "$rc" -ne "$want" ]; then
		fail "$desc" "exit $rc, want $want"
	elif [ -n "$msg" ] && ! has_err "$msg"; then
		fail "$desc" "stderr lacks: $msg"
	else
		pass "$desc"
	fi
}

# tv DESC MESSAGE ARGS...: a validation error against the missing device
# $NODEV: exit 1, MESSAGE, nothing on stdout, and the device never opened.
tv() {
	desc=$1 msg=$2
	shift 2
	run "$BIN" -d "$NODEV" "$@"
	if [ "$rc" -ne 1 ]; then
		fail "$desc" "exit $rc, want 1"
	elif ! has_err "optsimctl: $msg"; then
		fail "$desc" "stderr lacks: optsimctl: $msg"
	elif has_err "$NODEV: open failed"; then
		fail "$desc" "device was opened before validation"
	elif [ -s "$T/out" ]; then
		fail "$desc" "stdout not empty"
	else
		pass "$desc"
	fi
}

# topen DESC ARGS...: valid input that gets as far as opening $NODEV
OPENMSG="optsimctl: $NODEV: open failed: No such file or directory"
topen() {
	desc=$1
	shift
	run "$BIN" -d "$NODEV" "$@"
	if [ "$rc" -ne 1 ]; then
		fail "$desc" "exit $rc, want 1"
	elif [ "$(cat "$T/err")" != "$OPENMSG" ]; then
		fail "$desc" "stderr is not exactly: $OPENMSG"
	elif [ -s "$T/out" ]; then
		fail "$desc" "stdout not empty"
	else
		pass "$desc"
	fi
}

# --- usage and dispatch ---------------------------------------------------
run "$BIN" --help
if [ "$rc" -eq 0 ] && has_out "Usage: optsimctl [-d DEV] COMMAND" &&
   has_out "--device DEV" && has_out "--version"; then
	missing=""
	for c in info get set load eject finalize erase burn; do
		grep -q "^  $c " "$T/out" || missing="$missing $c"
	done
	if [ -z "$missing" ]; then pass "--help lists every command"
	else fail "--help lists every command" "missing:$missing"; fi
else
	fail "--help lists every command" "exit $rc"
fi
run "$BIN" -h
if [ "$rc" -eq 0 ] && has_out "Usage: optsimctl"; then pass "-h prints usage"
else fail "-h prints usage"; fi
run "$BIN" --version
if [ "$rc" -eq 0 ] && grep -q '^optsimctl from optsim ' "$T/out"; then
	pass "--version"
else fail "--version"; fi

t "no command: exit 1" 1 "optsimctl: no command given"
t "unknown command" 1 "optsimctl: unknown command 'frob'" frob
t "unknown global option" 1 "unrecognized option '--frob'" --frob info
t "unknown command option" 1 "optsimctl info: unrecognized option '--bogus'" info --bogus
t "unknown option points to command help" 1 "Try 'optsimctl info --help'" info --bogus
t "missing option argument" 1 "requires an argument" set --speed
t "empty device name refused" 1 "optsimctl: empty device name" -d "" info

for c in info get set load eject finalize erase burn; do
	run "$BIN" "$c" --help
	if [ "$rc" -eq 0 ] && has_out "Usage: optsimctl [-d DEV] $c" &&
	   has_out "--device DEV"; then pass "$c --help"
	else fail "$c --help" "exit $rc"; fi
done
run "$BIN" -d "$NODEV" get -h
if [ "$rc" -eq 0 ] && has_out "--layer N"; then pass "get -h shows --layer"
else fail "get -h shows --layer"; fi

tv "info: extra argument" "info: unexpected argument 'extra'" info extra
tv "eject: extra argument" "eject: unexpected argument 'now'" eject now
tv "finalize: extra argument" "finalize: unexpected argument 'x'" finalize x
tv "erase: extra argument" "erase: unexpected argument 'all'" erase all
tv "get: extra argument" "get: unexpected argument '0'" get 0

# --- missing device ---------------------------------------------------------
topen "info: missing device, exact message" info
topen "info --json: missing device, nothing on stdout" info --json
topen "get: missing device" get
topen "eject: missing device" eject
topen "finalize: missing device" finalize
topen "erase --quick: missing device" erase --quick
topen "-d after the command" info -d "$NODEV"
run "$BIN" -d "$T/nope" info
if [ "$rc" -eq 1 ] && [ "$(cat "$T/err")" = "optsimctl: $T/nope: open failed: No such file or directory" ]; then
	pass "open error names the -d path"
else fail "open error names the -d path"; fi
: >"$T/regular"
t "a regular file is not an optsim device" 1 \
	"optsimctl: $T/regular: get info failed: Inappropriate ioctl for device (not an optsim device)" \
	-d "$T/regular" info

# --- get/set validation -------------------------------------------------------
tv "get --layer 2" "invalid layer '2' (expected 0, 1 or all)" get --layer 2
tv "get --layer x" "invalid layer 'x'" get --layer x
tv "get --layer -1" "invalid layer '-1'" get --layer -1
topen "get --layer all accepted" get --layer all
topen "get --layer 1 --json accepted" get --layer 1 --json
tv "set without options" "set: nothing to change" set
tv "set --layer only" "set: nothing to change" set --layer 0
tv "set --velocity 70" "velocity 70 m/s out of range (1.000..60.000 m/s)" set --velocity 70
tv "set --velocity 0.5" "velocity 0.5 m/s out of range" set --velocity 0.5
tv "set --velocity abc" "invalid velocity 'abc'" set --velocity abc
tv "set --velocity 4.9175 (too precise)" "invalid velocity '4.9175'" set --velocity 4.9175
tv "set --velocity -5" "invalid velocity '-5'" set --velocity -5
tv "set --velocity huge" "velocity 99999999999999999999 m/s out of range" set --velocity 99999999999999999999
tv "set --speed 13" "speed 13 (63.921 m/s) out of range (1.000..60.000 m/s)" set --speed 13
tv "set --speed 0.2" "speed 0.2 (0.983 m/s) out of range" set --speed 0.2
tv "set --speed 2y" "invalid speed '2y'" set --speed 2y
tv "set --speed ''" "invalid speed ''" set --speed ""
tv "set --velocity with --speed" "--velocity and --speed are mutually exclusive" set --velocity 5 --speed 1
tv "set --speed with --velocity" "--velocity and --speed are mutually exclusive" set --speed 1 --velocity 5
tv "set --strategy foo" "unknown strategy 'foo' (expected single, multi, castle, auto)" set --strategy foo
tv "set --strategy AUTO" "unknown strategy 'AUTO'" set --strategy AUTO
tv "set --power 0.05" "power 0.05 mW out of range (0.100..50.000 mW)" set --power 0.05
tv "set --power 51" "power 51 mW out of range" set --power 51
tv "set --power -1" "invalid power '-1'" set --power -1
tv "set --power 6.5mW" "invalid power '6.5mW'" set --power 6.5mW
tv "set --bias-power 51" "bias power 51 mW out of range" set --bias-power 51
tv "set --bias-power x" "invalid bias power 'x'" set --bias-power x
tv "set bias above power" "bias power 6.000 mW exceeds write power 5.000 mW" set --power 5 --bias-power 6
tv "set --layer 3" "invalid layer '3'" set --layer 3 --speed 2
tv "set: bad option value wins over later good ones" "invalid speed 'fast'" set --speed fast --strategy auto
topen "set: all valid options accepted" set --layer all --speed 1.5 --strategy castle --power 6.5 --bias-power 0
topen "set --velocity 4.917 --layer 1 accepted" set --velocity 4.917 --layer 1
topen "set --speed 2x accepted" set --speed 2x
topen "set: limits accepted" set --velocity 60 --power 50 --bias-power 50
topen "set: lower limits accepted" set --velocity 1 --power 0.1 --bias-power 0

# --- load/erase validation ----------------------------------------------------
tv "load without --media" "load: --media is required" load
tv "load --media dvd" "unknown media type 'dvd' (expected bd-r, bd-r-dl, bd-re, bd-re-dl)" load --media dvd
tv "load --media none" "unknown media type 'none'" load --media none
tv "load --layer-sectors 1000" "layer sectors 1000 out of range (a multiple of 32 from 1024 to 67108864)" load --media bd-r --layer-sectors 1000
tv "load --layer-sectors 1056+1" "layer sectors 1057 out of range" load --media bd-r --layer-sectors 1057
tv "load --layer-sectors 67108896" "layer sectors 67108896 out of range" load --media bd-r --layer-sectors 67108896
tv "load --layer-sectors abc" "invalid layer sectors 'abc'" load --media bd-r --layer-sectors abc
tv "load --layer-sectors 0" "layer sectors 0 out of range" load --media bd-r --layer-sectors 0
tv "load: extra argument" "load: unexpected argument 'bd-r'" load bd-r
topen "load --media bd-r-dl --layer-sectors 32768 accepted" load --media bd-r-dl --layer-sectors 32768
topen "load --media bd-re accepted" load --media bd-re
t "erase --bogus" 1 "unrecognized option '--bogus'" -d "$NODEV" erase --bogus

# --- burn validation ----------------------------------------------------------
head -c 100000 /dev/urandom >"$T/small.img"
: >"$T/empty.img"
tv "burn without IMAGE" "burn: missing IMAGE" burn
tv "burn: two images" "burn: unexpected argument '$T/small.img'" burn "$T/small.img" "$T/small.img"
tv "burn: missing image" "$T/none.img: open failed: No such file or directory" burn "$T/none.img"
tv "burn: empty image" "$T/empty.img: image is empty, nothing to burn" burn "$T/empty.img"
tv "burn: directory" "$T: not a regular file or block device" burn "$T"
tv "burn --speed 99" "speed 99 (486.783 m/s) out of range" burn --speed 99 "$T/small.img"
tv "burn --strategy bogus" "unknown strategy 'bogus'" burn --strategy bogus "$T/small.img"
tv "burn --layer 2" "invalid layer '2' (expected 0 or 1)" burn --layer 2 "$T/small.img"
tv "burn --layer all" "invalid layer 'all' (expected 0 or 1)" burn --layer all "$T/small.img"
t "burn --velocity is not a burn option" 1 "optsimctl burn: unrecognized option '--velocity'" -d "$NODEV" burn --velocity 5 "$T/small.img"
if [ "$(id -u)" -ne 0 ]; then
	cp "$T/small.img" "$T/secret.img" && chmod 000 "$T/secret.img"
	tv "burn: unreadable image" "$T/secret.img: open failed: Permission denied" burn "$T/secret.img"
else
	skip "burn: unreadable image" "root reads everything"
fi
topen "burn: valid image and options reach the device" burn --layer 1 --speed 2 --strategy multi --finalize --no-verify "$T/small.img"

# --- device paths against the LD_PRELOAD stand-in ----------------------------
FAKEDEV=${FAKEDEV:-$here/fakedev.so}
if [ -n "$FAKEDEV" ] && [ -f "$FAKEDEV" ]; then
	DEV=/dev/optsim-fake
	mkdir -p "$T/state"
	: >"$T/log"
	fk() {
		env LD_PRELOAD="$FAKEDEV" FAKEDEV_PATH="$DEV" \
			FAKEDEV_STATE="$T/state" FAKEDEV_LOG="$T/log" \
			"$BIN" -d "$DEV" "$@"
	}
	# f DESC RC STDERR-SUBSTRING ARGS... (like t, on the fake device)
	f() {
		desc=$1 want=$2 msg=$3
		shift 3
		run fk "$@"
		if [ "$rc" -ne "$want" ]; then
			fail "$desc" "exit $rc, want $want"
		elif [ -n "$msg" ] && ! has_err "$msg"; then
			fail "$desc" "stderr lacks: $msg"
		else
			pass "$desc"
		fi
	}
	# js DESC PYTHON-EXPR ARGS...: stdout is one JSON object d, EXPR holds
	js() {
		desc=$1 expr=$2
		shift 2
		run fk "$@"
		if [ "$rc" -ne 0 ]; then
			fail "$desc" "exit $rc"
		elif ! python3 -c "import json,sys
d = json.load(sys.stdin)
assert isinstance(d, dict)
assert $expr, d" <"$T/out" 2>"$T/py"; then
			fail "$desc" "$(tail -1 "$T/py")"
		else
			pass "$desc"
		fi
	}
	have_py=false
	command -v python3 >/dev/null 2>&1 && have_py=true
	jt() {
		if $have_py; then js "$@"; else skip "$1" "no python3"; fi
	}

	f "fake: info with no medium" 0 "" info
	if has_out "media:              none"; then pass "fake: info shows media none"
	else fail "fake: info shows media none"; fi
	jt "fake: info --json with no medium" \
		"d['media'] == 'none' and d['nwa'] is None and d['layers'] == 0 and d['recorded_clusters'] == []" info --json
	f "fake: get with no medium" 1 "optsimctl: $DEV: get params failed: No medium found (insert one with 'optsimctl load')" get
	f "fake: set with no medium" 1 "No medium found" set --speed 2
	f "fake: eject with no medium" 1 "eject failed: No medium found" eject
	f "fake: burn with no medium" 1 "burn failed: No medium found" burn "$T/small.img"

	f "fake: load bd-r-dl" 0 "" load --media bd-r-dl --layer-sectors 1024
	jt "fake: info --json after load" \
		"d['media'] == 'bd-r-dl' and d['write_once'] is True and d['layers'] == 2 and d['layer_sectors'] == 1024 and d['capacity_sectors'] == 2048 and d['capacity_bytes'] == 4194304 and d['nwa'] == 0 and d['finalized'] is False and d['recorded_clusters'] == [0, 0]" info --json
	f "fake: info human" 0 "" info
	if has_out "bd-r-dl (write-once)" && has_out "recorded clusters:  L0 0, L1 0" &&
	   has_out "next writable LBA:  0"; then pass "fake: info human lines"
	else fail "fake: info human lines"; fi
	jt "fake: get --json defaults" \
		"[l['layer'] for l in d['layers']] == [0, 1] and d['layers'][0]['velocity_mms'] == 4917 and d['layers'][0]['velocity_ms'] == 4.917 and d['layers'][0]['speed_x'] == 1 and d['layers'][0]['strategy'] == 'auto' and d['layers'][1]['write_power_uw'] == 9000" get --json
	jt "fake: get --layer 1 --json" "len(d['layers']) == 1 and d['layers'][0]['layer'] == 1" get --layer 1 --json
	f "fake: get human" 0 "" get
	if has_out "L0     4.917 m/s    1x       auto      6.000 mW      1.000 mW"; then
		pass "fake: get human table"
	else fail "fake: get human table"; fi

	f "fake: set --speed 1.5 --strategy multi" 0 "" set --speed 1.5 --strategy multi
	jt "fake: set changed both layers" \
		"all(l['velocity_mms'] == 7376 and l['strategy'] == 'multi' for l in d['layers']) and d['layers'][1]['write_power_uw'] == 9000" get --json
	f "fake: set --layer 1 --power 8.25" 0 "" set --layer 1 --power 8.25
	jt "fake: set --layer 1 changed layer 1 only" \
		"d['layers'][0]['write_power_uw'] == 6000 and d['layers'][1]['write_power_uw'] == 8250" get --json
	lines=$(wc -l <"$T/log")
	f "fake: set bias above a layer's write power refused" 1 \
		"optsimctl: $DEV: layer 0: bias power 7.000 mW would exceed write power 6.000 mW" set --bias-power 7
	if [ "$(wc -l <"$T/log")" -eq "$lines" ]; then pass "fake: refused set changed no layer"
	else fail "fake: refused set changed no layer" "$(tail -1 "$T/log")"; fi
	FAKEDEV_NOROOT=1 f "fake: set without root" 1 \
		"optsimctl: $DEV: set params failed: Operation not permitted (needs root" set --speed 2
	f "fake: erase on write-once" 1 \
		"optsimctl: $DEV: erase failed: Wrong medium type (erase needs rewritable media)" erase

	head -c 3000000 /dev/urandom >"$T/img"
	f "fake: burn 3 MB to blank bd-r-dl" 0 "" burn "$T/img"
	if has_out "verify: OK" && has_out "LBA 0 (layer 0)" && has_err "burn: 100% 2.9/2.9 MiB L1"; then
		pass "fake: burn reports progress, layer and verify OK"
	else fail "fake: burn reports progress, layer and verify OK"; fi
	if cmp -s -n 3000000 "$T/img" "$T/state/data" &&
	   [ "$(tail -c +3000001 "$T/state/data" | head -c $((1472 * 2048 - 3000000)) | tr -d '\0' | wc -c)" -eq 0 ]; then
		pass "fake: medium holds the image, zero padded to a cluster"
	else fail "fake: medium holds the image, zero padded to a cluster"; fi
	jt "fake: NWA after burn" "d['nwa'] == 1472 and d['recorded_clusters'] == [32, 14]" info --json
	f "fake: second burn does not fit" 1 \
		"image does not fit: it needs 1472 sectors from LBA 1472, the medium has 576 left" burn "$T/img"
	f "fake: burn --layer 0 below the NWA" 1 \
		"$DEV: layer 0 is not blank at LBA 0" burn --layer 0 "$T/small.img"
	f "fake: burn appends at the NWA" 0 "" burn "$T/small.img"
	if has_out "LBA 1472 (layer 1)" && has_out "verify: OK"; then pass "fake: append starts at the NWA"
	else fail "fake: append starts at the NWA"; fi
	f "fake: finalize" 0 "" finalize
	f "fake: finalize twice" 1 "finalize failed: Operation already in progress (medium is already finalized)" finalize
	f "fake: burn on a finalized medium" 1 "$DEV: medium is finalized, nothing more can be written" burn "$T/small.img"
	jt "fake: info shows finalized" "d['finalized'] is True and d['nwa'] is None" info --json

	f "fake: load bd-re-dl" 0 "" load --media bd-re-dl --layer-sectors 2048
	lines=$(wc -l <"$T/log")
	f "fake: burn --finalize on rewritable refused" 1 \
		"optsimctl: $DEV: finalize needs write-once media (medium is bd-re-dl)" burn --finalize --speed 2 "$T/img"
	jt "fake: refused burn wrote nothing" "d['recorded_clusters'] == [0, 0]" info --json
	if [ "$(wc -l <"$T/log")" -eq "$lines" ]; then pass "fake: refused burn set no parameter"
	else fail "fake: refused burn set no parameter"; fi
	f "fake: finalize on rewritable" 1 "finalize failed: Wrong medium type (finalize needs write-once media)" finalize
	FAKEDEV_FAIL_LBA=700 f "fake: write error names the LBA" 1 \
		"optsimctl: $DEV: write failed at LBA 672 (layer 0): Input/output error" burn "$T/img"
	FAKEDEV_CORRUPT_LBA=1000 f "fake: verify mismatch names the LBA" 1 \
		"optsimctl: $DEV: verify failed at LBA 1000 (layer 0): data differs (image byte 2048000)" burn "$T/img"
	FAKEDEV_CORRUPT_LBA=1000 f "fake: --no-verify skips the read back" 0 "" burn --no-verify "$T/img"
	if ! has_out "verify:"; then pass "fake: --no-verify prints no verify result"
	else fail "fake: --no-verify prints no verify result"; fi
	f "fake: burn --layer 1 on rewritable" 0 "" burn --layer 1 --speed 3 --strategy castle "$T/img"
	if has_out "LBA 2048 (layer 1)" && has_out "LBA 2048-3519"; then pass "fake: --layer 1 starts at layer_sectors"
	else fail "fake: --layer 1 starts at layer_sectors"; fi
	jt "fake: burn --speed/--strategy set every layer" \
		"all(l['velocity_mms'] == 14751 and l['strategy'] == 'castle' for l in d['layers'])" get --json
	head -c 5000000 /dev/urandom >"$T/big.img"
	f "fake: burn --layer 1 too large for layer 1" 1 "image does not fit" burn --layer 1 "$T/big.img"
	f "fake: burn spanning both layers" 0 "" burn "$T/big.img"
	f "fake: erase --quick" 0 "" erase --quick
	jt "fake: quick erase keeps the erase count" "d['full_erases'] == 0 and d['recorded_clusters'] == [0, 0]" info --json
	f "fake: erase" 0 "" erase
	jt "fake: full erase counts" "d['full_erases'] == 1" info --json

	f "fake: load bd-r" 0 "" load --media bd-r --layer-sectors 2048
	FAKEDEV_FAIL_LBA=700 FAKEDEV_PARTIAL=1 f "fake: partly recorded chunk still names the failing LBA" 1 \
		"write failed at LBA 672 (layer 0): Input/output error" burn "$T/img"
	f "fake: burn --layer 1 on single layer" 1 "$DEV: layer 1 not present (bd-r has 1 layer)" burn --layer 1 "$T/img"
	f "fake: get --layer 1 on single layer" 1 "layer 1 not present" get --layer 1
	f "fake: set --layer 1 on single layer" 1 "layer 1 not present" set --layer 1 --speed 2
	FAKEDEV_NOROOT=1 f "fake: load without root" 1 "load failed: Operation not permitted (needs root" load --media bd-re
	f "fake: eject" 0 "" eject
	jt "fake: info after eject" "d['media'] == 'none'" info --json
else
	skip "fake device tests" "no $FAKEDEV (make -C tools/optsimctl builds it)"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
