#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Count the top-level KTAP/TAP results in the given files and print
#   N passed, N failed, N skipped
# as the last line, after one line per failed result:
#   failed: FILE: not ok ...
# so the failures sit next to the count at the end of a long log.
# Exit 1 when anything failed or no result was found.
set -eu
awk '
/^not ok /			{ fail++; printf "failed: %s: %s\n", FILENAME, $0; next }
/^ok .*# *[Ss][Kk][Ii][Pp]/	{ skip++; next }
/^ok /				{ pass++; next }
END {
	printf "%d passed, %d failed, %d skipped\n", pass, fail, skip
	exit (fail > 0 || pass + skip == 0) ? 1 : 0
}' "$@"
