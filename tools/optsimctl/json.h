/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl - a tiny streaming JSON writer: compact output, one value per
 * call, commas handled by the writer. @key is NULL inside arrays and for the
 * top-level value.
 */
#ifndef OPTSIMCTL_JSON_H
#define OPTSIMCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	unsigned int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_finish(struct json *j);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_fixed(struct json *j, const char *key, uint64_t val,
		unsigned int decimals);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
void json_string_or_null(struct json *j, const char *key, const char *val);

void json_escape(FILE *f, const char *s);

#endif /* OPTSIMCTL_JSON_H */
