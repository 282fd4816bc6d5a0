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

# shellcheck source=tools/testing/tap-lib.sh
. "$here/../../testing/tap-lib.sh"
tap_tmpdir
NODEV=/nonexistent

# fail DESC [DETAIL...]: with the head of the last run's stderr and stdout.
fail() {
	tap_fail "$@"
	sed 's/^/#   stderr: /' "$T/err" | head -5
	sed 's/^/#   stdout: /' "$T/out" | head -5
}

# run CMD...: $rc, $T/out, $T/err
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
has_err() { grep -qF -- "$1" "$T/err"; }
has_out() { grep -qF -- "$1" "$T/out"; }

have_py=false
command -v python3 >/dev/null 2>&1 && have_py=true

# pyjson DESC EXPR: the last run exited 0 and its stdout is one JSON value d
# for which the Python expression EXPR holds
pyjson() {
	desc=$1 expr=$2
	if ! $have_py; then
		skip "$desc" "no python3"
	elif [ "$rc" -ne 0 ]; then
		fail "$desc" "exit $rc"
	elif ! python3 -c "import json,sys
d = json.load(sys.stdin)
assert $expr, d" <"$T/out" 2>"$T/py"; then
		fail "$desc" "$(tail -1 "$T/py")"
	else
		pass "$desc"
	fi
}

# xmlok DESC FILE: FILE is well-formed XML
xmlok() {
	if ! $have_py; then
		skip "$1" "no python3"
	elif python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' "$2" 2>"$T/py"; then
		pass "$1"
	else
		fail "$1" "$(tail -1 "$T/py")"
	fi
}

# svgt DESC FILE EXPR: the Python expression EXPR holds for the SVG FILE,
# with root (its root element), NS, cls(C) (elements of class C),
# panel(ID), bars(C) ([(x, top y)] of the bars of path C), pts(C) (points
# of path C) and rects(C) ([(x, width)] of the rectangles in groups C)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
svgt() {
	if ! $have_py; then
		skip "$1" "no python3"
	elif "$PY" -c "import re, sys
import xml.etree.ElementTree as ET
NS = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[1]).getroot()
def cls(c):
    return [e for e in root.iter() if c in (e.get('class') or '').split()]
def panel(i):
    return root.find(\".//*[@id='panel-%s']\" % i)
def bars(c):
    return [(float(x), float(y)) for x, y in
            re.findall(r'M([0-9.]+) [0-9.]+V([0-9.]+)', cls(c)[0].get('d'))]
def pts(c):
    return [(float(x), float(y)) for x, y in
            re.findall(r'[ML]([0-9.]+) ([0-9.]+)', cls(c)[0].get('d'))]
def rects(c):
    return [(float(r.get('x')), float(r.get('width')))
            for g in cls(c) for r in g.iter(NS + 'rect')]
assert $3" "$2" 2>"$T/py"; then
		pass "$1"
	else
		fail "$1" "$(tail -1 "$T/py")"
	fi
}

# csvt DESC FILE EXPR: EXPR holds for the CSV FILE, with hdr (the header
# fields) and rows (a dict per row)
csvt() {
	if ! $have_py; then
		skip "$1" "no python3"
	elif "$PY" -c "import csv, sys
with open(sys.argv[1], newline='') as f:
    hdr = next(csv.reader(f))
with open(sys.argv[1], newline='') as f:
    rows = list(csv.DictReader(f))
assert $3" "$2" 2>"$T/py"; then
		pass "$1"
	else
		fail "$1" "$(tail -1 "$T/py")"
	fi
}

# expect_rc DESC RC STDERR-SUBSTRING: the last run's exit code and message
expect_rc() {
	if [ "$rc" -ne "$2" ]; then
		fail "$1" "exit $rc, want $2"
	elif [ -n "$3" ] && ! has_err "$3"; then
		fail "$1" "stderr lacks: $3"
	else
		pass "$1"
	fi
}

# t DESC RC STDERR-SUBSTRING ARGS...: exit code and message on stderr
t() {
	desc=$1 want=$2 msg=$3
	shift 3
	run "$BIN" "$@"
	expect_rc "$desc" "$want" "$msg"
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
	for c in info get set load eject finalize erase burn opc scan simulate; do
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

for c in info get set load eject finalize erase burn opc scan simulate; do
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
tv "opc: extra argument" "opc: unexpected argument '1'" opc 1
tv "scan: extra argument" "scan: unexpected argument 'all'" scan all
tv "simulate: extra argument" "simulate: unexpected argument 'bd-r'" simulate --media bd-r bd-r
run "$BIN" burn --help
if has_out "--opc"; then pass "burn --help shows --opc"
else fail "burn --help shows --opc"; fi
run "$BIN" simulate --help
if has_out "--sweep power:FROM:TO:STEP" && has_out "--svg FILE" && has_out "--wavelength NM"; then
	pass "simulate --help shows --sweep, --svg, --wavelength"
else fail "simulate --help shows --sweep, --svg, --wavelength"; fi

# --- missing device ---------------------------------------------------------
topen "info: missing device, exact message" info
topen "info --json: missing device, nothing on stdout" info --json
topen "get: missing device" get
topen "eject: missing device" eject
topen "finalize: missing device" finalize
topen "erase --quick: missing device" erase --quick
topen "-d after the command" info -d "$NODEV"
topen "opc: missing device" opc
topen "opc --layer all --json: missing device" opc --layer all --json
topen "opc --layer 1: missing device" opc --layer 1
topen "scan: missing device" scan
topen "scan --layer 0 --json: missing device" scan --layer 0 --json
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
# The layer-size limits of the uapi header, which the driver enforces.
UAPI=$here/../../../uapi/linux/optsim.h
uapi_num() { sed -n "s/^#define $1[[:space:]]*\([0-9]*\)$/\1/p" "$UAPI"; }
ls_min=$(uapi_num OPTSIM_LAYER_SECTORS_MIN)
ls_max=$(uapi_num OPTSIM_LAYER_SECTORS_MAX)
tv "load --layer-sectors 1000" "layer sectors 1000 out of range (a multiple of 32 from $ls_min to $ls_max)" load --media bd-r --layer-sectors 1000
tv "load --layer-sectors 1056+1" "layer sectors 1057 out of range" load --media bd-r --layer-sectors 1057
tv "load --create without --image" "load: --create needs --image FILE" load --create --media bd-r
tv "load --image with --media" "load: the image says its media and layer sectors" load --image x.img --media bd-r
tv "load --image --create without --media" "load: --media is required" load --image x.img --create

# image info reads files only: no device
t "image without info" 1 "image: expected 'info FILE'" image
t "image info of a missing file" 1 "optsimctl: $T/none.img: No such file or directory" image info "$T/none.img"
printf 'not an image' >"$T/short.img"
t "image info of a short file" 1 "$T/short.img: the file is shorter than an image header (truncated)" image info "$T/short.img"
head -c 70000 /dev/zero >"$T/zero.img"
t "image info of zeros" 1 "$T/zero.img: not an optsim image (wrong magic)" image info "$T/zero.img"
t "image info of a directory" 1 "$T: not a regular file" image info "$T"
tv "load --layer-sectors max+32" "layer sectors $((ls_max + 32)) out of range" load --media bd-r --layer-sectors $((ls_max + 32))
topen "load --layer-sectors max accepted" load --media bd-r --layer-sectors "$ls_max"
topen "load --layer-sectors min accepted" load --media bd-r --layer-sectors "$ls_min"
tv "create --layer-sectors max+32" "invalid --layer-sectors '$((ls_max + 32))': a multiple of 32 from $ls_min to $ls_max" create --layer-sectors $((ls_max + 32))
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
topen "burn --opc reaches the device" burn --opc --speed 2 "$T/small.img"

# --- opc/scan validation -------------------------------------------------------
tv "opc --layer 2" "invalid layer '2' (expected 0, 1 or all)" opc --layer 2
tv "opc --layer x" "invalid layer 'x'" opc --layer x
tv "scan --layer 2" "invalid layer '2'" scan --layer 2
t "opc --bogus" 1 "optsimctl opc: unrecognized option '--bogus'" -d "$NODEV" opc --bogus
t "scan --power is not a scan option" 1 "optsimctl scan: unrecognized option '--power'" -d "$NODEV" scan --power 5
tv "scan --svg ''" "empty SVG file name" scan --svg ""
tv "scan --csv ''" "empty CSV file name" scan --csv ""
tv "scan: --svg - and --csv - both on stdout" \
	"--svg - and --csv - cannot both write to standard output" scan --svg - --csv -
tv "scan: --json with --csv -" \
	"--json and --csv - cannot both write to standard output" scan --json --csv -
tv "scan: --json with --svg -" \
	"--json and --svg - cannot both write to standard output" scan --svg - --json
topen "scan --svg --csv --layer 1: missing device" scan --layer 1 --svg "$T/x.svg" --csv "$T/x.csv"
if [ ! -e "$T/x.svg" ] && [ ! -e "$T/x.csv" ] && [ -z "$(find "$T" -maxdepth 1 -name '.x.*')" ]; then
	pass "scan: a missing device leaves no output file behind"
else fail "scan: a missing device leaves no output file behind"; fi

# --- simulate: validation (no model run, no device) ----------------------------
tv "simulate without --media" "simulate: --media is required" simulate
tv "simulate --media dvd" "unknown media type 'dvd' (expected bd-r, bd-r-dl, bd-re, bd-re-dl" simulate --media dvd
tv "simulate --media none" "unknown media type 'none'" simulate --media none
tv "simulate --layer 1 on bd-r" "layer 1 not present (bd-r has 1 layer)" simulate --media bd-r --layer 1
tv "simulate --layer 1 on bd-re" "layer 1 not present (bd-re has 1 layer)" simulate --layer 1 --media bd-re
tv "simulate --layer 2" "invalid layer '2' (expected 0 or 1)" simulate --media bd-r-dl --layer 2
tv "simulate --na 2.5" "NA 2.5 out of range (0.1..2.0)" simulate --media bd-r --na 2.5
tv "simulate --na 0.05" "NA 0.05 out of range (0.1..2.0)" simulate --media bd-r --na 0.05
tv "simulate --na 0" "NA 0 out of range" simulate --media bd-r --na 0
tv "simulate --na abc" "invalid NA 'abc'" simulate --media bd-r --na abc
tv "simulate --na 1.2 without the near-field film" \
	"the model refused the optics: 405 nm, NA 1.2 on bd-r: Invalid argument (an NA above 1 needs the near-field film: --media bd-r-nf)" \
	simulate --media bd-r --na 1.2
tv "simulate --wavelength 200" "wavelength 200 nm out of range (300..1000 nm)" simulate --media bd-r --wavelength 200
tv "simulate --wavelength 1200" "wavelength 1200 nm out of range (300..1000 nm)" simulate --media bd-r --wavelength 1200
tv "simulate --wavelength 405.5" "invalid wavelength '405.5'" simulate --media bd-r --wavelength 405.5
tv "simulate --velocity with --speed" "--velocity and --speed are mutually exclusive" simulate --media bd-r --velocity 5 --speed 1
tv "simulate --velocity 70" "velocity 70 m/s out of range (1.000..60.000 m/s)" simulate --media bd-r --velocity 70
tv "simulate --speed 13" "speed 13 (63.921 m/s) out of range" simulate --media bd-r --speed 13
tv "simulate --strategy foo" "unknown strategy 'foo' (expected single, multi, castle, auto)" simulate --media bd-r --strategy foo
tv "simulate --power 0.05" "power 0.05 mW out of range (0.100..50.000 mW)" simulate --media bd-r --power 0.05
tv "simulate --power 51" "power 51 mW out of range" simulate --media bd-r --power 51
tv "simulate bias above power" "bias power 9.000 mW exceeds write power 8.000 mW" simulate --media bd-r --power 8 --bias-power 9
tv "simulate --groove-depth on groove-only media" \
	"the model refused a 30 nm groove depth on bd-r: it records in grooves only" \
	simulate --media bd-r --groove-depth 30
tv "simulate --groove-depth 201" "groove depth 201 nm out of range (0..200 nm)" simulate --media bd-r-nf --groove-depth 201
tv "simulate --groove-depth x" "invalid groove depth 'x' (expected whole nm" simulate --media bd-r-nf --groove-depth x
tv "simulate --cycles on write-once media" "--cycles needs rewritable media (bd-r-dl is write-once)" simulate --media bd-r-dl --cycles 10
tv "simulate --cycles x" "invalid cycles 'x'" simulate --media bd-re --cycles x
tv "simulate --cycles -1" "invalid cycles '-1'" simulate --media bd-re --cycles -1
tv "simulate --cycles 2^32" "cycles 4294967296 out of range" simulate --media bd-re --cycles 4294967296
tv "simulate --sweep step 0" "sweep step must be above 0 mW" simulate --media bd-r --sweep power:4:12:0
tv "simulate --sweep negative step" "invalid sweep 'power:4:12:-1'" simulate --media bd-r --sweep power:4:12:-1
tv "simulate --sweep FROM > TO" "sweep from 12 mW is above its end 4 mW" simulate --media bd-r --sweep power:12:4:1
tv "simulate --sweep of 4991 points" "sweep of 4991 points is too long (at most 1000)" simulate --media bd-r --sweep power:0.1:50:0.01
tv "simulate --sweep of 1001 points" "sweep of 1001 points is too long (at most 1000)" simulate --media bd-r --sweep power:1:11:0.01
tv "simulate --sweep below 0.1 mW" "sweep 0.05..1 mW out of range (0.100..50.000 mW)" simulate --media bd-r --sweep power:0.05:1:0.1
tv "simulate --sweep above 50 mW" "sweep 10..60 mW out of range" simulate --media bd-r --sweep power:10:60:1
tv "simulate --sweep velocity" "invalid sweep 'velocity:1:2:1' (expected power:FROM:TO:STEP" simulate --media bd-r --sweep velocity:1:2:1
tv "simulate --sweep missing STEP" "invalid sweep 'power:4:12'" simulate --media bd-r --sweep power:4:12
tv "simulate --sweep extra field" "invalid sweep 'power:4:12:1:2'" simulate --media bd-r --sweep power:4:12:1:2
tv "simulate --sweep with --power" "--sweep power and --power are mutually exclusive" simulate --media bd-r --power 8 --sweep power:4:12:1
tv "simulate --svg ''" "empty SVG file name" simulate --media bd-r --svg ""
tv "simulate --json with --svg -" "--json and --svg - cannot both write to standard output" simulate --media bd-r --json --svg -
t "simulate --frob" 1 "optsimctl simulate: unrecognized option '--frob'" simulate --frob

# --- simulate: the model, for real (each run takes a second or two) -----------
SIMKEYS="'jitter_pct', 'power_mw', 'optimum_power_mw', 'peak_temp_c', 'mark_width_nm', 'ser', 'ldc_max', 'bis_max', 'readable', 'strategy', 'velocity_ms', 'layer', 'media', 'wavelength_nm', 'na', 'cycles', 'erase_pct', 'signal_pct'"
run "$BIN" -d "$NODEV" simulate --media bd-r --json
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$T/out")" -eq 1 ] && [ ! -s "$T/err" ]; then
	pass "simulate --json: exit 0, one line, no device, nothing on stderr"
else fail "simulate --json: exit 0, one line, no device, nothing on stderr" "exit $rc"; fi
if ! $have_py; then skip "simulate --json is valid JSON" "no python3"
elif python3 -m json.tool <"$T/out" >/dev/null 2>"$T/py"; then pass "simulate --json is valid JSON"
else fail "simulate --json is valid JSON" "$(tail -1 "$T/py")"; fi
pyjson "simulate --json: one object with every key" \
	"isinstance(d, dict) and all(k in d for k in ($SIMKEYS))"
pyjson "simulate --json: the setting as given, defaults filled in" \
	"d['media'] == 'bd-r' and d['layer'] == 0 and d['wavelength_nm'] == 405 and d['na'] == 0.85 and d['velocity_ms'] == 4.917 and d['cycles'] == 0 and d['strategy'] in ('single', 'multi', 'castle') and d['strategy_requested'] == 'auto' and d['jitter_limit_pct'] == 6.5"
pyjson "simulate --json: readable is a boolean, numbers are numbers" \
	"isinstance(d['readable'], bool) and all(isinstance(d[k], (int, float)) and not isinstance(d[k], bool) for k in ('jitter_pct', 'power_mw', 'optimum_power_mw', 'peak_temp_c', 'mark_width_nm', 'ser', 'ldc_max', 'bis_max', 'erase_pct', 'signal_pct'))"
pyjson "simulate without --power writes at the optimum OPC chooses" \
	"d['power_mw'] == d['optimum_power_mw'] > 0.1"
pyjson "simulate at the optimum forms marks and is readable" \
	"d['readable'] is True and 0 < d['jitter_pct'] < 20 and 0 <= d['ser'] < 0.01 and d['mark_width_nm'] > 0 and d['peak_temp_c'] > 100"
cp "$T/out" "$T/opt.json"

run "$BIN" simulate --media bd-r --power 1 --json
pyjson "simulate far below the optimum is unreadable" \
	"d['power_mw'] == 1 and d['readable'] is False and d['jitter_pct'] > json.load(open('$T/opt.json'))['jitter_pct'] and d['optimum_power_mw'] == json.load(open('$T/opt.json'))['optimum_power_mw']"

run "$BIN" simulate --media bd-re-dl --layer 1 --speed 2 --strategy castle --power 12 --bias-power 3 --wavelength 410 --na 0.8 --cycles 100 --json
pyjson "simulate: every option reaches the model and the output" \
	"d['media'] == 'bd-re-dl' and d['layer'] == 1 and d['velocity_mms'] == 9834 and d['speed_x'] == 2 and d['strategy'] == 'castle' and d['power_mw'] == 12 and d['bias_power_mw'] == 3 and d['wavelength_nm'] == 410 and d['na'] == 0.8 and d['cycles'] == 100 and d['jitter_limit_pct'] == 8.5 and d['optimum_power_mw'] != 12"

run "$BIN" simulate --media bd-r-nf --na 1.2 --json
pyjson "simulate: NA 1.2 with the near-field film" "d['media'] == 'bd-r-nf' and d['na'] == 1.2"

# the land/groove step reaches the model: no step leaves more cross-talk
run "$BIN" simulate --media bd-r-nf --json
cp "$T/out" "$T/nf.json"
pyjson "simulate: bd-r-nf reports its land/groove step" \
	"d['groove_depth_nm'] == 57 and d['crosstalk_jitter_pct'] >= 0"
run "$BIN" simulate --media bd-r-nf --groove-depth 0 --json
pyjson "simulate --groove-depth 0: more cross-talk than the preset's step" \
	"d['groove_depth_nm'] == 0 and d['crosstalk_jitter_pct'] > json.load(open('$T/nf.json'))['crosstalk_jitter_pct']"
run "$BIN" simulate --media bd-r --json
pyjson "simulate: groove-only media have no land/groove step" \
	"d['groove_depth_nm'] is None and d['crosstalk_jitter_pct'] > 0"

# a 40 mW bias leaves no power of the ladder with marks that read back
t "simulate: a bias no write power records above" 1 \
	"optsimctl: simulate: the model refused the setting (bd-r L0, 4.917 m/s" simulate --media bd-r --bias-power 40

run "$BIN" simulate --media bd-r --svg "$T/d.svg"
if [ "$rc" -eq 0 ] && has_out "write power:" && has_out "(optimum " &&
   has_out "jitter:" && has_out "(limit 6.50 %, limit equaliser)" &&
   has_out "jitter limit from: BD single-layer limit" && has_out "readable:          yes" &&
   has_out "svg: $T/d.svg, "; then
	pass "simulate: text report, and --svg without --sweep"
else fail "simulate: text report, and --svg without --sweep" "exit $rc"; fi
xmlok "simulate --svg without --sweep: valid XML" "$T/d.svg"

run "$BIN" simulate --media bd-r --sweep power:1:41:5 --json
pyjson "simulate --sweep --json: an array of 9 points" \
	"isinstance(d, list) and [p['power_mw'] for p in d] == [1, 6, 11, 16, 21, 26, 31, 36, 41] and all(isinstance(p['readable'], bool) and isinstance(p['jitter_pct'], (int, float)) for p in d)"
pyjson "simulate --sweep: a bathtub, unreadable far below and far above" \
	"not d[0]['readable'] and not d[-1]['readable'] and min(p['jitter_pct'] for p in d[1:-1]) < min(d[0]['jitter_pct'], d[-1]['jitter_pct'])"

run "$BIN" simulate --media bd-r --sweep power:4:12:0.5 --svg "$T/s.svg"
if [ "$rc" -eq 0 ] && [ "$(grep -cE '^[0-9]+\.[0-9]{3} ' "$T/out")" -eq 17 ] &&
   has_out "POWER mW" && has_out "optimum: " && has_out "svg: $T/s.svg, 17 points"; then
	pass "simulate --sweep: a table of 17 points"
else fail "simulate --sweep: a table of 17 points" "exit $rc"; fi
xmlok "simulate --svg: valid XML" "$T/s.svg"
if grep -qE '<path|<polyline' "$T/s.svg" && grep -q 'stroke-dasharray' "$T/s.svg" &&
   grep -q 'limit 6.5 %' "$T/s.svg" && grep -q 'optimum [0-9.]* mW' "$T/s.svg" &&
   grep -q 'write power (mW)' "$T/s.svg" && grep -q 'jitter (% of T)' "$T/s.svg" &&
   [ "$(grep -c '<circle [^>]*r="3"' "$T/s.svg")" -eq 17 ]; then
	pass "simulate --svg: curve, 17 points, dashed limit, optimum, axis labels"
else fail "simulate --svg: curve, 17 points, dashed limit, optimum, axis labels"; fi
t "simulate --svg into a missing directory" 1 "$T/nodir/x.svg: open failed: No such file or directory" \
	simulate --media bd-r --sweep power:8:8:1 --svg "$T/nodir/x.svg"
run "$BIN" simulate --media bd-r --sweep power:6:8:1 --svg -
cp "$T/out" "$T/stdout.svg"
if [ "$rc" -eq 0 ] && head -1 "$T/out" | grep -q '^<?xml' && ! has_out "optimum: "; then
	pass "simulate --svg -: the SVG alone on stdout"
else fail "simulate --svg -: the SVG alone on stdout" "exit $rc"; fi
xmlok "simulate --svg -: stdout is one XML document" "$T/stdout.svg"

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
		expect_rc "$desc" "$want" "$msg"
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
	# A stand-in that is no block device has no SCSI LUN, and no netlink
	# family to ask for the tracks: the keys are there, null.
	jt "fake: info --json: sr, sg, tracks and format null without a module" \
		"all(k in d and d[k] is None for k in ('hctl', 'sr', 'sg', 'closed_sessions', 'tracks', 'formatted', 'spare_sectors'))" info --json
	f "fake: info human, once more" 0 "" info
	if has_out "sr device:          none (not an optsim block device" &&
	   has_out "sg device:          none (" && ! has_out "tracks"; then
		pass "fake: info human: no sr, sg or tracks, said so"
	else fail "fake: info human: no sr, sg or tracks, said so"; fi
	jt "fake: get --json defaults" \
		"[l['layer'] for l in d['layers']] == [0, 1] and d['layers'][0]['velocity_mms'] == 4917 and d['layers'][0]['velocity_ms'] == 4.917 and d['layers'][0]['speed_x'] == 1 and d['layers'][0]['strategy'] == 'auto' and d['layers'][1]['write_power_uw'] == 9000" get --json
	jt "fake: get --layer 1 --json" "len(d['layers']) == 1 and d['layers'][0]['layer'] == 1" get --layer 1 --json
	f "fake: get human" 0 "" get
	if has_out "L0     4.917 m/s    1x       auto          6.000 mW      1.000 mW"; then
		pass "fake: get human table"
	else fail "fake: get human table"; fi

	f "fake: set --speed 1.5 --strategy multi" 0 "" set --speed 1.5 --strategy multi
	jt "fake: set changed both layers" \
		"all(l['velocity_mms'] == 7376 and l['strategy'] == 'multi' for l in d['layers']) and d['layers'][1]['write_power_uw'] == 9000" get --json
	f "fake: set --speed 2 --strategy auto" 0 "" set --speed 2 --strategy auto
	# What auto stands for comes from the driver (netlink), which the fake
	# drive lacks: get says nothing of it rather than work it out itself.
	jt "fake: without the driver's answer, no strategy_used" \
		"all(l['strategy'] == 'auto' and 'strategy_used' not in l for l in d['layers'])" get --json
	f "fake: get human without the driver's answer" 0 "" get
	if has_out "L0     9.834 m/s    2x       auto          6.000 mW"; then
		pass "fake: get human shows auto alone"
	else fail "fake: get human shows auto alone"; fi
	f "fake: back to --speed 1.5 --strategy multi" 0 "" set --speed 1.5 --strategy multi
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

	# --- opc, burn --opc, scan and medium errors on the fake ---
	f "fake: opc on single layer: load bd-r" 0 "" load --media bd-r --layer-sectors 2048
	f "fake: opc --layer 1 on single layer" 1 "$DEV: layer 1 not present (bd-r has 1 layer)" opc --layer 1
	f "fake: scan --layer 1 on single layer" 1 "$DEV: layer 1 not present (bd-r has 1 layer)" scan --layer 1
	f "fake: scan a blank medium" 0 "" scan
	if has_out "L0: 0 of 64 clusters recorded" && has_out "verdict     blank" &&
	   has_out "unreadable clusters: 0"; then pass "fake: scan of a blank medium says blank"
	else fail "fake: scan of a blank medium says blank"; fi
	f "fake: finalize before opc" 0 "" finalize
	f "fake: opc on a finalized disc" 1 \
		"optsimctl: $DEV: opc failed: Read-only file system (the disc is finalized, or its image is read-only)" opc
	f "fake: eject before opc" 0 "" eject
	f "fake: opc with no medium" 1 "optsimctl: $DEV: opc failed: No medium found (insert one with 'optsimctl load')" opc
	f "fake: scan with no medium" 1 "optsimctl: $DEV: scan failed: No medium found" scan

	f "fake: load bd-r-dl for opc" 0 "" load --media bd-r-dl --layer-sectors 1024
	FAKEDEV_NOROOT=1 f "fake: opc without root" 1 "opc failed: Operation not permitted (needs root" opc
	f "fake: opc" 0 "" opc
	if has_out "opc: L0 write power 9.458 mW, jitter 5.20 % after 29 test writes; window 9.175-9.741 mW within the jitter limit" &&
	   has_out "opc: L1 write power 7.458 mW, jitter 6.70 % after 29 test writes; none within the jitter limit"; then
		pass "fake: opc prints power, jitter, test writes and window per layer"
	else fail "fake: opc prints power, jitter, test writes and window per layer"; fi
	jt "fake: opc --json" \
		"d == {'layers': [{'layer': 0, 'power_uw': 9458, 'power_mw': 9.458, 'jitter_pct': 5.2, 'steps': 29, 'window_mw': [9.175, 9.741]}, {'layer': 1, 'power_uw': 7458, 'power_mw': 7.458, 'jitter_pct': 6.7, 'steps': 29, 'window_mw': None}]}" opc --json
	jt "fake: opc --layer 1 --json calibrates layer 1 only" \
		"[l['layer'] for l in d['layers']] == [1]" opc --layer 1 --json
	jt "fake: opc set the power it chose, bias in proportion" \
		"d['layers'][0]['write_power_uw'] == 9458 and d['layers'][1]['write_power_uw'] == 7458 and d['layers'][0]['bias_power_uw'] == 1576" get --json

	: >"$T/log"
	f "fake: burn --opc --speed 2" 0 "" burn --opc --speed 2 "$T/img"
	if has_out "opc: L0 write power 11.917 mW, jitter 5.20 % after 29 test writes" &&
	   has_out "opc: L1 write power 9.917 mW" && has_out "verify: OK"; then
		pass "fake: burn --opc prints what OPC chose"
	else fail "fake: burn --opc prints what OPC chose"; fi
	if [ "$(grep -n '' "$T/log" | sed -n 's/^\([0-9]*\):set_params.*velocity=9834.*/\1/p' | tail -1)" -lt \
	     "$(grep -n '' "$T/log" | sed -n 's/^\([0-9]*\):opc layer=0.*/\1/p' | head -1)" ] 2>/dev/null; then
		pass "fake: burn --opc calibrates after setting the speed"
	else fail "fake: burn --opc calibrates after setting the speed" "$(tr '\n' ';' <"$T/log")"; fi
	if has_out "opc: L0" && [ "$(sed -n '/^opc: L0/=' "$T/out")" -lt "$(sed -n '/^burn: .* written/=' "$T/out")" ]; then
		pass "fake: burn --opc calibrates before writing"
	else fail "fake: burn --opc calibrates before writing"; fi

	: >"$T/log"
	f "fake: scan after a burn" 0 "" scan
	if has_out "scan: bd-r-dl, 2 layers of 32 clusters" &&
	   has_out "L0: 32 of 32 clusters recorded" &&
	   has_out "  jitter      max 5.90 %, mean 5.43 % (limit 8.50 %, limit equaliser: argued" &&
	   has_out "  LDC         max 4, total 61 (worst codeword 4, limit 32)" &&
	   has_out "  BIS         max 1, total 11" &&
	   has_out "L1: 14 of 32 clusters recorded" && has_out "(limit 8.50 %, limit equaliser" &&
	   has_out "  verdict     pass" && has_out "unreadable clusters: 0"; then
		pass "fake: scan summarizes each layer"
	else fail "fake: scan summarizes each layer"; fi
	if [ "$(grep -c '^get_quality' "$T/log")" -eq 2 ] &&
	   grep -q '^get_quality cluster=0 count=32$' "$T/log" &&
	   grep -q '^get_quality cluster=32 count=32$' "$T/log"; then
		pass "fake: scan reads each layer's records"
	else fail "fake: scan reads each layer's records" "$(tr '\n' ';' <"$T/log")"; fi
	jt "fake: scan --json" \
		"[l['layer'] for l in d['layers']] == [0, 1] and {k: v for k, v in d['layers'][0].items() if k not in ('jitter_limit_equaliser', 'jitter_limit_source')} == {'layer': 0, 'clusters': 32, 'recorded': 32, 'jitter_max_pct': 5.9, 'jitter_mean_pct': 5.43, 'jitter_limit_pct': 8.5, 'ldc_max': 4, 'ldc_total': 61, 'ldc_worst_codeword': 4, 'bis_max': 1, 'bis_total': 11, 'unreadable': 0, 'unresolved': 0, 'verdict': 'pass'} and d['layers'][1]['recorded'] == 14 and d['layers'][1]['jitter_max_pct'] == 7.9 and d['layers'][1]['jitter_limit_pct'] == 8.5 and d['layers'][0]['jitter_limit_equaliser'] == 'limit' and 'Nikkei' in d['layers'][0]['jitter_limit_source'] and d['unreadable'] == 0" scan --json
	cp "$T/out" "$T/scan.json"
	: >"$T/log"
	FAKEDEV_QUALITY_MAX=5 f "fake: scan with short GET_QUALITY answers" 0 "" scan --json
	if cmp -s "$T/out" "$T/scan.json" && [ "$(grep -c '^get_quality' "$T/log")" -eq 14 ] &&
	   grep -q '^get_quality cluster=30 count=2$' "$T/log" &&
	   grep -q '^get_quality cluster=37 count=5$' "$T/log"; then
		pass "fake: scan continues where a short answer ended"
	else fail "fake: scan continues where a short answer ended" "$(tr '\n' ';' <"$T/log")"; fi
	jt "fake: scan --layer 1 --json" \
		"[l['layer'] for l in d['layers']] == [1] and d['layers'][0]['clusters'] == 32 and d['layers'][0]['recorded'] == 14" scan --layer 1 --json
	FAKEDEV_BAD_LBA=100 jt "fake: scan counts an uncorrectable cluster, still exit 0" \
		"d['unreadable'] == 1 and d['layers'][0]['unreadable'] == 1 and d['layers'][0]['verdict'] == 'fail' and d['layers'][0]['ldc_worst_codeword'] == 60 and d['layers'][0]['jitter_max_pct'] == 14.5 and d['layers'][1]['verdict'] == 'pass'" scan --json
	FAKEDEV_BAD_LBA=100 f "fake: scan text with an uncorrectable cluster" 0 "" scan
	if has_out "  unreadable  1 cluster" && has_out "  verdict     fail" &&
	   has_out "unreadable clusters: 1"; then pass "fake: scan text names the unreadable cluster"
	else fail "fake: scan text names the unreadable cluster"; fi
	FAKEDEV_FAIL_QUALITY=1 f "fake: scan fails when GET_QUALITY fails" 1 \
		"optsimctl: $DEV: get quality at cluster 0 failed: Input/output error" scan

	# --- scan --svg and --csv: bd-r-dl, 32 clusters a layer, L0 full and
	# clusters 32-45 of L1 recorded; the fake's records are a function of
	# the cluster (see fakedev.c) ---
	f "fake: scan --svg --csv" 0 "" scan --svg "$T/scan.svg" --csv "$T/scan.csv"
	if has_out "L0: 32 of 32 clusters recorded" && has_out "svg: $T/scan.svg, 64 bins of up to 1 cluster" &&
	   has_out "csv: $T/scan.csv, 64 clusters"; then
		pass "fake: scan --svg --csv keeps the report and names both files"
	else fail "fake: scan --svg --csv keeps the report and names both files"; fi
	xmlok "fake: scan --svg is well-formed XML" "$T/scan.svg"
	if command -v xmllint >/dev/null 2>&1; then
		if xmllint --noout "$T/scan.svg" 2>"$T/py"; then pass "fake: scan --svg passes xmllint"
		else fail "fake: scan --svg passes xmllint" "$(head -1 "$T/py")"; fi
	else skip "fake: scan --svg passes xmllint" "no xmllint"; fi
	svgt "fake: scan --svg has LDC, BIS and jitter panels and series" "$T/scan.svg" \
		"root.tag == NS + 'svg' and all(panel(p) is not None for p in ('ldc', 'bis', 'jitter')) and len(cls('ldc')) == 1 and len(cls('bis')) == 1 and len(cls('jitter')) == 1 and cls('jitter')[0].tag == NS + 'path'"
	# bars where the count is above 0: LDC c % 5 != 0, BIS c % 3 == 0
	svgt "fake: one LDC bar per recorded cluster with errors, in disc order" "$T/scan.svg" \
		"len(bars('ldc')) == sum(1 for c in range(46) if c % 5) and [x for x, y in bars('ldc')] == sorted(x for x, y in bars('ldc'))"
	svgt "fake: one BIS bar per recorded cluster with a BIS error" "$T/scan.svg" \
		"len(bars('bis')) == sum(1 for c in range(46) if c % 3 == 0)"
	svgt "fake: higher LDC counts draw taller bars" "$T/scan.svg" \
		"bars('ldc')[3][1] < bars('ldc')[0][1]"
	svgt "fake: the jitter line has a point per recorded cluster" "$T/scan.svg" \
		"len(pts('jitter')) == 46"
	svgt "fake: one layer boundary, between L0's and L1's clusters" "$T/scan.svg" \
		"len(cls('layer-boundary')) == 1 and bars('ldc')[sum(1 for c in range(32) if c % 5) - 1][0] < float(cls('layer-boundary')[0].get('x1')) < bars('ldc')[sum(1 for c in range(32) if c % 5)][0]"
	svgt "fake: LDC and BIS limits, a jitter limit per layer, L1's no lower" "$T/scan.svg" \
		"len(cls('ldc-limit')) == 1 and len(cls('bis-limit')) == 1 and len(cls('jitter-limit')) == 2 and float(cls('jitter-limit')[1].get('y1')) <= float(cls('jitter-limit')[0].get('y1')) and all(e.get('stroke-dasharray') for e in cls('limit'))"
	svgt "fake: the unrecorded end of L1 is shaded in every panel, nothing unreadable" "$T/scan.svg" \
		"len(rects('unrecorded')) == 3 and rects('unrecorded')[0][0] > bars('ldc')[-1][0] and rects('unreadable') == []"
	svgt "fake: the legend says one bar per cluster" "$T/scan.svg" \
		"'one bar and point per cluster' in cls('binning')[0].text"

	csvt "fake: scan --csv: header and one row per cluster, in order" "$T/scan.csv" \
		"hdr == ['cluster', 'layer', 'lba', 'recorded', 'jitter_pct', 'ldc', 'bis', 'ldc_worst', 'dow', 'uncorrectable', 'unresolved', 'burst'] and [int(r['cluster']) for r in rows] == list(range(64))"
	csvt "fake: scan --csv: layer and LBA of each cluster" "$T/scan.csv" \
		"all(int(r['layer']) == int(r['cluster']) // 32 and int(r['lba']) == 32 * int(r['cluster']) for r in rows)"
	csvt "fake: scan --csv: the fake's records, recorded clusters 0-45" "$T/scan.csv" \
		"all((r['recorded'] == '1') == (c < 46) for c, r in enumerate(rows)) and all(float(r['jitter_pct']) == round(5 + 0.1 * (c % 10) + 2 * (c // 32), 2) and int(r['ldc']) == c % 5 == int(r['ldc_worst']) and int(r['bis']) == (c % 3 == 0) and r['dow'] == '0' and r['burst'] == str(int(c % 7 == 6)) and r['uncorrectable'] == '0' for c, r in enumerate(rows) if c < 46)"
	csvt "fake: scan --csv: unrecorded clusters have empty measurements" "$T/scan.csv" \
		"all(r[k] == '' for r in rows[46:] for k in ('jitter_pct', 'ldc', 'bis', 'ldc_worst', 'dow')) and all(r['uncorrectable'] == '0' for r in rows[46:])"
	csvt "fake: scan --csv: values in range" "$T/scan.csv" \
		"all(0 <= float(r['jitter_pct']) < 100 and int(r['ldc']) >= 0 and int(r['bis']) >= 0 and r['uncorrectable'] in '01' for r in rows if r['recorded'] == '1')"

	FAKEDEV_BAD_LBA=100 f "fake: scan --svg --csv with an uncorrectable cluster" 0 "" \
		scan --svg "$T/bad.svg" --csv "$T/bad.csv"
	svgt "fake: the uncorrectable cluster is a red band through every panel" "$T/bad.svg" \
		"len(rects('unreadable')) == 3 and rects('unreadable')[0][0] <= bars('ldc')[2][0] <= rects('unreadable')[0][0] + rects('unreadable')[0][1]"
	svgt "fake: its LDC bar is cut at the top of the panel" "$T/bad.svg" \
		"min(y for x, y in bars('ldc')) == bars('ldc')[2][1] == float(panel('ldc').find('.//' + NS + 'rect').get('y'))"
	csvt "fake: scan --csv marks only that cluster uncorrectable" "$T/bad.csv" \
		"[int(r['cluster']) for r in rows if r['uncorrectable'] == '1'] == [3] and int(rows[3]['ldc']) == 4000"

	f "fake: scan --layer 1 --csv" 0 "" scan --layer 1 --csv "$T/l1.csv" --svg "$T/l1.svg"
	csvt "fake: scan --layer 1 --csv has layer 1's clusters only" "$T/l1.csv" \
		"[int(r['cluster']) for r in rows] == list(range(32, 64)) and all(r['layer'] == '1' for r in rows)"
	svgt "fake: scan --layer 1 --svg: no layer boundary, L1's jitter limit only" "$T/l1.svg" \
		"cls('layer-boundary') == [] and len(cls('jitter-limit')) == 1 and 'layer 1' in root.find(NS + 'title').text"

	f "fake: scan --csv - writes the CSV to stdout" 0 "" scan --csv -
	if [ "$(head -1 "$T/out")" = "cluster,layer,lba,recorded,jitter_pct,ldc,bis,ldc_worst,dow,uncorrectable,unresolved,burst" ] &&
	   [ "$(wc -l <"$T/out")" -eq 65 ] && ! has_out "verdict"; then
		pass "fake: scan --csv -: only the CSV on stdout, no report"
	else fail "fake: scan --csv -: only the CSV on stdout, no report"; fi
	f "fake: scan --svg - writes the SVG to stdout" 0 "" scan --svg - --csv "$T/both.csv"
	cp "$T/out" "$T/stdout.svg"
	xmlok "fake: scan --svg -: stdout is one XML document" "$T/stdout.svg"
	if cmp -s "$T/both.csv" "$T/scan.csv"; then pass "fake: --svg - with --csv FILE writes the same CSV"
	else fail "fake: --svg - with --csv FILE writes the same CSV"; fi
	jt "fake: scan --json --csv FILE: JSON on stdout, CSV in the file" \
		"d['layers'][0]['recorded'] == 32 and open('$T/json.csv').readline().startswith('cluster,')" \
		scan --json --csv "$T/json.csv"

	echo keep >"$T/keep.csv"
	FAKEDEV_FAIL_QUALITY=1 f "fake: scan --csv fails when GET_QUALITY fails" 1 \
		"get quality at cluster 0 failed" scan --csv "$T/keep.csv" --svg "$T/new.svg"
	if [ "$(cat "$T/keep.csv")" = keep ] && [ ! -e "$T/new.svg" ] &&
	   [ -z "$(find "$T" -maxdepth 1 -name '.keep.csv.*' -o -maxdepth 1 -name '.new.svg.*')" ]; then
		pass "fake: a failed scan keeps the old file and leaves no partial one"
	else fail "fake: a failed scan keeps the old file and leaves no partial one" "$(ls -A "$T")"; fi
	f "fake: scan --csv into a missing directory" 1 \
		"optsimctl: $T/nodir/x.csv: open failed: No such file or directory" scan --csv "$T/nodir/x.csv"
	f "fake: scan --svg onto a directory" 1 \
		"optsimctl: $T: open failed: Is a directory" scan --svg "$T"
	if [ "$(id -u)" -ne 0 ]; then
		mkdir "$T/ro" && chmod 555 "$T/ro"
		f "fake: scan --csv into a read-only directory" 1 \
			"optsimctl: $T/ro/x.csv: open failed: Permission denied" scan --csv "$T/ro/x.csv"
	else
		skip "fake: scan --csv into a read-only directory" "root writes everywhere"
	fi
	f "fake: scan --csv /dev/null (not a regular file) is written in place" 0 "" scan --csv /dev/null
	if [ -c /dev/null ]; then pass "fake: /dev/null is still a device"
	else fail "fake: /dev/null is still a device"; fi
	chmod 604 "$T/keep.csv"
	umask 027
	f "fake: scan --csv replaces an existing file" 0 "" scan --csv "$T/keep.csv" --svg "$T/new.svg"
	umask 022
	if head -1 "$T/keep.csv" | grep -q '^cluster,' && [ "$(stat -c %a "$T/keep.csv")" = 604 ]; then
		pass "fake: the replaced file holds the new CSV and keeps its mode"
	else fail "fake: the replaced file holds the new CSV and keeps its mode" "$(stat -c %a "$T/keep.csv")"; fi
	if [ "$(stat -c %a "$T/new.svg")" = 640 ]; then pass "fake: a new file's mode follows the umask"
	else fail "fake: a new file's mode follows the umask" "$(stat -c %a "$T/new.svg")"; fi

	# binning: 4096 clusters make bins of 3; each bin shows its maximum
	f "fake: load a bd-r-dl of 2 x 2048 clusters" 0 "" load --media bd-r-dl --layer-sectors 65536
	head -c 2000000 /dev/urandom >"$T/img2"
	f "fake: burn 2 MB" 0 "" burn --no-verify "$T/img2"
	FAKEDEV_BAD_LBA=400 f "fake: scan --svg --csv of a large medium" 0 "" \
		scan --svg "$T/big.svg" --csv "$T/big.csv"
	if has_out "svg: $T/big.svg, 1366 bins of up to 3 clusters" && has_out "csv: $T/big.csv, 4096 clusters"; then
		pass "fake: 4096 clusters in 1366 bins of 3, the CSV still per cluster"
	else fail "fake: 4096 clusters in 1366 bins of 3, the CSV still per cluster"; fi
	svgt "fake: binned SVG: at most one bar per bin, the legend says max of 3" "$T/big.svg" \
		"len(bars('ldc')) <= 11 and 'maximum of 3 clusters' in cls('binning')[0].text and len(cls('layer-boundary')) == 1"
	svgt "fake: binned SVG: the bin of the bad cluster shows its LDC, cut at the top" "$T/big.svg" \
		"len(rects('unreadable')) == 3 and min(y for x, y in bars('ldc')) == float(panel('ldc').find('.//' + NS + 'rect').get('y'))"
	csvt "fake: large CSV: 4096 rows, 31 recorded" "$T/big.csv" \
		"len(rows) == 4096 and sum(r['recorded'] == '1' for r in rows) == 31 and [int(r['cluster']) for r in rows if r['uncorrectable'] == '1'] == [12]"

	f "fake: load bd-re for a medium error" 0 "" load --media bd-re --layer-sectors 2048
	FAKEDEV_BAD_LBA=700 f "fake: verify hits an uncorrectable cluster" 1 \
		"optsimctl: $DEV: read failed at LBA 672 (layer 0): No data available (medium error: the cluster is uncorrectable (see optsimctl scan))" burn "$T/img"
	FAKEDEV_BAD_LBA=700 jt "fake: scan finds the cluster verify could not read" \
		"d['unreadable'] == 1 and d['layers'][0]['verdict'] == 'fail'" scan --json
	f "fake: eject" 0 "" eject
	jt "fake: info after eject" "d['media'] == 'none'" info --json
else
	skip "fake device tests" "no $FAKEDEV (make -C tools/optsimctl builds it)"
fi

tap_end
