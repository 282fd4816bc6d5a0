#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/run-host-tests.sh RESULTS - run every host-side test and
# store its TAP output as RESULTS/host-<name>.tap (also echoed). Exit 1
# when any test program fails. The module is not needed.
set -u
results=$1
fail=0

# run NAME COMMAND...: run one test program, keep its TAP.
run() {
	name=$1
	shift
	echo "# host test: $name"
	if ! "$@" > "$results/host-$name.tap" 2>&1; then
		fail=1
		grep -q '^not ok' "$results/host-$name.tap" ||
			echo "not ok - $name: exited with an error" >> "$results/host-$name.tap"
	fi
	cat "$results/host-$name.tap"
}

make -s -C tools/testing/unit KSFT_DIR="$KSRC/tools/testing/selftests" all || {
	echo "not ok - unit tests build" > "$results/host-unit-build.tap"
	fail=1
}
for t in tools/testing/unit/*_test; do
	[ -x "$t" ] && run "$(basename "$t")" "$t"
done
[ -x tools/optsimctl/tests/cli-test.sh ] &&
	run optsimctl-cli tools/optsimctl/tests/cli-test.sh
[ -x tools/optsimctl/tests/man-test.sh ] &&
	run optsimctl-man tools/optsimctl/tests/man-test.sh
[ -x tools/completion/test-completion.sh ] &&
	run completion tools/completion/test-completion.sh
[ -x tools/optsimctl/tests/parse_test ] &&
	run optsimctl-parse tools/optsimctl/tests/parse_test
[ -x tools/testing/vm/test-scan.sh ] && run vm-scan tools/testing/vm/test-scan.sh
# Each committed generated table is what its generator writes.
run generated scripts/gen.sh --check
# The uapi header against the netlink spec, and proof that the checker
# catches an altered header, spec or kernel policy.
run nlcheck-uapi /usr/bin/python3 scripts/optsim-nlcheck uapi \
	Documentation/netlink/optsim.yaml uapi/linux/optsim.h
run nlcheck-selftest /usr/bin/python3 scripts/optsim-nlcheck selftest \
	Documentation/netlink/optsim.yaml uapi/linux/optsim.h
[ -x tools/testing/test-install.sh ] && run install tools/testing/test-install.sh
exit $fail
