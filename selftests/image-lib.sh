# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# image-lib.sh - the disc image helpers shared by selftests/image.sh and
# tools/testing/vm/image-reset.sh, and by selftests/mmc.sh's save of the
# MMC front's open cluster (Documentation/image-format.rst).
# Sourced, not run. Needs: OPTSIMCTL; OPTSIM_DEV (default /dev/optsim).

# The CRC-32C of the image format (Castagnoli, reflected, as the kernel's
# crc32c() with ~0 in and out), in Python, for the tests that forge or
# spoil images.
IMAGE_CRC32C_PY='
def _crc32c_apply(m, c):
    r, j = 0, 0
    while c:
        if c & 1:
            r ^= m[j]
        c >>= 1
        j += 1
    return r
def _crc32c_tables():
    t = []
    for n in range(256):
        for _ in range(8):
            n = (n >> 1) ^ (0x82f63b78 if n & 1 else 0)
        t.append(n)
    # A zero byte maps the state linearly; z[k] is that map for 2**k zero
    # bytes, as the images of the 32 state bits, so that a long run of
    # zeros (most of a header or metadata block) costs a few steps.
    z = [[t[(1 << j) & 0xff] ^ ((1 << j) >> 8) for j in range(32)]]
    for _ in range(24):
        m = z[-1]
        z.append([_crc32c_apply(m, _crc32c_apply(m, 1 << j))
                  for j in range(32)])
    return t, z
CRC32C_TABLE, CRC32C_ZEROS = _crc32c_tables()
def crc32c(b):
    b = bytes(b)
    body = b.rstrip(bytes(1))
    zeros = len(b) - len(body)
    c = 0xffffffff
    for x in body:
        c = CRC32C_TABLE[(c ^ x) & 0xff] ^ (c >> 8)
    k = 0
    while zeros:
        if zeros & 1:
            c = _crc32c_apply(CRC32C_ZEROS[k], c)
        zeros >>= 1
        k += 1
    return c ^ 0xffffffff
'

# image_python ARGS...: run the Python program on stdin with ARGS, crc32c()
# defined.
image_python() {
	{
		printf '%s\n' "$IMAGE_CRC32C_PY"
		cat
	} | python3 - "$@"
}

# image_state N: what must survive a round trip of the medium in
# $OPTSIM_DEV: the first N clusters' data, info (memory figures and where
# the medium lives aside) and scan.
image_state() {
	dd if="${OPTSIM_DEV:-/dev/optsim}" bs=64k count="$1" iflag=direct \
		2>/dev/null | sha256sum
	"$OPTSIMCTL" -d "${OPTSIM_DEV:-/dev/optsim}" info --json | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in ("mem_used", "mem_limit", "image"):
    v.pop(k, None)
print(json.dumps(v, sort_keys=True))'
	"$OPTSIMCTL" -d "${OPTSIM_DEV:-/dev/optsim}" scan --json
}

# image_json FILE PYEXPR: PYEXPR, on "image info --json FILE" as v, holds.
image_json() {
	"$OPTSIMCTL" image info --json "$1" |
		python3 -c 'import json, sys
v = json.load(sys.stdin)
sys.exit(not eval(sys.argv[1]))' "$2"
}
