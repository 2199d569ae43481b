/* date.h — calendar dates as day numbers, and report periods (quarters, months).
 *
 * A date is the number of days since 1970-01-01 (proleptic Gregorian), so differences
 * are day counts. VP_NO_DATE marks an absent date. */
#ifndef VP_DATE_H
#define VP_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t vp_date;
#define VP_NO_DATE INT32_MIN

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31, not validated). */
vp_date vp_date_from_ymd(int y, int m, int d);
void vp_date_to_ymd(vp_date date, int *y, int *m, int *d);
bool vp_is_leap_year(int y);
int vp_days_in_month(int y, int m);

/* Parse exactly "YYYY-MM-DD" with year 1..9999 and a day that exists (2025-02-29 fails). */
bool vp_date_parse(const char *s, vp_date *out);
/* Write "YYYY-MM-DD" into buf (11 bytes). */
void vp_date_format_iso(vp_date date, char buf[11]);
/* The UTC date of a Unix time. */
vp_date vp_date_from_unix(int64_t t);
/* Whole months from a to b (b >= a), counting a month complete on the same day-of-month,
 * or on the last day of a shorter month (Jan 31 -> Feb 28 is one month). Negative when
 * b < a (then -(whole months from b to a)). */
int vp_date_whole_months(vp_date a, vp_date b);

/* ---- periods ----------------------------------------------------------------------- */

typedef enum vp_period_kind { VP_PERIOD_NONE = 0, VP_PERIOD_QUARTER, VP_PERIOD_MONTH } vp_period_kind;

typedef struct vp_period {
    uint8_t kind;   /* vp_period_kind */
    uint8_t num;    /* quarter 1..4 or month 1..12 */
    int16_t year;   /* fiscal year for quarters, calendar year for months */
} vp_period;

/* Parse "YYYY-Qn" (n 1..4) or "YYYY-MM" (01..12); year 1..9999. */
bool vp_period_parse(const char *s, vp_period *out);
/* "2025-Q3" / "2025-09" into buf (8 bytes). */
void vp_period_format(vp_period p, char buf[8]);
/* First and last day of the period. Quarters follow the fiscal year that starts on the
 * first day of month `fy_start` (1..12) of calendar year `year` (SPEC §2). */
vp_date vp_period_start(vp_period p, int fy_start);
vp_date vp_period_end(vp_period p, int fy_start);
/* The period of the same kind just before p (Q1 -> previous year's Q4). */
vp_period vp_period_prev(vp_period p);
/* The quarter that contains date d. */
vp_period vp_period_quarter_of(vp_date d, int fy_start);
static inline bool vp_period_eq(vp_period a, vp_period b)
{
    return a.kind == b.kind && a.num == b.num && a.year == b.year;
}
/* Order by last day, then quarters before months ending the same day (a quarter "wins"
 * a tie in SPEC §3, so it sorts as the later one): <0, 0, >0. */
int vp_period_cmp(vp_period a, vp_period b, int fy_start);
/* True when p lies entirely inside q. */
bool vp_period_within(vp_period p, vp_period q, int fy_start);

#endif
