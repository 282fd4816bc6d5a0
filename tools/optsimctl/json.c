// SPDX-License-Identifier: GPL-2.0
/*
 * optsimctl - a tiny streaming JSON writer (RFC 8259).
 *
 * Strings are escaped byte by byte: '"' and '\\' get a backslash, control
 * characters (below 0x20, and DEL) become \b \f \n \r \t or \u00XX, every
 * other byte, UTF-8 included, is copied as is.
 */
#include <math.h>
#include <stdio.h>

#include "json.h"
#include "units.h"

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; p && *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
}

/* Separator and key before a value at the current depth. */
static void json_member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (key) {
		json_escape(j->f, key);
		fputc(':', j->f);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth)
		j->depth--;
}

void json_object_begin(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}

void json_string(struct json *j, const char *key, const char *val)
{
	json_member(j, key);
	json_escape(j->f, val);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	json_member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)val);
}

/* json_fixed() - @val / 10^@decimals as a JSON number: 4917, 3 -> 4.917 */
void json_fixed(struct json *j, const char *key, uint64_t val,
		unsigned int decimals)
{
	char buf[FIXED_BUFSZ];

	json_member(j, key);
	fputs(fmt_fixed(buf, sizeof(buf), val, decimals, true), j->f);
}

/*
 * json_double() - @val with 4 significant digits (1.234e-05); JSON has no
 * NaN or infinity, so those are written as null.
 */
void json_double(struct json *j, const char *key, double val)
{
	json_member(j, key);
	if (isfinite(val))
		fprintf(j->f, "%.4g", val);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	json_member(j, key);
	fputs("null", j->f);
}

/* json_string_or_null() - @val, or null when it is empty ("no such thing"). */
void json_string_or_null(struct json *j, const char *key, const char *val)
{
	if (val[0])
		json_string(j, key, val);
	else
		json_null(j, key);
}

/* json_finish() - end the document with a newline. */
void json_finish(struct json *j)
{
	fputc('\n', j->f);
}
