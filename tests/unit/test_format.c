/* test_format.c — lib/format: every figure a user reads. */
#include <float.h>
#include <locale.h>
#include <pthread.h>

#include "check.h"
#include "format/format.h"

#define EN VP_LOCALE_EN
#define ZH VP_LOCALE_ZH_CN
#define M VP_MINUS

static char b[VP_FMT_MAX];

static vp_period P(const char *s)
{
    vp_period p = {0};
    vp_period_parse(s, &p);
    return p;
}

static vp_date D(const char *s)
{
    vp_date d = VP_NO_DATE;
    vp_date_parse(s, &d);
    return d;
}

static void test_number(void)
{
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 1234567.891, 2), "1,234,567.89");
    CHECK_STR(vp_fmt_number(b, sizeof b, ZH, 1234567.891, 2), "1,234,567.89");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 999.5, 0), "1,000");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 100, 0), "100");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 1000, 0), "1,000");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 0, 2), "0.00");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 0.5, 2), "0.50");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, -1234.5, 1), M "1,234.5");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, -2.5, 0), M "3");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 88.75, 1), "88.8");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 1.005, 2), "1.01");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 1e15, 0), "1,000,000,000,000,000");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 123456789012.25, 1), "123,456,789,012.3");
    /* No "-0", no "nan", no "inf". */
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, -0.0, 0), "0");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, -0.004, 2), "0.00");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, NAN, 2), VP_FMT_NONE);
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, INFINITY, 2), VP_FMT_NONE);
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, -INFINITY, 2), VP_FMT_NONE);
    /* Enormous values print without a fraction while they fit; beyond, no number at all
     * rather than a cut-off one. */
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 1e26, 2), "100,000,000,000,000,004,764,729,344");
    CHECK_STR(vp_fmt_money(b, sizeof b, ZH, "CNY", -1e26),
              M "\xC2\xA5" "100,000,000,000,000,004,764,729,344");
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, 1e30, 2), VP_FMT_NONE);
    CHECK_STR(vp_fmt_number(b, sizeof b, EN, DBL_MAX, 0), VP_FMT_NONE);
}

static void test_value(void)
{
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, 45, 2), "45");
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, 5.50, 2), "5.5");
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, 1234.5, 2), "1,234.5");
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, 0.953, 2), "0.95");
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, 2.999, 2), "3");
    CHECK_STR(vp_fmt_value(b, sizeof b, ZH, 33, 2), "33");
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, -12.10, 2), M "12.1");
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, -0.001, 2), "0");
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, 100, 0), "100");   /* zeros of integers stay */
    CHECK_STR(vp_fmt_value(b, sizeof b, EN, NAN, 2), VP_FMT_NONE);

    CHECK_STR(vp_fmt_signed_value(b, sizeof b, EN, 5.4, 1), "+5.4");
    CHECK_STR(vp_fmt_signed_value(b, sizeof b, EN, -12, 1), M "12");
    CHECK_STR(vp_fmt_signed_value(b, sizeof b, EN, 0, 1), "0");
    CHECK_STR(vp_fmt_signed_value(b, sizeof b, EN, -0.04, 1), "0");
    CHECK_STR(vp_fmt_signed_value(b, sizeof b, EN, 0.04, 1), "0");
    CHECK_STR(vp_fmt_signed_value(b, sizeof b, EN, 1500, 0), "+1,500");
    CHECK_STR(vp_fmt_signed_value(b, sizeof b, EN, NAN, 1), VP_FMT_NONE);
}

static void test_percent(void)
{
    CHECK_STR(vp_fmt_percent(b, sizeof b, EN, 26.67, 1), "26.7%");
    CHECK_STR(vp_fmt_percent(b, sizeof b, ZH, 26.67, 1), "26.7%");
    CHECK_STR(vp_fmt_percent(b, sizeof b, EN, 97, 0), "97%");
    CHECK_STR(vp_fmt_percent(b, sizeof b, EN, -26.666, 1), M "26.7%");
    CHECK_STR(vp_fmt_percent(b, sizeof b, EN, NAN, 1), VP_FMT_NONE);
    CHECK_STR(vp_fmt_signed_percent(b, sizeof b, EN, 5.44, 1), "+5.4%");
    CHECK_STR(vp_fmt_signed_percent(b, sizeof b, EN, -26.666666666666668, 1), M "26.7%");
    CHECK_STR(vp_fmt_signed_percent(b, sizeof b, EN, -0.01, 1), "0.0%");
    CHECK_STR(vp_fmt_signed_percent(b, sizeof b, EN, 0, 0), "0%");
    CHECK_STR(vp_fmt_signed_percent(b, sizeof b, EN, INFINITY, 1), VP_FMT_NONE);
    CHECK_STR(vp_fmt_ratio(b, sizeof b, EN, 0.8, 0), "80%");
    CHECK_STR(vp_fmt_ratio(b, sizeof b, EN, 0.737, 1), "73.7%");
    CHECK_STR(vp_fmt_ratio(b, sizeof b, EN, 258.0 / 350.0, 1), "73.7%");
    CHECK_STR(vp_fmt_ratio(b, sizeof b, EN, 0.0005, 1), "0.1%");
    CHECK_STR(vp_fmt_ratio(b, sizeof b, EN, -0.0004, 1), "0.0%");
    CHECK_STR(vp_fmt_ratio(b, sizeof b, EN, NAN, 1), VP_FMT_NONE);
    CHECK_STR(vp_fmt_multiple(b, sizeof b, EN, 1.8), "1.8\xC3\x97");
    CHECK_STR(vp_fmt_multiple(b, sizeof b, ZH, 0.8), "0.8\xC3\x97");
    CHECK_STR(vp_fmt_multiple(b, sizeof b, EN, 12.25), "12.3\xC3\x97");
    CHECK_STR(vp_fmt_multiple(b, sizeof b, EN, NAN), VP_FMT_NONE);
}

static void test_money(void)
{
    CHECK_STR(vp_fmt_money(b, sizeof b, ZH, "CNY", 1260000), "\xC2\xA5" "1,260,000");
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, "USD", 1260000), "$1,260,000");
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, "EUR", 1260000), "EUR 1,260,000");
    CHECK_STR(vp_fmt_money(b, sizeof b, ZH, "CNY", -5000), M "\xC2\xA5" "5,000");
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, "EUR", -5000), M "EUR 5,000");
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, "USD", 112297.5), "$112,298");
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, "USD", -0.4), "$0");
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, "USD", 0), "$0");
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, "USD", NAN), VP_FMT_NONE);
    CHECK_STR(vp_fmt_money(b, sizeof b, EN, NULL, 960), "960");
    CHECK_STR(vp_currency_symbol("CNY"), "\xC2\xA5");
    CHECK_STR(vp_currency_symbol("USD"), "$");
    CHECK_STR(vp_currency_symbol("EUR"), "EUR");
    CHECK_STR(vp_currency_symbol(NULL), "");
}

static void test_money_short(void)
{
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 1260000), "$1.26M");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 960000), "$960K");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "CNY", 1260000), "\xC2\xA5" "1.26M");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 1000000), "$1M");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 12345678), "$12.3M");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 999999), "$1M");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 999), "$999");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 9999.6), "$10K");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", 2500000000.0), "$2.5B");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", -960000), M "$960K");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "EUR", 1260000), "EUR 1.26M");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, ZH, "CNY", 1260000), "\xC2\xA5" "126\xE4\xB8\x87");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, ZH, "CNY", 120000000),
              "\xC2\xA5" "1.2\xE4\xBA\xBF");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, ZH, "CNY", 12600), "\xC2\xA5" "1.26\xE4\xB8\x87");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, ZH, "CNY", 99999999), "\xC2\xA5" "1\xE4\xBA\xBF");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, ZH, "CNY", 9600), "\xC2\xA5" "9,600");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, ZH, "CNY", 0), "\xC2\xA5" "0");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, ZH, "USD", 960000), "$96\xE4\xB8\x87");
    CHECK_STR(vp_fmt_money_short(b, sizeof b, EN, "USD", NAN), VP_FMT_NONE);
}

static void test_dates_periods(void)
{
    CHECK_STR(vp_fmt_date(b, sizeof b, ZH, D("2025-09-30")),
              "2025\xE5\xB9\xB4" "9\xE6\x9C\x88" "30\xE6\x97\xA5");
    CHECK_STR(vp_fmt_date(b, sizeof b, EN, D("2025-09-30")), "Sep 30, 2025");
    CHECK_STR(vp_fmt_date(b, sizeof b, EN, D("2024-02-29")), "Feb 29, 2024");
    CHECK_STR(vp_fmt_date(b, sizeof b, EN, VP_NO_DATE), VP_FMT_NONE);
    CHECK_STR(vp_fmt_period(b, sizeof b, ZH, P("2025-Q3"), 1),
              "2025\xE5\xB9\xB4\xE7\xAC\xAC" "3\xE5\xAD\xA3\xE5\xBA\xA6");
    CHECK_STR(vp_fmt_period(b, sizeof b, ZH, P("2025-09"), 1), "2025\xE5\xB9\xB4" "9\xE6\x9C\x88");
    CHECK_STR(vp_fmt_period(b, sizeof b, EN, P("2025-Q3"), 1), "Q3 2025");
    CHECK_STR(vp_fmt_period(b, sizeof b, EN, P("2025-09"), 1), "Sep 2025");
    CHECK_STR(vp_fmt_period(b, sizeof b, EN, P("2025-Q3"), 4), "FY2025 Q3");
    CHECK_STR(vp_fmt_period(b, sizeof b, ZH, P("2025-Q3"), 4),
              "2025\xE8\xB4\xA2\xE5\xB9\xB4\xE7\xAC\xAC" "3\xE5\xAD\xA3\xE5\xBA\xA6");
    CHECK_STR(vp_fmt_period(b, sizeof b, EN, P("2025-09"), 4), "Sep 2025");
    vp_period none = {0};
    CHECK_STR(vp_fmt_period(b, sizeof b, EN, none, 1), VP_FMT_NONE);
    CHECK_STR(vp_fmt_period_short(b, sizeof b, EN, P("2025-Q3")), "Q3'25");
    CHECK_STR(vp_fmt_period_short(b, sizeof b, ZH, P("2025-Q3")), "25Q3");
    CHECK_STR(vp_fmt_period_short(b, sizeof b, EN, P("2025-09")), "Sep'25");
    CHECK_STR(vp_fmt_period_short(b, sizeof b, ZH, P("2025-09")), "25-09");
    CHECK_STR(vp_fmt_period_short(b, sizeof b, ZH, P("2005-01")), "05-01");
    CHECK_STR(vp_fmt_period_short(b, sizeof b, EN, none), VP_FMT_NONE);
}

static void test_small_buffer(void)
{
    /* Truncation never splits a UTF-8 sequence and always terminates. */
    char small[6], smaller[5];
    vp_fmt_money(small, sizeof small, ZH, "CNY", -1260000);   /* "−¥1,260,000" */
    CHECK_STR(small, M "\xC2\xA5");
    vp_fmt_money(smaller, sizeof smaller, ZH, "CNY", -1260000);
    CHECK_STR(smaller, M);
    char tiny[2];
    vp_fmt_number(tiny, sizeof tiny, EN, 1234, 0);
    CHECK_STR(tiny, "1");
    char one[1] = {'x'};
    vp_fmt_number(one, sizeof one, EN, 1234, 0);
    CHECK(one[0] == '\0');
}

/* The formatters ignore the C locale (no LC_NUMERIC decimal comma) and can run in
 * several threads at once. */
static void *worker(void *arg)
{
    int *bad = arg;
    char buf[VP_FMT_MAX];
    for (int i = 0; i < 20000; i++) {
        vp_fmt_number(buf, sizeof buf, EN, 1234567.891, 2);
        if (strcmp(buf, "1,234,567.89") != 0)
            (*bad)++;
        vp_fmt_money_short(buf, sizeof buf, ZH, "CNY", 1260000);
        if (strcmp(buf, "\xC2\xA5" "126\xE4\xB8\x87") != 0)
            (*bad)++;
    }
    return NULL;
}

static void test_locale_independent_threads(void)
{
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        CHECK_STR(vp_fmt_number(b, sizeof b, EN, 0.5, 1), "0.5");
        CHECK_STR(vp_fmt_number(b, sizeof b, EN, 1e20, 0), "100,000,000,000,000,000,000");
    }
    pthread_t t[4];
    int bad[4] = {0};
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, worker, &bad[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(bad[i], 0);
    }
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    RUN(test_number);
    RUN(test_value);
    RUN(test_percent);
    RUN(test_money);
    RUN(test_money_short);
    RUN(test_dates_periods);
    RUN(test_small_buffer);
    RUN(test_locale_independent_threads);
    return check_summary();
}
