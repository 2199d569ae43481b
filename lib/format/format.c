/* format.c — locale formatting of numbers, percentages, money, dates and periods.
 *
 * Pure and thread-safe: no setlocale, no static buffers, no printf of floating point (its
 * decimal point follows LC_NUMERIC). A value is first rounded half away from zero with
 * vp_round_half_away, then written digit by digit from an exact integer. */
#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/decimal.h"

/* Beyond this many units in the last place a double no longer holds every integer, so
 * digits come from "%.0f" of the whole part instead (there is no fraction left anyway). */
#define EXACT_LIMIT 9.0e15
/* 27 digits with separators and 9 decimals still fit in VP_FMT_MAX with a symbol. */
#define MAX_INT_DIGITS 27

static const char *const k_month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Copy s into buf (truncating at a code-point boundary) and return buf. */
static char *put(char *buf, size_t size, const char *s)
{
    if (!size)
        return buf;
    size_t n = strlen(s);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

static char *none(char *buf, size_t size) { return put(buf, size, VP_FMT_NONE); }

/* Digits of |v| rounded to `decimals` places with thousands separators, into out (room
 * for VP_FMT_MAX bytes). *negative tells whether the rounded value is below zero (a value
 * that rounds to zero is never negative). `trim` drops trailing fraction zeros. False when
 * the number has more digits than a display can hold (beyond 10^27). */
static bool magnitude(char *out, double v, int decimals, bool trim, bool *negative)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    double r = vp_round_half_away(v, decimals);
    *negative = r < 0;
    double a = fabs(r);
    double scale = pow(10.0, decimals);
    char digits[400];
    int frac_digits = decimals;
    if (a * scale < EXACT_LIMIT) {
        unsigned long long n = (unsigned long long)nearbyint(a * scale);
        snprintf(digits, sizeof digits, "%0*llu", decimals + 1, n);
    } else {
        /* No fraction survives at this size: whole part only. */
        snprintf(digits, sizeof digits, "%.0f", a);
        frac_digits = 0;
    }
    size_t len = strlen(digits);
    size_t int_len = len - (size_t)frac_digits;
    if (int_len > MAX_INT_DIGITS)
        return false;
    if (trim)
        while (frac_digits > 0 && digits[int_len + (size_t)frac_digits - 1] == '0')
            frac_digits--;
    char *o = out;
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            *o++ = ',';
        *o++ = digits[i];
    }
    if (frac_digits > 0) {
        *o++ = '.';
        memcpy(o, digits + int_len, (size_t)frac_digits);
        o += frac_digits;
    }
    *o = '\0';
    return true;
}

/* prefix + sign + body + suffix. The sign is U+2212 for negatives, "+" when `plus` and
 * positive, nothing for zero. */
static char *compose(char *buf, size_t size, bool negative, bool plus, bool zero,
                     const char *prefix, const char *body, const char *suffix)
{
    const char *sign = negative ? VP_MINUS : (plus && !zero ? "+" : "");
    char tmp[VP_FMT_MAX * 2];
    snprintf(tmp, sizeof tmp, "%s%s%s%s", sign, prefix, body, suffix);
    return put(buf, size, tmp);
}

static bool is_zero_text(const char *digits)
{
    for (; *digits; digits++)
        if (*digits >= '1' && *digits <= '9')
            return false;
    return true;
}

static char *fmt_num(char *buf, size_t size, double v, int decimals, bool trim, bool plus,
                     const char *prefix, const char *suffix)
{
    if (!isfinite(v))
        return none(buf, size);
    char body[VP_FMT_MAX];
    bool neg;
    if (!magnitude(body, v, decimals, trim, &neg))
        return none(buf, size);
    bool zero = is_zero_text(body);
    return compose(buf, size, neg && !zero, plus, zero, prefix, body, suffix);
}

char *vp_fmt_number(char *buf, size_t size, vp_locale loc, double v, int decimals)
{
    (void)loc;   /* both locales group by thousands with "," and use "." for decimals */
    return fmt_num(buf, size, v, decimals, false, false, "", "");
}

char *vp_fmt_value(char *buf, size_t size, vp_locale loc, double v, int max_decimals)
{
    (void)loc;
    return fmt_num(buf, size, v, max_decimals, true, false, "", "");
}

char *vp_fmt_signed_value(char *buf, size_t size, vp_locale loc, double v, int max_decimals)
{
    (void)loc;
    return fmt_num(buf, size, v, max_decimals, true, true, "", "");
}

char *vp_fmt_percent(char *buf, size_t size, vp_locale loc, double pct, int decimals)
{
    (void)loc;
    return fmt_num(buf, size, pct, decimals, false, false, "", "%");
}

char *vp_fmt_signed_percent(char *buf, size_t size, vp_locale loc, double pct, int decimals)
{
    (void)loc;
    return fmt_num(buf, size, pct, decimals, false, true, "", "%");
}

char *vp_fmt_ratio(char *buf, size_t size, vp_locale loc, double ratio, int decimals)
{
    return vp_fmt_percent(buf, size, loc, ratio * 100.0, decimals);
}

char *vp_fmt_multiple(char *buf, size_t size, vp_locale loc, double v)
{
    (void)loc;
    return fmt_num(buf, size, v, 1, false, false, "", "\xC3\x97");   /* × */
}

const char *vp_currency_symbol(const char *currency)
{
    if (!currency)
        return "";
    if (strcmp(currency, "CNY") == 0)
        return "\xC2\xA5";   /* ¥ */
    if (strcmp(currency, "USD") == 0)
        return "$";
    return currency;
}

/* "¥" / "$" stick to the number; an ISO code is followed by a space. */
static void money_prefix(char *out, size_t size, const char *currency)
{
    const char *sym = vp_currency_symbol(currency);
    bool code = currency && sym == currency && *sym;
    snprintf(out, size, "%s%s", sym, code ? " " : "");
}

char *vp_fmt_money(char *buf, size_t size, vp_locale loc, const char *currency, double v)
{
    (void)loc;
    char prefix[24];
    money_prefix(prefix, sizeof prefix, currency);
    return fmt_num(buf, size, v, 0, false, false, prefix, "");
}

/* Compact money: the value in the largest unit it reaches, three significant digits,
 * trailing zeros dropped ("1.26M", "960K", "1.2亿"). en: K M B; zh-CN: 万 亿. */
char *vp_fmt_money_short(char *buf, size_t size, vp_locale loc, const char *currency, double v)
{
    if (!isfinite(v))
        return none(buf, size);
    static const double en_scale[] = {1e9, 1e6, 1e3};
    static const char *const en_unit[] = {"B", "M", "K"};
    static const double zh_scale[] = {1e8, 1e4};
    static const char *const zh_unit[] = {"\xE4\xBA\xBF", "\xE4\xB8\x87"};   /* 亿 万 */
    const double *scales = loc == VP_LOCALE_ZH_CN ? zh_scale : en_scale;
    const char *const *units = loc == VP_LOCALE_ZH_CN ? zh_unit : en_unit;
    size_t n_units = loc == VP_LOCALE_ZH_CN ? 2 : 3;

    char prefix[24];
    money_prefix(prefix, sizeof prefix, currency);
    double a = fabs(vp_round_half_away(v, 0));   /* 9,999.6 counts as 10,000: "10K" */
    for (size_t i = 0; i < n_units; i++) {
        if (a < scales[i])
            continue;
        double m = a / scales[i];
        int decimals = m >= 100 ? 0 : m >= 10 ? 1 : 2;
        double r = vp_round_half_away(m, decimals);
        /* 999,999 -> "1000K" would be wrong: move to the next unit up. */
        if (i > 0 && r >= scales[i - 1] / scales[i]) {
            m = a / scales[i - 1];
            decimals = 2;
            i--;
        }
        return fmt_num(buf, size, v < 0 ? -m : m, decimals, true, false, prefix, units[i]);
    }
    return fmt_num(buf, size, v, 0, false, false, prefix, "");
}

char *vp_fmt_date(char *buf, size_t size, vp_locale loc, vp_date d)
{
    if (d == VP_NO_DATE)
        return none(buf, size);
    int y, m, day;
    vp_date_to_ymd(d, &y, &m, &day);
    char tmp[VP_FMT_MAX];
    if (loc == VP_LOCALE_ZH_CN)
        snprintf(tmp, sizeof tmp, "%d\xE5\xB9\xB4%d\xE6\x9C\x88%d\xE6\x97\xA5", y, m, day);
    else
        snprintf(tmp, sizeof tmp, "%s %d, %d", k_month_abbr[m - 1], day, y);
    return put(buf, size, tmp);
}

char *vp_fmt_period(char *buf, size_t size, vp_locale loc, vp_period p, int fy_start)
{
    if (p.kind != VP_PERIOD_QUARTER && p.kind != VP_PERIOD_MONTH)
        return none(buf, size);
    if (p.num < 1 || p.num > (p.kind == VP_PERIOD_QUARTER ? 4 : 12))
        return none(buf, size);
    char tmp[VP_FMT_MAX];
    bool zh = loc == VP_LOCALE_ZH_CN;
    if (p.kind == VP_PERIOD_MONTH) {
        if (zh)
            snprintf(tmp, sizeof tmp, "%d\xE5\xB9\xB4%d\xE6\x9C\x88", p.year, p.num);
        else
            snprintf(tmp, sizeof tmp, "%s %d", k_month_abbr[p.num - 1], p.year);
    } else if (fy_start != 1) {
        if (zh)   /* 2025财年第3季度 */
            snprintf(tmp, sizeof tmp,
                     "%d\xE8\xB4\xA2\xE5\xB9\xB4\xE7\xAC\xAC%d\xE5\xAD\xA3\xE5\xBA\xA6",
                     p.year, p.num);
        else
            snprintf(tmp, sizeof tmp, "FY%d Q%d", p.year, p.num);
    } else {
        if (zh)   /* 2025年第3季度 */
            snprintf(tmp, sizeof tmp, "%d\xE5\xB9\xB4\xE7\xAC\xAC%d\xE5\xAD\xA3\xE5\xBA\xA6",
                     p.year, p.num);
        else
            snprintf(tmp, sizeof tmp, "Q%d %d", p.num, p.year);
    }
    return put(buf, size, tmp);
}

char *vp_fmt_period_short(char *buf, size_t size, vp_locale loc, vp_period p)
{
    if (p.kind != VP_PERIOD_QUARTER && p.kind != VP_PERIOD_MONTH)
        return none(buf, size);
    if (p.num < 1 || p.num > (p.kind == VP_PERIOD_QUARTER ? 4 : 12))
        return none(buf, size);
    char tmp[VP_FMT_MAX];
    int yy = ((p.year % 100) + 100) % 100;
    bool zh = loc == VP_LOCALE_ZH_CN;
    if (p.kind == VP_PERIOD_QUARTER) {
        if (zh)
            snprintf(tmp, sizeof tmp, "%02dQ%d", yy, p.num);
        else
            snprintf(tmp, sizeof tmp, "Q%d'%02d", p.num, yy);
    } else {
        if (zh)
            snprintf(tmp, sizeof tmp, "%02d-%02d", yy, p.num);
        else
            snprintf(tmp, sizeof tmp, "%s'%02d", k_month_abbr[p.num - 1], yy);
    }
    return put(buf, size, tmp);
}
