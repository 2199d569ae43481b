/* test_util.c — lib/util: dates, periods, exact rounding, UTF-8, arena, strbuf. */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "util/arena.h"
#include "util/date.h"
#include "util/decimal.h"
#include "util/strbuf.h"
#include "util/alloc.h"
#include "util/utf8.h"

static vp_date D(const char *s)
{
    vp_date d = VP_NO_DATE;
    if (!vp_date_parse(s, &d))
        fprintf(stderr, "bad test date %s\n", s);
    return d;
}

static vp_period P(const char *s)
{
    vp_period p = {0};
    if (!vp_period_parse(s, &p))
        fprintf(stderr, "bad test period %s\n", s);
    return p;
}

static const char *iso(vp_date d, char buf[11])
{
    vp_date_format_iso(d, buf);
    return buf;
}

/* ---- dates ---- */

static void test_date_epoch_and_roundtrip(void)
{
    CHECK_EQ_INT(vp_date_from_ymd(1970, 1, 1), 0);
    CHECK_EQ_INT(vp_date_from_ymd(2000, 3, 1), 11017);
    CHECK_EQ_INT(vp_date_from_ymd(1969, 12, 31), -1);
    /* Every day from 1899 to 2101 survives ymd -> days -> ymd, and days are consecutive. */
    vp_date prev = vp_date_from_ymd(1899, 12, 31);
    int bad = 0;
    for (int y = 1900; y <= 2100; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= vp_days_in_month(y, m); d++) {
                vp_date x = vp_date_from_ymd(y, m, d);
                int yy, mm, dd;
                vp_date_to_ymd(x, &yy, &mm, &dd);
                if (x != prev + 1 || yy != y || mm != m || dd != d)
                    bad++;
                prev = x;
            }
    CHECK_EQ_INT(bad, 0);
}

static void test_date_leap(void)
{
    CHECK(vp_is_leap_year(2024));
    CHECK(!vp_is_leap_year(2025));
    CHECK(!vp_is_leap_year(2100));
    CHECK(vp_is_leap_year(2000));
    CHECK_EQ_INT(vp_days_in_month(2024, 2), 29);
    CHECK_EQ_INT(vp_days_in_month(2025, 2), 28);
    CHECK_EQ_INT(vp_days_in_month(2025, 13), 0);
    vp_date d;
    CHECK(vp_date_parse("2024-02-29", &d));
    CHECK_EQ_INT(d + 1, D("2024-03-01"));
    CHECK_EQ_INT(D("2025-03-01") - D("2024-02-29"), 366);
    CHECK(!vp_date_parse("2025-02-29", &d));
    CHECK(!vp_date_parse("2100-02-29", &d));
    CHECK(vp_date_parse("2000-02-29", &d));
}

static void test_date_parse_rejects(void)
{
    vp_date d = 12345;
    const char *bad[] = {"2025-02-30", "2025-13-01", "2025-00-10", "2025-04-31", "2025-1-01",
                         "2025/01/01", "0000-01-01", "2025-01-01T", " 2025-01-01", "",
                         "2025-01-0a", "20250101xx"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!vp_date_parse(bad[i], &d));
    CHECK(!vp_date_parse(NULL, &d));
    CHECK_EQ_INT(d, 12345);   /* untouched on failure */
    CHECK(vp_date_parse("9999-12-31", &d));
    CHECK(vp_date_parse("0001-01-01", &d));
}

static void test_date_format_and_unix(void)
{
    char b[11];
    CHECK_STR(iso(D("2025-09-30"), b), "2025-09-30");
    CHECK_STR(iso(vp_date_from_unix(1760000000), b), "2025-10-09");
    CHECK_STR(iso(vp_date_from_unix(0), b), "1970-01-01");
    CHECK_STR(iso(vp_date_from_unix(-1), b), "1969-12-31");
    CHECK_STR(iso(vp_date_from_unix(86399), b), "1970-01-01");
    CHECK_STR(iso(vp_date_from_unix(86400), b), "1970-01-02");
    CHECK_STR(iso(vp_date_from_unix(-86400), b), "1969-12-31");
    CHECK_STR(iso(vp_date_from_unix(-86401), b), "1969-12-30");
}

static void test_date_whole_months(void)
{
    CHECK_EQ_INT(vp_date_whole_months(D("2025-01-01"), D("2025-01-01")), 0);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-01-15"), D("2025-04-14")), 2);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-01-15"), D("2025-04-15")), 3);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-01-31"), D("2025-02-28")), 1);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-01-31"), D("2025-02-27")), 0);
    CHECK_EQ_INT(vp_date_whole_months(D("2024-01-31"), D("2024-02-29")), 1);
    CHECK_EQ_INT(vp_date_whole_months(D("2024-01-30"), D("2024-02-29")), 1);
    CHECK_EQ_INT(vp_date_whole_months(D("2024-02-29"), D("2025-02-28")), 12);
    CHECK_EQ_INT(vp_date_whole_months(D("2024-02-29"), D("2024-03-28")), 0);
    CHECK_EQ_INT(vp_date_whole_months(D("2024-02-29"), D("2024-03-29")), 1);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-01-01"), D("2025-12-31")), 11);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-01-01"), D("2026-01-01")), 12);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-04-15"), D("2025-01-15")), -3);
    CHECK_EQ_INT(vp_date_whole_months(D("2025-04-15"), D("2025-01-16")), -2);
}

/* ---- periods ---- */

static void test_period_parse_format(void)
{
    vp_period p;
    char b[8];
    CHECK(vp_period_parse("2025-Q3", &p));
    CHECK_EQ_INT(p.kind, VP_PERIOD_QUARTER);
    CHECK_EQ_INT(p.num, 3);
    CHECK_EQ_INT(p.year, 2025);
    vp_period_format(p, b);
    CHECK_STR(b, "2025-Q3");
    CHECK(vp_period_parse("2025-09", &p));
    CHECK_EQ_INT(p.kind, VP_PERIOD_MONTH);
    CHECK_EQ_INT(p.num, 9);
    vp_period_format(p, b);
    CHECK_STR(b, "2025-09");
    const char *bad[] = {"2025-Q5", "2025-Q0", "2025-13", "2025-00", "2025-q1", "2025Q1",
                         "25-Q1", "2025-Q12", "2025-9", "0000-Q1", "", "2025-Qa"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!vp_period_parse(bad[i], &p));
    CHECK(!vp_period_parse(NULL, &p));
    vp_period none = {0};
    vp_period_format(none, b);
    CHECK_STR(b, "");
}

static void test_period_bounds_fiscal(void)
{
    char b[11];
    /* Calendar quarters. */
    CHECK_STR(iso(vp_period_start(P("2025-Q3"), 1), b), "2025-07-01");
    CHECK_STR(iso(vp_period_end(P("2025-Q3"), 1), b), "2025-09-30");
    CHECK_STR(iso(vp_period_end(P("2025-Q4"), 1), b), "2025-12-31");
    /* SPEC §2: fiscal year starting in April; 2025-Q4 crosses into 2026. */
    CHECK_STR(iso(vp_period_start(P("2025-Q1"), 4), b), "2025-04-01");
    CHECK_STR(iso(vp_period_end(P("2025-Q1"), 4), b), "2025-06-30");
    CHECK_STR(iso(vp_period_start(P("2025-Q4"), 4), b), "2026-01-01");
    CHECK_STR(iso(vp_period_end(P("2025-Q4"), 4), b), "2026-03-31");
    /* December start: Q1 spans the year end and February's leap day. */
    CHECK_STR(iso(vp_period_start(P("2023-Q1"), 12), b), "2023-12-01");
    CHECK_STR(iso(vp_period_end(P("2023-Q1"), 12), b), "2024-02-29");
    /* Months ignore the fiscal year; February in a leap year. */
    CHECK_STR(iso(vp_period_start(P("2024-02"), 4), b), "2024-02-01");
    CHECK_STR(iso(vp_period_end(P("2024-02"), 4), b), "2024-02-29");
    CHECK_STR(iso(vp_period_end(P("2025-02"), 1), b), "2025-02-28");
    CHECK_STR(iso(vp_period_end(P("2025-12"), 1), b), "2025-12-31");
}

static void test_period_prev_quarter_of(void)
{
    char b[8];
    vp_period_format(vp_period_prev(P("2025-Q1")), b);
    CHECK_STR(b, "2024-Q4");
    vp_period_format(vp_period_prev(P("2025-Q3")), b);
    CHECK_STR(b, "2025-Q2");
    vp_period_format(vp_period_prev(P("2025-01")), b);
    CHECK_STR(b, "2024-12");
    vp_period_format(vp_period_prev(P("2025-10")), b);
    CHECK_STR(b, "2025-09");
    vp_period_format(vp_period_quarter_of(D("2025-09-30"), 1), b);
    CHECK_STR(b, "2025-Q3");
    vp_period_format(vp_period_quarter_of(D("2025-10-01"), 1), b);
    CHECK_STR(b, "2025-Q4");
    vp_period_format(vp_period_quarter_of(D("2026-02-15"), 4), b);
    CHECK_STR(b, "2025-Q4");
    vp_period_format(vp_period_quarter_of(D("2025-03-31"), 4), b);
    CHECK_STR(b, "2024-Q4");
    vp_period_format(vp_period_quarter_of(D("2025-04-01"), 4), b);
    CHECK_STR(b, "2025-Q1");
    vp_period_format(vp_period_quarter_of(D("2024-02-29"), 12), b);
    CHECK_STR(b, "2023-Q1");
}

static void test_period_cmp_within(void)
{
    /* Ordered by last day; a quarter wins a tie with the month that ends it. */
    CHECK(vp_period_cmp(P("2025-Q3"), P("2025-09"), 1) > 0);
    CHECK(vp_period_cmp(P("2025-09"), P("2025-Q3"), 1) < 0);
    CHECK(vp_period_cmp(P("2025-08"), P("2025-Q3"), 1) < 0);
    CHECK(vp_period_cmp(P("2025-10"), P("2025-Q3"), 1) > 0);
    CHECK_EQ_INT(vp_period_cmp(P("2025-Q3"), P("2025-Q3"), 1), 0);
    CHECK(vp_period_cmp(P("2025-Q4"), P("2026-01"), 4) > 0);   /* ends 2026-03-31 */
    CHECK(vp_period_cmp(P("2025-Q4"), P("2026-03"), 4) > 0);   /* tie: the quarter */
    CHECK(vp_period_cmp(P("2025-Q4"), P("2026-04"), 4) < 0);
    CHECK(vp_period_cmp(P("2025-Q4"), P("2025-Q4"), 4) == 0);
    CHECK(vp_period_within(P("2025-09"), P("2025-Q3"), 1));
    CHECK(vp_period_within(P("2025-Q3"), P("2025-Q3"), 1));
    CHECK(!vp_period_within(P("2025-Q3"), P("2025-09"), 1));
    CHECK(!vp_period_within(P("2025-10"), P("2025-Q3"), 1));
    CHECK(vp_period_within(P("2026-02"), P("2025-Q4"), 4));
    CHECK(!vp_period_within(P("2025-12"), P("2025-Q4"), 4));
    CHECK(vp_period_eq(P("2025-Q1"), P("2025-Q1")));
    CHECK(!vp_period_eq(P("2025-Q1"), P("2025-01")));
}

/* ---- exact rounding ---- */

static void test_div_round(void)
{
    CHECK_EQ_INT(vp_div_round(5, 2), 3);
    CHECK_EQ_INT(vp_div_round(-5, 2), -3);
    CHECK_EQ_INT(vp_div_round(5, -2), -3);
    CHECK_EQ_INT(vp_div_round(-5, -2), 3);
    CHECK_EQ_INT(vp_div_round(7, 2), 4);
    CHECK_EQ_INT(vp_div_round(1, 3), 0);
    CHECK_EQ_INT(vp_div_round(2, 3), 1);
    CHECK_EQ_INT(vp_div_round(-2, 3), -1);
    CHECK_EQ_INT(vp_div_round(-1, 3), 0);
    CHECK_EQ_INT(vp_div_round(0, 7), 0);
    /* 120,750 × 0.93 = 112,297.5 -> 112,298 in cents and hundredths of a percent. */
    CHECK_EQ_INT(vp_div_round((vp_i128)12075000 * 9300, (vp_i128)100 * 10000), 112298);
    /* Large values stay exact in 128 bits. */
    vp_i128 big = (vp_i128)900000000000000LL * 10500;
    CHECK_EQ_INT(vp_div_round(big, 1000000), 9450000000000LL);
}

static void test_decimal_scaled(void)
{
    int64_t v = -1;
    CHECK(vp_decimal_scaled(0.07, 2, &v));
    CHECK_EQ_INT(v, 7);
    CHECK(vp_decimal_scaled(1234.5, 2, &v));
    CHECK_EQ_INT(v, 123450);
    CHECK(vp_decimal_scaled(120750, 2, &v));
    CHECK_EQ_INT(v, 12075000);
    CHECK(vp_decimal_scaled(-3.14, 2, &v));
    CHECK_EQ_INT(v, -314);
    CHECK(vp_decimal_scaled(0.1 + 0.2, 2, &v));   /* binary noise, not a third decimal */
    CHECK_EQ_INT(v, 30);
    CHECK(vp_decimal_scaled(1e13, 2, &v));
    CHECK_EQ_INT(v, 1000000000000000LL);
    CHECK(!vp_decimal_scaled(0.005, 2, &v));
    CHECK(!vp_decimal_scaled(12.345, 2, &v));
    CHECK(!vp_decimal_scaled(1e17, 2, &v));
    CHECK(!vp_decimal_scaled(NAN, 2, &v));
    CHECK(!vp_decimal_scaled(INFINITY, 2, &v));
}

static void test_round_half_away(void)
{
    CHECK_EQ_DBL(vp_round_half_away(88.75, 1), 88.8);
    CHECK_EQ_DBL(vp_round_half_away(88.74999999999999, 1), 88.8);   /* noise, a half */
    CHECK_EQ_DBL(vp_round_half_away(88.74, 1), 88.7);
    CHECK_EQ_DBL(vp_round_half_away(2.5, 0), 3);
    CHECK_EQ_DBL(vp_round_half_away(-2.5, 0), -3);
    CHECK_EQ_DBL(vp_round_half_away(1.005, 2), 1.01);   /* 1.00499999999999989... */
    CHECK_EQ_DBL(vp_round_half_away(0.125, 2), 0.13);
    CHECK_EQ_DBL(vp_round_half_away(-0.125, 2), -0.13);
    CHECK_EQ_DBL(vp_round_half_away(1234.4999, 0), 1234);
    CHECK_EQ_DBL(vp_round_half_away(120750 * 0.93, 0), 112298);   /* 112297.49999999999 */
    CHECK_EQ_DBL(vp_round_half_away(1000010 * 1.05, 0), 1050011); /* 1050010.5 */
    /* Noise on a half above a million units (money): still a half. */
    CHECK_EQ_DBL(vp_round_half_away(1500001.4999999998, 0), 1500002);
    CHECK_EQ_DBL(vp_round_half_away(-1500001.4999999998, 0), -1500002);
    CHECK_EQ_DBL(vp_round_half_away(123456789.49999999, 0), 123456790);
    /* ...but a real difference is kept. */
    CHECK_EQ_DBL(vp_round_half_away(1500001.49, 0), 1500001);
    CHECK_EQ_DBL(vp_round_half_away(1500001.4999, 0), 1500001);
    /* Never -0. */
    double z = vp_round_half_away(-0.04, 1);
    CHECK(z == 0 && !signbit(z));
    CHECK(isnan(vp_round_half_away(NAN, 1)));
    CHECK(isinf(vp_round_half_away(INFINITY, 1)));
    CHECK_EQ_DBL(vp_round_half_away(1e300, 2), 1e300);
    double nz = vp_no_negative_zero(-0.0);
    CHECK(nz == 0 && !signbit(nz));
    CHECK_EQ_DBL(vp_no_negative_zero(-1.5), -1.5);
}

/* ---- UTF-8 ---- */

static void test_utf8(void)
{
    size_t len;
    CHECK_EQ_INT(vp_utf8_decode("A", 1, &len), 'A');
    CHECK_EQ_INT(len, 1);
    CHECK_EQ_INT(vp_utf8_decode("\xE4\xB8\xAD", 3, &len), 0x4E2D);   /* 中 */
    CHECK_EQ_INT(len, 3);
    CHECK_EQ_INT(vp_utf8_decode("\xF0\x9F\x98\x80", 4, &len), 0x1F600);
    CHECK_EQ_INT(len, 4);
    CHECK_EQ_INT(vp_utf8_decode("\xC0\x80", 2, &len), VP_UTF8_INVALID);   /* overlong */
    CHECK_EQ_INT(len, 1);
    CHECK_EQ_INT(vp_utf8_decode("\xED\xA0\x80", 3, &len), VP_UTF8_INVALID); /* surrogate */
    CHECK_EQ_INT(vp_utf8_decode("\xE4\xB8", 2, &len), VP_UTF8_INVALID);   /* truncated */
    CHECK_EQ_INT(vp_utf8_decode("\xF4\x90\x80\x80", 4, &len), VP_UTF8_INVALID); /* > 10FFFF */
    CHECK_EQ_INT(vp_utf8_decode("", 0, &len), VP_UTF8_INVALID);

    char out[4];
    CHECK_EQ_INT(vp_utf8_encode(0x4E2D, out), 3);
    CHECK(memcmp(out, "\xE4\xB8\xAD", 3) == 0);
    CHECK_EQ_INT(vp_utf8_encode(0x2212, out), 3);
    CHECK(memcmp(out, "\xE2\x88\x92", 3) == 0);
    CHECK_EQ_INT(vp_utf8_encode(0xE9, out), 2);
    CHECK_EQ_INT(vp_utf8_encode(0x1F600, out), 4);
    CHECK_EQ_INT(vp_utf8_encode(0xD800, out), 0);
    CHECK_EQ_INT(vp_utf8_encode(0x110000, out), 0);

    size_t bad = 99;
    const char *s = "ab\xE4\xB8\xAD\xFF";
    CHECK(vp_utf8_valid(s, 5, &bad));
    CHECK(!vp_utf8_valid(s, 6, &bad));
    CHECK_EQ_INT(bad, 5);
    CHECK_EQ_INT(vp_utf8_length("\xE4\xB8\xAD\xE6\x96\x87" "ab"), 4);   /* 中文ab */
    CHECK_EQ_INT(vp_utf8_columns("\xE4\xB8\xAD\xE6\x96\x87" "ab"), 6);
    CHECK(vp_utf8_is_wide(0x4E2D));
    CHECK(vp_utf8_is_wide(0xFF08));    /* （ fullwidth paren */
    CHECK(!vp_utf8_is_wide('A'));
    CHECK(!vp_utf8_is_wide(0x2212));
}

/* ---- arena ---- */

static void test_arena(void)
{
    vp_arena a;
    vp_arena_init(&a, 256);
    char *p1 = vp_arena_alloc(&a, 3);
    double *p2 = vp_arena_alloc(&a, sizeof(double));
    CHECK(p1 && p2);
    CHECK(((uintptr_t)p2 % _Alignof(max_align_t)) == 0);
    *p2 = 1.5;
    /* Zero-filled, also after a reset reuses the memory. */
    unsigned char *big = vp_arena_alloc(&a, 10000);   /* larger than a chunk */
    CHECK(big != NULL);
    int nonzero = 0;
    for (int i = 0; i < 10000; i++)
        nonzero += big[i] != 0;
    CHECK_EQ_INT(nonzero, 0);
    memset(big, 0xAB, 10000);
    /* The current chunk keeps serving small allocations after a big one. */
    char *p3 = vp_arena_alloc(&a, 8);
    CHECK(p3 != NULL);
    CHECK_EQ_DBL(*p2, 1.5);
    CHECK(vp_arena_calloc(&a, SIZE_MAX / 2, 4) == NULL);   /* overflow */
    CHECK_STR(vp_arena_strdup(&a, "\xE4\xB8\xAD\xE6\x96\x87"), "\xE4\xB8\xAD\xE6\x96\x87");
    CHECK(vp_arena_strdup(&a, NULL) == NULL);
    CHECK_STR(vp_arena_strndup(&a, "abcdef", 3), "abc");
    CHECK_STR(vp_arena_printf(&a, "%s-%d", "Q", 3), "Q-3");
    vp_arena_reset(&a);
    unsigned char *again = vp_arena_alloc(&a, 64);
    CHECK(again != NULL);
    nonzero = 0;
    for (int i = 0; i < 64; i++)
        nonzero += again[i] != 0;
    CHECK_EQ_INT(nonzero, 0);
    vp_arena_destroy(&a);
    vp_arena_destroy(&a);   /* idempotent */
}

/* ---- strbuf ---- */

static void test_strbuf(void)
{
    vp_strbuf b = VP_STRBUF_INIT;
    CHECK_STR(vp_strbuf_cstr(&b), "");
    CHECK(vp_strbuf_puts(&b, "value "));
    CHECK(vp_strbuf_printf(&b, "%d%%", 97));
    CHECK(vp_strbuf_putc(&b, ' '));
    CHECK(vp_strbuf_put_utf8(&b, 0x2212));
    CHECK(vp_strbuf_append(&b, "12xyz", 2));
    CHECK_STR(vp_strbuf_cstr(&b), "value 97% \xE2\x88\x92" "12");
    CHECK_EQ_INT(b.len, strlen("value 97% \xE2\x88\x92" "12"));
    /* Growth across many appends keeps the content. */
    for (int i = 0; i < 1000; i++)
        vp_strbuf_putc(&b, (char)('a' + i % 26));
    CHECK_EQ_INT(b.len, 15 + 1000);
    CHECK(b.data[b.len] == '\0');
    CHECK(!vp_strbuf_failed(&b));
    vp_strbuf_clear(&b);
    CHECK_STR(vp_strbuf_cstr(&b), "");
    vp_strbuf_puts(&b, "kept");
    char *s = vp_strbuf_detach(&b);
    CHECK_STR(s, "kept");
    CHECK(b.data == NULL && b.len == 0);
    vp_free(s);
    char *e = vp_strbuf_detach(&b);   /* empty: still a valid "" */
    CHECK_STR(e, "");
    vp_free(e);
    vp_strbuf_free(&b);
}

int main(void)
{
    RUN(test_date_epoch_and_roundtrip);
    RUN(test_date_leap);
    RUN(test_date_parse_rejects);
    RUN(test_date_format_and_unix);
    RUN(test_date_whole_months);
    RUN(test_period_parse_format);
    RUN(test_period_bounds_fiscal);
    RUN(test_period_prev_quarter_of);
    RUN(test_period_cmp_within);
    RUN(test_div_round);
    RUN(test_decimal_scaled);
    RUN(test_round_half_away);
    RUN(test_utf8);
    RUN(test_arena);
    RUN(test_strbuf);
    return check_summary();
}
