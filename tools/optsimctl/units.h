/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - number parsing and unit conversion. No I/O, no exits: every
 * function here is unit tested by tests/parse_test.c.
 */
#ifndef OPTSIMCTL_UNITS_H
#define OPTSIMCTL_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for any value fmt_fixed() prints. */
#define FIXED_BUFSZ	32

int parse_u64(const char *s, uint64_t *out);
int parse_fixed(const char *s, unsigned int decimals, uint64_t *out);
int parse_speed(const char *s, uint64_t *milli_x);
int parse_layer(const char *s, bool allow_all, uint32_t *out);
int parse_sweep(const char *s, const char *name, unsigned int decimals,
		uint64_t *from, uint64_t *to, uint64_t *step);

int speed_to_mms(uint64_t milli_x, uint64_t *mms);
uint64_t mms_to_milli_x(uint64_t mms);

char *fmt_fixed(char *buf, size_t len, uint64_t v, unsigned int decimals,
		bool trim);
/* Room for any range fmt_range() prints. */
#define RANGE_BUFSZ	(2 * FIXED_BUFSZ + 16)
char *fmt_range(char *buf, size_t len, uint64_t lo, uint64_t hi,
		unsigned int decimals, const char *unit);

bool layer_sectors_valid(uint64_t n);

#endif /* OPTSIMCTL_UNITS_H */
