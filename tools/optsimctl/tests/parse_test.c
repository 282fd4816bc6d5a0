// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of optsimctl's pure helpers: number parsers, unit conversion,
 * names, the JSON writer and its string escaping, the SVG plot and the
 * binning of the scan plot. Prints TAP; exits 1 when a test fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/optsim.h>

#include "json.h"
#include "names.h"
#include "scanplot.h"
#include "svg.h"
#include "units.h"

static int ntest, nfail;

static void ok(int cond, const char *fmt, const char *arg)
{
	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	printf(fmt, arg);
	putchar('\n');
}

static void check_u64(const char *s, int want_ret, uint64_t want)
{
	uint64_t v = 12345;
	int ret = parse_u64(s, &v);

	ok(ret == want_ret && (ret || v == want), "parse_u64 '%s'", s);
	if (!ret && v != want)
		printf("# got %llu\n", (unsigned long long)v);
	if (ret != want_ret)
		printf("# ret %d, want %d\n", ret, want_ret);
}

static void check_fixed(const char *s, unsigned int dec, int want_ret,
			uint64_t want)
{
	uint64_t v = 12345;
	int ret = parse_fixed(s, dec, &v);

	ok(ret == want_ret && (ret || v == want), "parse_fixed '%s'", s);
	if (ret != want_ret || (!ret && v != want))
		printf("# ret %d value %llu, want %d %llu\n", ret,
		       (unsigned long long)v, want_ret,
		       (unsigned long long)want);
}

static void check_speed(const char *s, int want_ret, uint64_t want_mms)
{
	uint64_t mx = 0, mms = 0;
	int ret = parse_speed(s, &mx);

	if (!ret)
		ret = speed_to_mms(mx, &mms);
	ok(ret == want_ret && (ret || mms == want_mms), "speed '%s'", s);
	if (ret != want_ret || (!ret && mms != want_mms))
		printf("# ret %d mm/s %llu\n", ret, (unsigned long long)mms);
}

static void check_sweep(const char *s, int want_ret, uint64_t from,
			uint64_t to, uint64_t step)
{
	uint64_t a = 1, b = 2, c = 3;
	int ret = parse_sweep(s, "power", 3, &a, &b, &c);

	ok(ret == want_ret && (ret || (a == from && b == to && c == step)),
	   "parse_sweep '%s'", s);
	if (ret != want_ret || (!ret && (a != from || b != to || c != step)))
		printf("# ret %d: %llu %llu %llu\n", ret, (unsigned long long)a,
		       (unsigned long long)b, (unsigned long long)c);
}

static void check_step(double range, int ticks, double want)
{
	char name[64];
	double got = svg_nice_step(range, ticks);

	snprintf(name, sizeof(name), "svg_nice_step(%g, %d) = %g", range,
		 ticks, want);
	ok(got > want * 0.999999 && got < want * 1.000001, "%s", name);
	if (!(got > want * 0.999999 && got < want * 1.000001))
		printf("# got %g\n", got);
}

static void check_layer(const char *s, bool all, int want_ret, uint32_t want)
{
	uint32_t v = 77;
	int ret = parse_layer(s, all, &v);

	ok(ret == want_ret && (ret || v == want), "parse_layer '%s'", s);
}

/* Run @fn writing to a memory stream; compare with @want. */
static void check_out(void (*fn)(FILE *f), const char *want,
		      const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		ok(0, "%s (open_memstream)", name);
		return;
	}
	fn(f);
	fclose(f);
	ok(!strcmp(buf, want), "%s", name);
	if (strcmp(buf, want))
		printf("# got  [%s]\n# want [%s]\n", buf, want);
	free(buf);
}

static void esc_plain(FILE *f) { json_escape(f, "bd-re-dl"); }
static void esc_quote(FILE *f) { json_escape(f, "a\"b\\c/d"); }
static void esc_ctrl(FILE *f) { json_escape(f, "\b\f\n\r\t\x01\x1f\x7f"); }
static void esc_utf8(FILE *f) { json_escape(f, "/dev/\xc3\xa9t\xc3\xa9"); }
static void esc_empty(FILE *f) { json_escape(f, ""); }
static void esc_null(FILE *f) { json_escape(f, NULL); }

static void doc_nested(FILE *f)
{
	struct json j;

	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "device", "/dev/\"x\"");
	json_bool(&j, "t", true);
	json_bool(&j, "f", false);
	json_null(&j, "nwa");
	json_u64(&j, "big", UINT64_MAX);
	json_array_begin(&j, "a");
	json_u64(&j, NULL, 1);
	json_u64(&j, NULL, 2);
	json_array_end(&j);
	json_array_begin(&j, "empty");
	json_array_end(&j);
	json_array_begin(&j, "layers");
	json_object_begin(&j, NULL);
	json_fixed(&j, "v", 4917, 3);
	json_fixed(&j, "w", 5000, 3);
	json_fixed(&j, "x", 1500, 3);
	json_object_end(&j);
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static void doc_or_null(FILE *f)
{
	struct json j;

	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string_or_null(&j, "sr", "/dev/sr0");
	json_string_or_null(&j, "sg", "");
	json_object_end(&j);
	json_finish(&j);
}

static void dbl_doc(FILE *f)
{
	struct json j;

	json_init(&j, f);
	json_array_begin(&j, NULL);
	json_double(&j, NULL, 0.5);
	json_double(&j, NULL, 3.873e-05);
	json_double(&j, NULL, 1.0);
	json_double(&j, NULL, 0);
	json_double(&j, NULL, 1.0 / 0.0);
	json_double(&j, NULL, 0.0 / 0.0);
	json_array_end(&j);
	json_finish(&j);
}

static void svg_esc(FILE *f) { svg_escape(f, "a<b>&\"c'\x01" "d"); }

/* A small bathtub: well-formed enough to hold the parts the tests look for. */
static void svg_doc(FILE *f)
{
	static const struct svg_point pts[] = {
		{ 4, 655.35, false }, { 6, 9.5, true }, { 8, 7.2, true },
		{ 10, 12, false },
	};
	struct svg_plot p = {
		.title = "bathtub <&>", .xlabel = "write power (mW)",
		.ylabel = "jitter (% of T)", .pts = pts, .n = 4,
		.limit = 6.5, .limit_label = "limit 6.5 %", .mark = true,
		.mark_x = 8, .mark_y = 7.2, .mark_label = "optimum 8 mW",
		.fail_label = "uncorrectable",
	};

	svg_plot(f, &p);
}

static void check_svg(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *c;
	int circles = 0;

	if (!f) {
		ok(0, "%s", "svg_plot (open_memstream)");
		return;
	}
	svg_doc(f);
	fclose(f);
	ok(!strncmp(buf, "<?xml version=\"1.0\"", 19) &&
	   strstr(buf, "<svg xmlns=\"http://www.w3.org/2000/svg\"") &&
	   len > 8 && !strcmp(buf + len - 7, "</svg>\n"),
	   "%s", "svg_plot: an XML document with one svg element");
	ok(strstr(buf, "<title>bathtub &lt;&amp;&gt;</title>") != NULL, "%s",
	   "svg_plot: title escaped");
	ok(strstr(buf, "class=\"curve\"") && strstr(buf, "d=\"M") != NULL,
	   "%s", "svg_plot: the curve is a path");
	ok(strstr(buf, "stroke-dasharray") && strstr(buf, ">limit 6.5 %<"),
	   "%s", "svg_plot: dashed limit line with its label");
	ok(strstr(buf, ">optimum 8 mW<") != NULL, "%s", "svg_plot: optimum marked");
	ok(strstr(buf, ">write power (mW)<") && strstr(buf, ">jitter (% of T)<"),
	   "%s", "svg_plot: axis labels");
	/* y axis: 4 x the limit = 26, cut into 5-steps: 0..30 */
	ok(strstr(buf, ">30</text>") && !strstr(buf, ">35</text>") &&
	   strstr(buf, ">10</text>"), "%s",
	   "svg_plot: y axis cut at four times the limit");
	for (c = buf; (c = strstr(c, "<circle")); c++)
		circles++;
	ok(circles == 5, "%s", "svg_plot: 4 points and the legend dot");
	ok(strstr(buf, "nan") == NULL && strstr(buf, "inf") == NULL, "%s",
	   "svg_plot: no nan or inf");
	free(buf);
}

static void check_fmt(uint64_t v, unsigned int dec, bool trim,
		      const char *want)
{
	char buf[FIXED_BUFSZ];

	fmt_fixed(buf, sizeof(buf), v, dec, trim);
	ok(!strcmp(buf, want), "fmt_fixed -> %s", want);
	if (strcmp(buf, want))
		printf("# got %s\n", buf);
}

static struct optsim_quality_rec qrec(uint32_t ldc, uint32_t bis,
				      uint32_t jitter, uint32_t flags)
{
	struct optsim_quality_rec r = {
		.ldc = ldc, .bis = bis, .jitter = jitter,
		.flags = OPTSIM_QUALITY_F_RECORDED | flags,
	};

	return r;
}

static void check_scanplot(void)
{
	struct optsim_quality_rec r;
	struct scanplot sp;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok(scanplot_init(&sp, 0, 0, 1) == -EINVAL &&
	   scanplot_init(&sp, 32, 1, 2) == -EINVAL, "%s",
	   "scanplot_init: refuses an empty or impossible range");

	/* 2 x 2048 clusters: bins of 3, 683 a layer, the last one of 2 */
	ok(!scanplot_init(&sp, 2048, 0, 2) && sp.per_bin == 3 &&
	   sp.nbins == 1366 && sp.nbins <= SCANPLOT_MAX_BINS + 2 &&
	   sp.layer_bin[1] == 683 && sp.bins[682].clusters == 2 &&
	   sp.bins[683].first == 2048 && sp.bins[683].layer == 1,
	   "%s", "scanplot_init: bins of a layer never cross into the next");
	r = qrec(4, 1, 520, 0);
	scanplot_add(&sp, 3, &r);
	r = qrec(9, 0, 510, OPTSIM_QUALITY_F_UNCORRECTABLE);
	scanplot_add(&sp, 4, &r);
	r = qrec(2, 5, 700, 0);
	scanplot_add(&sp, 5, &r);
	memset(&r, 0, sizeof(r));
	scanplot_add(&sp, 2049, &r);
	ok(sp.bins[1].recorded == 3 && sp.bins[1].ldc == 9 &&
	   sp.bins[1].bis == 5 && sp.bins[1].jitter == 700 &&
	   sp.bins[1].unreadable == 1 && !sp.bins[0].recorded &&
	   !sp.bins[683].recorded, "%s",
	   "scanplot_add: a bin holds the maximum of its recorded clusters");

	sp.title = "scan <1>";
	sp.ldc_limit = 15;
	sp.bis_limit = 15;
	sp.jitter_limit[0] = 650;
	sp.jitter_limit[1] = 850;
	f = open_memstream(&buf, &len);
	if (!f) {
		ok(0, "%s", "scanplot_svg (open_memstream)");
		scanplot_free(&sp);
		return;
	}
	scanplot_svg(f, &sp);
	fclose(f);
	ok(!strncmp(buf, "<?xml", 5) && !strcmp(buf + len - 7, "</svg>\n") &&
	   strstr(buf, "<title>scan &lt;1&gt;</title>") &&
	   strstr(buf, "class=\"ldc\"") && strstr(buf, "class=\"bis\"") &&
	   strstr(buf, "class=\"jitter\"") &&
	   strstr(buf, "class=\"limit ldc-limit\"") &&
	   strstr(buf, "class=\"limit bis-limit\"") &&
	   strstr(buf, "class=\"layer-boundary\"") &&
	   strstr(buf, ">L0 | L1<") && strstr(buf, ">L1 limit 8.5 %<") &&
	   strstr(buf, "maximum of 3 clusters") &&
	   strstr(buf, "(MB, LBA order)"), "%s",
	   "scanplot_svg: panels, series, limits, boundary and legend");
	ok(strstr(buf, "nan") == NULL && strstr(buf, "inf") == NULL, "%s",
	   "scanplot_svg: no nan or inf");
	free(buf);
	scanplot_free(&sp);
}

int main(void)
{
	uint32_t m, s;

	check_u64("0", 0, 0);
	check_u64("12219392", 0, 12219392);
	check_u64("18446744073709551615", 0, UINT64_MAX);
	check_u64("18446744073709551616", -ERANGE, 0);
	check_u64("99999999999999999999999", -ERANGE, 0);
	check_u64("", -EINVAL, 0);
	check_u64(NULL, -EINVAL, 0);
	check_u64("-1", -EINVAL, 0);
	check_u64("+1", -EINVAL, 0);
	check_u64(" 1", -EINVAL, 0);
	check_u64("1 ", -EINVAL, 0);
	check_u64("12a", -EINVAL, 0);
	check_u64("0x10", -EINVAL, 0);
	check_u64("1.0", -EINVAL, 0);

	check_fixed("4.917", 3, 0, 4917);
	check_fixed("1.5", 3, 0, 1500);
	check_fixed("60", 3, 0, 60000);
	check_fixed("0", 3, 0, 0);
	check_fixed(".5", 3, 0, 500);
	check_fixed("2.", 3, 0, 2000);
	check_fixed("1.500000", 3, 0, 1500);
	check_fixed("007.25", 3, 0, 7250);
	check_fixed("4.9175", 3, -EINVAL, 0);
	check_fixed("1.0001", 3, -EINVAL, 0);
	check_fixed(".", 3, -EINVAL, 0);
	check_fixed("", 3, -EINVAL, 0);
	check_fixed("1..5", 3, -EINVAL, 0);
	check_fixed("1.5.", 3, -EINVAL, 0);
	check_fixed("-1", 3, -EINVAL, 0);
	check_fixed("1e3", 3, -EINVAL, 0);
	check_fixed("abc", 3, -EINVAL, 0);
	check_fixed("1,5", 3, -EINVAL, 0);
	check_fixed("18446744073709551615", 0, 0, UINT64_MAX);
	check_fixed("18446744073709551615", 3, -ERANGE, 0);
	check_fixed("18446744073709551.615", 3, 0, UINT64_MAX);
	check_fixed("18446744073709551.616", 3, -ERANGE, 0);

	check_speed("1", 0, 4917);
	check_speed("1x", 0, 4917);
	check_speed("2X", 0, 9834);
	check_speed("1.5", 0, 7376);	/* 7375.5 rounds up */
	check_speed("12.202", 0, 59997);
	check_speed("0.204", 0, 1003);
	check_speed("x", -EINVAL, 0);
	check_speed("", -EINVAL, 0);
	check_speed("2xx", -EINVAL, 0);
	check_speed("1.5.x", -EINVAL, 0);
	check_speed("99999999999999999", -ERANGE, 0);

	ok(mms_to_milli_x(4917) == 1000, "%s", "4917 mm/s is 1x");
	ok(mms_to_milli_x(7376) == 1500, "%s", "7376 mm/s is 1.5x");
	ok(mms_to_milli_x(60000) == 12203, "%s", "60000 mm/s is 12.203x");

	check_layer("0", false, 0, 0);
	check_layer("1", false, 0, 1);
	check_layer("2", false, -ERANGE, 0);
	check_layer("all", false, -EINVAL, 0);
	check_layer("all", true, 0, OPTSIM_LAYER_ALL);
	check_layer("ALL", true, -EINVAL, 0);
	check_layer("-1", true, -EINVAL, 0);
	check_layer("", true, -EINVAL, 0);

	check_sweep("power:4:12:0.5", 0, 4000, 12000, 500);
	check_sweep("power:0.1:50:0.001", 0, 100, 50000, 1);
	check_sweep("power:12:4:1", 0, 12000, 4000, 1000);	/* order: caller */
	check_sweep("power:4:12:0", 0, 4000, 12000, 0);	/* step: caller */
	check_sweep("power:4:12", -EINVAL, 0, 0, 0);
	check_sweep("power:4:12:1:2", -EINVAL, 0, 0, 0);
	check_sweep("power:4:12:-1", -EINVAL, 0, 0, 0);
	check_sweep("power:4::1", -EINVAL, 0, 0, 0);
	check_sweep("power:4:12:0.0005", -EINVAL, 0, 0, 0);
	check_sweep("power4:12:1", -EINVAL, 0, 0, 0);
	check_sweep("powers:4:12:1", -EINVAL, 0, 0, 0);
	check_sweep("velocity:4:12:1", -EINVAL, 0, 0, 0);
	check_sweep("", -EINVAL, 0, 0, 0);
	check_sweep(NULL, -EINVAL, 0, 0, 0);

	check_step(10, 8, 2);
	check_step(8, 8, 1);
	check_step(26, 6, 5);
	check_step(0.9, 6, 0.2);
	check_step(0.03, 8, 0.005);
	check_step(1000, 5, 200);
	check_step(0, 5, 1);
	check_step(-3, 5, 1);

	check_fmt(4917, 3, false, "4.917");
	check_fmt(5000, 3, false, "5.000");
	check_fmt(5000, 3, true, "5");
	check_fmt(1500, 3, true, "1.5");
	check_fmt(0, 3, true, "0");
	check_fmt(100, 3, false, "0.100");
	check_fmt(42, 0, true, "42");
	check_fmt(UINT64_MAX, 3, false, "18446744073709551.615");
	{
		char r[RANGE_BUFSZ];

		ok(!strcmp(fmt_range(r, sizeof(r), OPTSIM_VELOCITY_MIN_MMS,
				     OPTSIM_VELOCITY_MAX_MMS, 3, "m/s"),
			   "1.000..60.000 m/s"), "%s", "velocity range text");
	}
	ok(layer_sectors_valid(OPTSIM_LAYER_SECTORS_MIN) &&
	   layer_sectors_valid(OPTSIM_LAYER_SECTORS_MAX) &&
	   layer_sectors_valid(16777216), "%s", "layer sizes: the limits, 16777216");
	ok(!layer_sectors_valid(OPTSIM_LAYER_SECTORS_MIN - 32) &&
	   !layer_sectors_valid(OPTSIM_LAYER_SECTORS_MAX + 32) &&
	   !layer_sectors_valid(OPTSIM_LAYER_SECTORS_MIN + 1) &&
	   !layer_sectors_valid(67108864), "%s",
	   "layer sizes: beyond the limits, off the cluster, 67108864");
	ok(!strcmp(media_name_list(" or "), "bd-r, bd-r-dl, bd-re or bd-re-dl") &&
	   !strcmp(media_name_list(", "), "bd-r, bd-r-dl, bd-re, bd-re-dl"),
	   "%s", "media name lists");
	ok(!strcmp(strategy_name_list(" or "), "single, multi, castle or auto") &&
	   !strcmp(strategy_name_list(", "), "single, multi, castle, auto"),
	   "%s", "strategy name lists, auto last");

	ok(!media_from_name("bd-r-dl", &m) && m == OPTSIM_MEDIA_BD_R_DL,
	   "%s", "media bd-r-dl");
	ok(!media_from_name("bd-re", &m) && m == OPTSIM_MEDIA_BD_RE,
	   "%s", "media bd-re");
	ok(media_from_name("none", &m) == -EINVAL, "%s", "media none refused");
	ok(media_from_name("BD-R", &m) == -EINVAL, "%s", "media BD-R refused");
	ok(media_from_name("dvd", &m) == -EINVAL, "%s", "media dvd refused");
	for (m = 0; m <= OPTSIM_MEDIA_BD_RE_DL; m++) {
		uint32_t back = 99;

		ok(m == 0 ? !strcmp(media_name(m), "none") :
		   !media_from_name(media_name(m), &back) && back == m,
		   "media name round trip %s", media_name(m));
	}
	ok(!strcmp(media_name(5), "unknown"), "%s", "media 5 is unknown");
	for (s = 0; s <= OPTSIM_STRATEGY_CASTLE; s++) {
		uint32_t back = 99;

		ok(!strategy_from_name(strategy_name(s), &back) && back == s,
		   "strategy name round trip %s", strategy_name(s));
	}
	ok(!strcmp(strategy_name(OPTSIM_STRATEGY_AUTO), "auto"), "%s",
	   "strategy 0 is auto");
	ok(strategy_from_name("Multi", &s) == -EINVAL, "%s",
	   "strategy Multi refused");
	ok(!strcmp(strategy_name(9), "unknown"), "%s", "strategy 9 unknown");

	check_out(esc_plain, "\"bd-re-dl\"", "json_escape plain");
	check_out(esc_quote, "\"a\\\"b\\\\c/d\"", "json_escape quote and backslash");
	check_out(esc_ctrl, "\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"",
		  "json_escape control characters");
	check_out(esc_utf8, "\"/dev/\xc3\xa9t\xc3\xa9\"",
		  "json_escape keeps UTF-8");
	check_out(esc_empty, "\"\"", "json_escape empty");
	check_out(esc_null, "\"\"", "json_escape NULL");
	check_out(doc_nested,
		  "{\"device\":\"/dev/\\\"x\\\"\",\"t\":true,\"f\":false,"
		  "\"nwa\":null,\"big\":18446744073709551615,\"a\":[1,2],"
		  "\"empty\":[],\"layers\":[{\"v\":4.917,\"w\":5,\"x\":1.5},"
		  "{}]}\n",
		  "json document with nesting and commas");
	check_out(doc_or_null, "{\"sr\":\"/dev/sr0\",\"sg\":null}\n",
		  "json_string_or_null: the string, or null when empty");

	check_out(dbl_doc, "[0.5,3.873e-05,1,0,null,null]\n",
		  "json_double: %.4g, null for inf and nan");
	check_out(svg_esc, "a&lt;b&gt;&amp;&quot;c&apos;d", "svg_escape");
	check_svg();
	check_scanplot();

	printf("1..%d\n", ntest);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
