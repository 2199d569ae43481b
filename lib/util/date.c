#include "date.h"

#include <stdio.h>
#include <string.h>

/* Days-from-civil and civil-from-days after Howard Hinnant's public-domain algorithms. */
vp_date vp_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (vp_date)(era * 146097 + (int)doe - 719468);
}

void vp_date_to_ymd(vp_date date, int *y, int *m, int *d)
{
    int z = date + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    const int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

bool vp_is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int vp_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && vp_is_leap_year(y) ? 29 : days[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool vp_date_parse(const char *s, vp_date *out)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return false;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > vp_days_in_month(y, m))
        return false;
    *out = vp_date_from_ymd(y, m, d);
    return true;
}

/* Write n decimal digits of v (0 <= v < 10^n), zero-padded. */
static void put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void vp_date_format_iso(vp_date date, char buf[11])
{
    int y, m, d;
    vp_date_to_ymd(date, &y, &m, &d);
    put_digits(buf, (unsigned)(y < 0 ? 0 : y % 10000), 4);
    buf[4] = '-';
    put_digits(buf + 5, (unsigned)m, 2);
    buf[7] = '-';
    put_digits(buf + 8, (unsigned)d, 2);
    buf[10] = '\0';
}

vp_date vp_date_from_unix(int64_t t)
{
    int64_t days = t / 86400;
    if (t % 86400 < 0)
        days--;
    return (vp_date)days;
}

int vp_date_whole_months(vp_date a, vp_date b)
{
    if (b < a)
        return -vp_date_whole_months(b, a);
    int y1, m1, d1, y2, m2, d2;
    vp_date_to_ymd(a, &y1, &m1, &d1);
    vp_date_to_ymd(b, &y2, &m2, &d2);
    int months = (y2 - y1) * 12 + (m2 - m1);
    if (d2 < d1 && d2 != vp_days_in_month(y2, m2))
        months--;
    return months;
}

bool vp_period_parse(const char *s, vp_period *out)
{
    int y, n;
    if (!s || strlen(s) != 7 || s[4] != '-' || !digits(s, 4, &y) || y < 1)
        return false;
    if (s[5] == 'Q') {
        if (s[6] < '1' || s[6] > '4')
            return false;
        out->kind = VP_PERIOD_QUARTER;
        out->num = (uint8_t)(s[6] - '0');
    } else {
        if (!digits(s + 5, 2, &n) || n < 1 || n > 12)
            return false;
        out->kind = VP_PERIOD_MONTH;
        out->num = (uint8_t)n;
    }
    out->year = (int16_t)y;
    return true;
}

void vp_period_format(vp_period p, char buf[8])
{
    if (p.kind == VP_PERIOD_NONE) {
        buf[0] = '\0';
        return;
    }
    put_digits(buf, (unsigned)(p.year < 0 ? 0 : p.year % 10000), 4);
    buf[4] = '-';
    if (p.kind == VP_PERIOD_QUARTER) {
        buf[5] = 'Q';
        buf[6] = (char)('0' + p.num % 10);
    } else {
        put_digits(buf + 5, (unsigned)(p.num % 100), 2);
    }
    buf[7] = '\0';
}

/* First calendar month (as year*12 + month-1) of a period. */
static int first_month_index(vp_period p, int fy_start)
{
    if (p.kind == VP_PERIOD_MONTH)
        return p.year * 12 + (p.num - 1);
    return p.year * 12 + (fy_start - 1) + 3 * (p.num - 1);
}

vp_date vp_period_start(vp_period p, int fy_start)
{
    int idx = first_month_index(p, fy_start);
    return vp_date_from_ymd(idx / 12, idx % 12 + 1, 1);
}

vp_date vp_period_end(vp_period p, int fy_start)
{
    int idx = first_month_index(p, fy_start) + (p.kind == VP_PERIOD_QUARTER ? 3 : 1);
    return vp_date_from_ymd(idx / 12, idx % 12 + 1, 1) - 1;
}

vp_period vp_period_prev(vp_period p)
{
    int max = p.kind == VP_PERIOD_QUARTER ? 4 : 12;
    if (p.num > 1) {
        p.num--;
    } else {
        p.num = (uint8_t)max;
        p.year--;
    }
    return p;
}

vp_period vp_period_quarter_of(vp_date d, int fy_start)
{
    int y, m, dd;
    vp_date_to_ymd(d, &y, &m, &dd);
    int offset = (m - fy_start + 12) % 12;       /* months since the fiscal year began */
    int fy = m >= fy_start ? y : y - 1;
    vp_period p = {VP_PERIOD_QUARTER, (uint8_t)(offset / 3 + 1), (int16_t)fy};
    return p;
}

int vp_period_cmp(vp_period a, vp_period b, int fy_start)
{
    vp_date ea = vp_period_end(a, fy_start), eb = vp_period_end(b, fy_start);
    if (ea != eb)
        return ea < eb ? -1 : 1;
    if (a.kind != b.kind)
        return a.kind == VP_PERIOD_QUARTER ? 1 : -1;
    return 0;
}

bool vp_period_within(vp_period p, vp_period q, int fy_start)
{
    return vp_period_start(p, fy_start) >= vp_period_start(q, fy_start) &&
           vp_period_end(p, fy_start) <= vp_period_end(q, fy_start);
}
