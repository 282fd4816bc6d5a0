# SPDX-License-Identifier: GPL-2.0
#
# optsim - top-level Makefile for humans. Kbuild reads ./Kbuild instead.
#
#   make            build driver/optsim.ko, optsimctl and the selftests
#   make demo       build, boot the test VM and show the drive at work
#   make check      host tests, lint and the VM selftests; ends with
#                   "N passed, N failed, N skipped"
#   make lint       checkpatch --strict, sparse (C=2), W=1, uapi C90, kernel-doc
#   make vm-run CMD='...'   run any command as root in the test VM
#   make vm-test T=NAME     run one selftest (kselftest name or script) in the VM
#   make bench      model throughput vs memcpy (host), optsim vs brd (VM)
#
# KVER selects the kernel to build for and boot (default: tools/kver.sh);
# KDIR overrides the kernel build directory.

KVER	?= $(shell tools/kver.sh)
KDIR	?= /lib/modules/$(KVER)/build
BUILD	:= $(CURDIR)/build
KSRC	:= $(BUILD)/ksrc/linux-source-6.1
RESULTS	:= $(BUILD)/results
VMOUT	:= $(BUILD)/vm-out
KDOC	?= $(firstword $(wildcard $(KDIR)/scripts/kernel-doc /usr/lib/linux-kbuild-*/scripts/kernel-doc))

export KVER KDIR KSRC

.PHONY: all deps module tools selftests ksrc unit lint vm-test vm-selftests \
	vm-run check _check demo _demo bench modules_install clean

all: module tools selftests

deps:
	@tools/install-deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)

tools:
	$(MAKE) -C tools/optsimctl

# kselftest_harness.h and checkpatch.pl come from Debian's linux-source-6.1
# tarball at build time; the project never carries copies of them.
ksrc: $(KSRC)/.stamp
$(KSRC)/.stamp:
	@mkdir -p $(BUILD)/ksrc
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C $(BUILD)/ksrc \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest.h
	@touch $@

selftests: ksrc
	$(MAKE) -C selftests KSFT_DIR=$(KSRC)/tools/testing/selftests

# Host-side tests: each writes TAP to $(RESULTS)/host-*.tap.
unit: all
	@mkdir -p $(RESULTS)
	@tools/run-host-tests.sh $(RESULTS)

lint: ksrc
	@mkdir -p $(RESULTS)
	@tools/lint.sh $(RESULTS)/lint.tap

# The VM selftests: all of them, or one (T=name).
vm-test: all
	@mkdir -p $(RESULTS) $(VMOUT)
	@tools/vm/run-vm.sh -o $(VMOUT) -t 900 -- selftests/run.sh $(VMOUT) $(T); \
	rc=$$?; cat $(VMOUT)/*.tap > $(RESULTS)/vm.tap 2>/dev/null; exit $$rc

vm-run: all
	@mkdir -p $(VMOUT)
	@tools/vm/run-vm.sh -o $(VMOUT) -- sh -c '$(CMD)'

check: deps
	@rm -rf $(RESULTS)
	@$(MAKE) --no-print-directory _check; rc=$$?; \
	tools/tap-summary.sh $(RESULTS)/*.tap || rc=1; exit $$rc

_check:
	@$(MAKE) --no-print-directory unit; u=$$?; \
	$(MAKE) --no-print-directory lint; l=$$?; \
	$(MAKE) --no-print-directory vm-test; v=$$?; \
	[ $$u -eq 0 ] && [ $$l -eq 0 ] && [ $$v -eq 0 ]

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(VMOUT)
	@tools/vm/run-vm.sh -o $(VMOUT) -t 300 -- tools/demo.sh

# Benchmarks print figures; they are not pass/fail tests.
bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) -s --no-print-directory -C tools/unit KSFT_DIR=$(KSRC)/tools/testing/selftests bench
	@mkdir -p $(VMOUT)
	@tools/vm/run-vm.sh -o $(VMOUT) -t 900 -- tools/bench-vm.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/optsimctl clean
	$(MAKE) -C selftests clean
	rm -rf $(BUILD)
