// SPDX-License-Identifier: GPL-2.0
/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82f63b78) for userspace,
 * where no library of the distribution provides it. The module uses the
 * kernel's crc32c() instead (shim.h); this file stays out of it.
 *
 * Same contract as the kernel's crc32c(): no initial or final inversion,
 * so results chain.
 */
#include "shim.h"

#ifndef __KERNEL__
static u32 osm_crc32c_table[256];

/* Fill the byte-at-a-time table once. */
static void osm_crc32c_init(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (c & 1 ? 0x82f63b78U : 0);
		osm_crc32c_table[i] = c;
	}
}

/**
 * osm_crc32c_raw() - update a CRC-32C with bytes
 * @crc: the CRC so far (~0 to start one)
 * @p: the bytes
 * @len: how many
 *
 * Return: the updated CRC, not inverted.
 */
u32 osm_crc32c_raw(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;

	if (!osm_crc32c_table[1])
		osm_crc32c_init();
	while (len--)
		crc = (crc >> 8) ^ osm_crc32c_table[(crc ^ *b++) & 0xff];
	return crc;
}
#endif
