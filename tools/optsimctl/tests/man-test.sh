#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The manual pages against the tool: every page renders with
# rst2man --strict, every command that "optsimctl --help" lists has its
# page optsimctl-CMD.rst, which names every long option that
# "optsimctl CMD --help" prints, and the overview optsimctl.rst names every
# command and refers to every command's page. Prints TAP; exits 1 when a
# test fails.
#
#   tests/man-test.sh [OPTSIMCTL]
set -u

here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$here/../optsimctl}
MAN=$here/../../../Documentation/man
[ -x "$BIN" ] || { echo "Bail out! $BIN is not executable"; exit 1; }

# shellcheck source=tools/testing/tap-lib.sh
. "$here/../../testing/tap-lib.sh"
tap_tmpdir

# The commands of "optsimctl --help": the first word of each line of the
# Commands: block.
"$BIN" --help >"$T/help"
cmds=$(sed -n '/^Commands:/,/^$/{/^  [a-z]/s/^  \([a-z-]*\) .*/\1/p}' "$T/help")
if [ "$(echo "$cmds" | wc -w)" -ge 10 ]; then
	pass "optsimctl --help lists $(echo "$cmds" | wc -w) commands"
else
	fail "optsimctl --help lists the commands" "found: $cmds"
fi

for page in "$MAN"/*.rst; do
	name=$(basename "$page" .rst)
	if ! command -v rst2man >/dev/null 2>&1; then
		skip "$name renders with rst2man --strict" "no rst2man"
	elif rst2man --strict "$page" "$T/$name.8" 2>"$T/err" &&
	     grep -q '^\.TH' "$T/$name.8"; then
		pass "$name renders with rst2man --strict"
	else
		fail "$name renders with rst2man --strict" "$(head -1 "$T/err")"
	fi
done

for c in $cmds; do
	page=$MAN/optsimctl-$c.rst
	if [ ! -f "$page" ]; then
		fail "$c has a man page" "no $page"
		continue
	fi
	pass "$c has a man page"
	if grep -q "^optsimctl-$c\$" "$page" &&
	   grep -q '^:Manual section: 8$' "$page" &&
	   grep -q "\*\*$c\*\*" "$page"; then
		pass "optsimctl-$c: title, section 8, synopsis"
	else
		fail "optsimctl-$c: title, section 8, synopsis"
	fi
	# every long option of "CMD --help" (the option column)
	"$BIN" "$c" --help >"$T/ch" 2>&1
	sed -n 's/^  \(-[A-Za-z], \)\{0,1\} *\(--[a-z][a-z-]*\).*/\2/p' "$T/ch" >"$T/opts"
	missing=""
	while read -r o; do
		grep -qF -- "**$o**" "$page" || missing="$missing $o"
	done <"$T/opts"
	if [ -z "$missing" ]; then pass "optsimctl-$c documents every option of '$c --help'"
	else fail "optsimctl-$c documents every option of '$c --help'" "missing:$missing"; fi
	if grep -qF "**$c**" "$MAN/optsimctl.rst" &&
	   grep -qF "**optsimctl-$c**\\ (8)" "$MAN/optsimctl.rst"; then
		pass "optsimctl(8) names $c and refers to optsimctl-$c(8)"
	else
		fail "optsimctl(8) names $c and refers to optsimctl-$c(8)"
	fi
done

# every command page is in the overview's SEE ALSO
missing=""
for page in "$MAN"/optsimctl-*.rst; do
	name=$(basename "$page" .rst)
	sed -n '/^SEE ALSO/,$p' "$MAN/optsimctl.rst" | grep -qF "**$name**\\ (8)" ||
		missing="$missing $name"
done
if [ -z "$missing" ]; then pass "optsimctl(8) SEE ALSO lists every command page"
else fail "optsimctl(8) SEE ALSO lists every command page" "missing:$missing"; fi

tap_end
