#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of the bash completion of optsimctl: it completes what the
# tool takes. Every command that "optsimctl --help" lists and every long
# option that "optsimctl CMD --help" prints must be offered, so a new
# command or option without completion fails here. Prints TAP; exits 1
# when a test fails.
#
#   tools/completion/test-completion.sh [OPTSIMCTL]
set -u

here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$here/../optsimctl/optsimctl}
[[ -x $BIN ]] || { echo "Bail out! $BIN is not executable"; exit 1; }
# shellcheck source=tools/completion/optsimctl
. "$here/optsimctl"

# shellcheck source=tools/testing/tap-lib.sh
. "$here/../testing/tap-lib.sh"
tap_tmpdir

# comp WORD...: the completions of the last WORD of "optsimctl WORD...",
# one per line, sorted
comp() {
	COMP_WORDS=(optsimctl "$@")
	COMP_CWORD=$#
	COMP_LINE="optsimctl $*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_optsimctl
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

# offers DESC "WANT..." WORD...: the completions include every WANT
offers() {
	local desc=$1 want=$2 w missing=""
	shift 2
	comp "$@" >"$T/c"
	for w in $want; do
		grep -qxF -- "$w" "$T/c" || missing+=" $w"
	done
	if [[ -z $missing ]]; then pass "$desc"
	else fail "$desc" "missing:$missing; got: $(tr '\n' ' ' <"$T/c")"; fi
}

# exactly DESC "WANT..." WORD...: the completions are WANT, no more
exactly() {
	local desc=$1 want words
	read -r -a words <<<"$2"
	want=$(printf '%s\n' "${words[@]}" | sort)
	shift 2
	if [[ $(comp "$@") == "$want" ]]; then pass "$desc"
	else fail "$desc" "got: $(comp "$@" | tr '\n' ' ')"; fi
}

if [[ $(complete -p optsimctl 2>/dev/null) == *"-F _optsimctl"* ]]; then
	pass "the script registers _optsimctl for optsimctl"
else fail "the script registers _optsimctl for optsimctl"; fi

cmds=$("$BIN" --help | sed -n '/^Commands:/,/^$/{/^  [a-z]/s/^  \([a-z-]*\) .*/\1/p}')
if [[ $(wc -w <<<"$cmds") -ge 10 ]]; then pass "optsimctl --help lists the commands"
else fail "optsimctl --help lists the commands" "$cmds"; fi
offers "every command of --help is completed" "$cmds" ""
exactly "commands by prefix" "finalize" fin
offers "global options" "--device --help --version" --
for c in $cmds; do
	opts=$("$BIN" "$c" --help | sed -n 's/^  \(-[A-Za-z], \)\{0,1\} *\(--[a-z][a-z-]*\).*/\2/p')
	offers "$c: every long option of '$c --help'" "$opts" "$c" --
done
offers "options after -d DEV" "--layer --json --svg --csv" -d /dev/optsim scan --
exactly "load --media: the media types" "bd-r bd-r-dl bd-re bd-re-dl" load --media ""
exactly "load -m: the media types" "bd-r bd-r-dl bd-re bd-re-dl" load -m ""
offers "simulate --media: the model presets too" "bd-re-dl-unbalanced bd-r-nf bd-r" simulate --media ""
exactly "--media by prefix" "bd-re bd-re-dl" load --media bd-re
exactly "set --strategy: the strategies" "single multi castle auto" set --strategy ""
exactly "burn -S: the strategies" "single multi castle auto" burn -S ""
exactly "get --layer: 0, 1 or all" "0 1 all" get --layer ""
exactly "opc --layer=: 0, 1 or all" "0 1 all" opc --layer = ""
exactly "burn --layer: 0 or 1" "0 1" burn --layer ""
exactly "scan -l: 0 or 1" "0 1" scan -l ""
exactly "a number is not guessed" "" set --power ""

: >"$T/image.iso"
: >"$T/scan.svg"
offers "burn IMAGE: file names" "$T/image.iso" burn "$T/im"
offers "scan --svg: file names" "$T/scan.svg" scan --svg "$T/sc"

# the drives: block devices only
mkdir "$T/dev"
if mknod "$T/dev/optsim" b 7 200 2>/dev/null && mknod "$T/dev/optsim1" b 7 201 2>/dev/null; then
	: >"$T/dev/optsim2"		# not a block device
	mknod "$T/dev/optsimx" b 7 202
	ln -s optsim1 "$T/dev/optsim1-sr"	# a udev link of an sr node
	export _OPTSIMCTL_DEVDIR=$T/dev
	exactly "-d: the optsim block devices" "$T/dev/optsim $T/dev/optsim1" -d ""
	exactly "--device after the command" "$T/dev/optsim $T/dev/optsim1" info --device ""
	exactly "--device=: the drives" "$T/dev/optsim $T/dev/optsim1" --device = ""
	exactly "remove DEVICE: the drives" "$T/dev/optsim $T/dev/optsim1" remove ""
	exactly "the command after --device=DEV" "info" --device = "$T/dev/optsim" inf
	unset _OPTSIMCTL_DEVDIR
else
	for d in "-d" "--device after the command" "--device=" "remove DEVICE" "--device=DEV"; do
		skip "$d: drives" "cannot mknod"
	done
fi

tap_end
