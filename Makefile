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
#   make debug-kernel       build (once; cached in /var/cache/optsim) the
#                   KASAN/lockdep/UBSAN/kmemleak kernel (scripts/debug-kernel.sh)
#   make check-debug [DEBUG_T="module mmc"]  optsim.ko built against it and
#                   those suites run on it in the VM, then a kmemleak scan;
#                   DEBUG_T=all (the default) is the whole suite, with the
#                   fuzzers at 10^5 calls and fault injection
#   make check-debug-ci     the reduced debug set .ci/run runs
#   make bench      model throughput vs memcpy (host); optsim vs brd and
#                   null_blk, write scaling with 1, 2, 4 jobs, image/memory (VM)
#   make gen        rewrite the generated tables in driver/model/ from their
#                   generators (scripts/gen.sh; make unit checks that they
#                   match)
#   make install    the module, optsimctl, man pages, bash completion, udev
#                   rules and the uapi header (Documentation/install.rst);
#                   DESTDIR= stages them, PREFIX= (/usr/local) places them
#   make uninstall  removes what make install put there
#   make dkms-install   the module under DKMS (dkms.conf)
#
# KVER selects the kernel to build for and boot (default: scripts/kver.sh);
# KDIR overrides the kernel build directory.

KVER	?= $(shell scripts/kver.sh)
KDIR	?= /lib/modules/$(KVER)/build
BUILD	:= $(CURDIR)/build
KSRC	:= $(BUILD)/ksrc/linux-source-6.1
RESULTS	:= $(BUILD)/results
VMOUT	:= $(BUILD)/vm-out
RUNVM	:= tools/testing/vm/run-vm.sh
KDOC	?= $(firstword $(wildcard $(KDIR)/scripts/kernel-doc /usr/lib/linux-kbuild-*/scripts/kernel-doc))

export KVER KDIR KSRC

# Installation (Documentation/install.rst). The udev rules go where udev
# reads packaged rules, whatever PREFIX is; /etc/udev/rules.d is left to
# the administrator's overrides.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MAN8DIR	?= $(PREFIX)/share/man/man8
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
INCLUDEDIR ?= $(PREFIX)/include
UDEVRULESDIR ?= /lib/udev/rules.d
INSTALL_UAPI ?= 1
MODDIR	:= /lib/modules/$(KVER)/extra
UDEV_RULES := $(wildcard udev/*.rules)
VERSION	:= $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC := /usr/src/optsim-$(VERSION)

.PHONY: all deps module tools selftests ksrc gen unit lint vm-test vm-test-reset vm-selftests \
	vm-run check _check demo _demo bench modules_install clean \
	debug-kernel debug-module check-debug check-debug-ci \
	man install install-udev uninstall dkms-src dkms-install dkms-uninstall

all: module tools selftests

deps:
	@scripts/install-deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)

tools:
	$(MAKE) -C tools/optsimctl VERSION=$(VERSION)

man:
	$(MAKE) -C tools/optsimctl man

# Debian's kernel headers carry no module signing key: the module is
# installed unsigned (CONFIG_MODULE_SIG_ALL= skips "sign-file"); sign it
# for Secure Boot with your own key, or use DKMS, which does.
install: module tools man
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra \
		CONFIG_MODULE_SIG_ALL=
	$(if $(DESTDIR),depmod -b $(DESTDIR) $(KVER),depmod -a $(KVER))
	install -D -m 0755 tools/optsimctl/optsimctl $(DESTDIR)$(BINDIR)/optsimctl
	install -d -m 0755 $(DESTDIR)$(MAN8DIR)
	install -m 0644 $(BUILD)/man/optsimctl*.8 $(DESTDIR)$(MAN8DIR)/
	install -D -m 0644 tools/completion/optsimctl \
		$(DESTDIR)$(COMPLETIONDIR)/optsimctl
ifeq ($(INSTALL_UAPI),1)
	install -D -m 0644 uapi/linux/optsim.h $(DESTDIR)$(INCLUDEDIR)/linux/optsim.h
	install -D -m 0644 uapi/linux/optsim_image.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/optsim_image.h
endif
	@$(MAKE) --no-print-directory install-udev

# The rules in udev/, if any (none before the udev rules exist).
install-udev:
ifneq ($(UDEV_RULES),)
	install -d -m 0755 $(DESTDIR)$(UDEVRULESDIR)
	install -m 0644 $(UDEV_RULES) $(DESTDIR)$(UDEVRULESDIR)/
	$(if $(DESTDIR),,-udevadm control --reload-rules)
endif

# What install put there: the files as named, whatever is there now.
uninstall:
	rm -f $(DESTDIR)$(MODDIR)/driver/optsim.ko $(DESTDIR)$(MODDIR)/driver/optsim.ko.*
	-rmdir $(DESTDIR)$(MODDIR)/driver 2>/dev/null
	$(if $(DESTDIR),,depmod -a $(KVER))
	rm -f $(DESTDIR)$(BINDIR)/optsimctl
	rm -f $(addprefix $(DESTDIR)$(MAN8DIR)/, \
		$(patsubst Documentation/man/%.rst,%.8,$(wildcard Documentation/man/optsimctl*.rst)))
	rm -f $(DESTDIR)$(COMPLETIONDIR)/optsimctl
	rm -f $(addprefix $(DESTDIR)$(UDEVRULESDIR)/,$(notdir $(UDEV_RULES)))
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/optsim.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/optsim_image.h

# DKMS: the module's sources in /usr/src/optsim-VERSION, then dkms add,
# build and install (not with DESTDIR, which only stages the sources).
dkms-src:
	install -d -m 0755 $(DESTDIR)$(DKMS_SRC)/driver/model $(DESTDIR)$(DKMS_SRC)/uapi/linux
	install -m 0644 dkms.conf Kbuild $(DESTDIR)$(DKMS_SRC)/
	install -m 0644 driver/Kbuild driver/*.c driver/*.h $(DESTDIR)$(DKMS_SRC)/driver/
	install -m 0644 driver/model/*.c driver/model/*.h $(DESTDIR)$(DKMS_SRC)/driver/model/
	install -m 0644 uapi/linux/optsim.h uapi/linux/optsim_image.h \
		$(DESTDIR)$(DKMS_SRC)/uapi/linux/

dkms-install: dkms-src
ifeq ($(DESTDIR),)
	dkms add -m optsim -v $(VERSION)
	dkms build -m optsim -v $(VERSION) -k $(KVER)
	dkms install -m optsim -v $(VERSION) -k $(KVER)
endif

dkms-uninstall:
	-dkms remove -m optsim -v $(VERSION) --all
	rm -rf $(DESTDIR)$(DKMS_SRC)

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

# The generated files committed in the tree (scripts/gen.sh lists them),
# as the kernel commits some of its own: the build never rewrites them.
gen:
	@scripts/gen.sh

# Host-side tests: each writes TAP to $(RESULTS)/host-*.tap.
unit: all
	@mkdir -p $(RESULTS)
	@tools/testing/run-host-tests.sh $(RESULTS)

lint: ksrc
	@mkdir -p $(RESULTS)
	@scripts/lint.sh $(RESULTS)/lint.tap

# The VM selftests: all of them, or one (T=name).
# The whole suite took 880-900 s of TCG in the last CI runs: 1800 s leaves room.
vm-test: all
	@mkdir -p $(RESULTS) $(VMOUT)
	@$(RUNVM) -o $(VMOUT) -t 1800 -- selftests/run.sh $(VMOUT) $(T); \
	rc=$$?; cat $(VMOUT)/*.tap > $(RESULTS)/vm.tap 2>/dev/null; exit $$rc

# Disc images across a hard reset and two VM boots: boots the VM twice.
vm-test-reset: all
	@mkdir -p $(RESULTS) $(VMOUT)
	@tools/testing/vm/image-reset.sh $(VMOUT); \
	rc=$$?; cp $(VMOUT)/image-reset.tap $(RESULTS)/vm-image-reset.tap \
		2>/dev/null; exit $$rc

# The debug kernel (Documentation/testing.rst, "Debug kernel"): built once
# and cached outside the tree; the module is built against it from a copy
# of the sources in $(DEBUG_MOD), so the stock build's objects stay.
DEBUG_MOD := $(BUILD)/debug-module
DEBUG_T	?= all
DEBUG_TIMEOUT ?= 5400
# Calls per fuzzer (OPTSIM_FUZZ_COUNT) and failure points per request of
# optsim_fault (OPTSIM_FAULT_POINTS) under check-debug.
DEBUG_FUZZ_COUNT ?= 100000
DEBUG_FAULT_POINTS ?= 100
# Seconds of fio under the concurrent loops of stress.sh.
DEBUG_STRESS_SECONDS ?= 120
# Mutated disc images loaded through the kernel by image.sh.
DEBUG_IMAGE_FUZZ ?= 100000
# Under TCG, with KASAN and lockdep, ACPI's PCI interrupt routing (_PRT)
# ran into ACPICA's AML loop timeout on a loaded machine: the virtio
# devices got no interrupt (the kernel has no MSI) and the boot hung on 9p.
# acpi=noirq routes them through the MP table instead (a boot to the
# command: 17 s rather than 75 s or never). No RCU stall reports before
# init runs, and soft lockups reported after 120 s rather than 20.
DEBUG_APPEND := acpi=noirq rcupdate.rcu_cpu_stall_suppress_at_boot=1 watchdog_thresh=60

debug-kernel: deps
	@scripts/debug-kernel.sh > /dev/null

debug-module: debug-kernel
	@mkdir -p $(DEBUG_MOD)
	@find Kbuild driver uapi \( -name Kbuild -o -name '*.[ch]' \) \
		! -name '*.mod.c' | \
		xargs cp -p --parents -t $(DEBUG_MOD)
	$(MAKE) -C $$(scripts/debug-kernel.sh --dir)/build M=$(DEBUG_MOD) modules

check-debug: tools selftests debug-module
	@rm -rf $(VMOUT)-debug; mkdir -p $(RESULTS) $(VMOUT)-debug
	@d=$$(scripts/debug-kernel.sh --dir); \
	KVER=$$(cat $$d/release) OPTSIM_VM_KERNEL=$$d/bzImage \
	OPTSIM_VM_APPEND="$(DEBUG_APPEND) $${OPTSIM_VM_APPEND:-}" \
	$(RUNVM) -o $(VMOUT)-debug -t $(DEBUG_TIMEOUT) -- \
		env OPTSIM_KO=$(DEBUG_MOD)/driver/optsim.ko \
		OPTSIM_FUZZ_COUNT=$(DEBUG_FUZZ_COUNT) \
		OPTSIM_FAULT_POINTS=$(DEBUG_FAULT_POINTS) \
		OPTSIM_STRESS_SECONDS=$(DEBUG_STRESS_SECONDS) \
		OPTSIM_IMAGE_FUZZ=$(DEBUG_IMAGE_FUZZ) \
		tools/testing/vm/debug-check.sh $(VMOUT)-debug $(DEBUG_T); \
	rc=$$?; cat $(VMOUT)-debug/*/*.tap $(VMOUT)-debug/*.tap \
		> $(RESULTS)/vm-debug.tap 2>/dev/null; \
	tools/testing/tap-summary.sh $(RESULTS)/vm-debug.tap || rc=1; exit $$rc

# The reduced debug set .ci/run runs (Documentation/testing.rst,
# "Reliability"): within DEBUG_CI_TIMEOUT, the kernel build aside.
DEBUG_CI_T ?= module ioctl_fuzz nl_fuzz fuzz stress fault
DEBUG_CI_TIMEOUT ?= 2400

check-debug-ci:
	@$(MAKE) --no-print-directory check-debug DEBUG_T="$(DEBUG_CI_T)" \
		DEBUG_FUZZ_COUNT=5000 DEBUG_FAULT_POINTS=10 \
		DEBUG_STRESS_SECONDS=20 DEBUG_TIMEOUT=$(DEBUG_CI_TIMEOUT)

vm-run: all
	@mkdir -p $(VMOUT)
	@$(RUNVM) -o $(VMOUT) -- sh -c '$(CMD)'

check: deps
	@rm -rf $(RESULTS)
	@$(MAKE) --no-print-directory _check; rc=$$?; \
	tools/testing/tap-summary.sh $(RESULTS)/*.tap || rc=1; exit $$rc

_check:
	@$(MAKE) --no-print-directory unit; u=$$?; \
	$(MAKE) --no-print-directory lint; l=$$?; \
	$(MAKE) --no-print-directory vm-test; v=$$?; \
	$(MAKE) --no-print-directory vm-test-reset; r=$$?; \
	[ $$u -eq 0 ] && [ $$l -eq 0 ] && [ $$v -eq 0 ] && [ $$r -eq 0 ]

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(VMOUT)
	@$(RUNVM) -o $(VMOUT) -t 300 -- tools/testing/vm/demo.sh

# Benchmarks print figures; they are not pass/fail tests.
bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) -s --no-print-directory -C tools/testing/unit KSFT_DIR=$(KSRC)/tools/testing/selftests bench
	@mkdir -p $(VMOUT)
	@$(RUNVM) -o $(VMOUT) -t 900 -- tools/testing/vm/bench-vm.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(MAKE) -C tools/optsimctl clean
	$(MAKE) -C selftests clean
	rm -rf $(BUILD)
