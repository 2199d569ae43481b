/* format.h — locale formatting in one place: numbers, percentages, money, dates.
 *
 * Every figure a user reads goes through these functions, so "-0", "nan" and "inf" can
 * never reach a page: a NaN or infinite input yields VP_FMT_NONE ("—"), and a value that
 * rounds to zero prints without a sign. Negative numbers use the true minus sign U+2212
 * ("−26.7%"), as typeset documents do.
 *
 * Each function writes a NUL-terminated string into buf (size >= VP_FMT_MAX is always
 * enough) and returns buf. */
#ifndef VP_FORMAT_H
#define VP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/account.h"
#include "../util/date.h"

#define VP_FMT_MAX 64
#define VP_FMT_NONE "\xE2\x80\x94"     /* "—" em dash: a value that cannot be computed */
#define VP_MINUS "\xE2\x88\x92"        /* "−" U+2212 */

/* 1234567.891 with 2 decimals -> "1,234,567.89" (both locales group by thousands). */
char *vp_fmt_number(char *buf, size_t size, vp_locale loc, double v, int decimals);
/* A KPI value: up to `max_decimals` decimals, trailing zeros dropped (45 -> "45",
 * 5.50 -> "5.5", 1234.5 -> "1,234.5"). */
char *vp_fmt_value(char *buf, size_t size, vp_locale loc, double v, int max_decimals);
/* A signed change: "+5.4", "−12" (zero: "0"). Same decimal rule as vp_fmt_value. */
char *vp_fmt_signed_value(char *buf, size_t size, vp_locale loc, double v, int max_decimals);
/* A percentage given in percent units: 26.67 with 1 decimal -> "26.7%". */
char *vp_fmt_percent(char *buf, size_t size, vp_locale loc, double pct, int decimals);
/* A signed percentage: "+5.4%", "−26.7%". */
char *vp_fmt_signed_percent(char *buf, size_t size, vp_locale loc, double pct, int decimals);
/* A ratio as a percentage: 0.8 -> "80%" (decimals 0), 0.737 -> "73.7%" (decimals 1). */
char *vp_fmt_ratio(char *buf, size_t size, vp_locale loc, double ratio, int decimals);
/* A multiple: 1.8 -> "1.8×" (one decimal). */
char *vp_fmt_multiple(char *buf, size_t size, vp_locale loc, double v);
/* Money in whole units: CNY "¥1,260,000", USD "$1,260,000", negative "−¥5,000"; other
 * ISO codes "EUR 1,260,000". */
char *vp_fmt_money(char *buf, size_t size, vp_locale loc, const char *currency, double v);
/* Compact money for tiles and chart labels: "¥1.26M" / "¥126万", "$960K". */
char *vp_fmt_money_short(char *buf, size_t size, vp_locale loc, const char *currency, double v);
/* The currency's symbol or code ("¥", "$", "EUR"), e.g. for column headers. */
const char *vp_currency_symbol(const char *currency);
/* A date: zh-CN "2025年9月30日", en "Sep 30, 2025"; VP_NO_DATE -> VP_FMT_NONE. */
char *vp_fmt_date(char *buf, size_t size, vp_locale loc, vp_date d);
/* A period for people: zh-CN "2025年第3季度" / "2025年9月", en "Q3 2025" / "Sep 2025";
 * a fiscal-year quarter with fy_start != 1 reads "FY2025 Q3" / "2025财年第3季度". */
char *vp_fmt_period(char *buf, size_t size, vp_locale loc, vp_period p, int fy_start);
/* Short period label for chart axes: "Q3'25" / "25Q3", "Sep'25" / "25-09". */
char *vp_fmt_period_short(char *buf, size_t size, vp_locale loc, vp_period p);

#endif
