#include "decimal.h"

#include <float.h>
#include <math.h>

vp_i128 vp_div_round(vp_i128 num, vp_i128 den)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    vp_i128 q = num / den, r = num % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += num < 0 ? -1 : 1;
    return q;
}

bool vp_decimal_scaled(double x, int decimals, int64_t *out)
{
    if (!isfinite(x))
        return false;
    double scale = pow(10.0, decimals);
    double y = x * scale;
    if (fabs(y) >= 9.0e15)          /* beyond exact integers in a double */
        return false;
    double r = nearbyint(y);
    /* Binary noise: 0.07 * 100 = 7.000000000000001 — a few units in the last place of y.
     * Anything further off (1200000.125 * 100 is 0.5 away) is a real extra decimal. */
    double noise = 8 * (nextafter(fabs(y), INFINITY) - fabs(y));
    if (fabs(y - r) > (noise > 1e-6 ? noise : 1e-6))
        return false;
    *out = (int64_t)r;
    return true;
}

double vp_round_half_away(double x, int decimals)
{
    if (!isfinite(x))
        return x;
    double scale = pow(10.0, decimals);
    double y = x * scale;
    if (!isfinite(y) || fabs(y) >= 4503599627370496.0)   /* 2^52: already whole */
        return x;
    /* A value within binary noise of a half is that half (88.74999999999999 -> 88.75,
     * 1500001.4999999998 -> 1500001.5). Noise is a few units in the last binary place,
     * at least 1e-9 of the last kept decimal place and at most 1e-6 of it (SPEC §3). */
    double fl = floor(y);
    double tol = fmin(1e-6, fmax(1e-9, 4 * DBL_EPSILON * fabs(y)));
    double r;
    if (fabs(y - fl - 0.5) <= tol)
        r = y >= 0 ? fl + 1 : fl;       /* a half: away from zero */
    else
        r = floor(y + 0.5);             /* not a half: the nearest */
    r /= scale;
    return r == 0 ? 0.0 : r;
}

double vp_no_negative_zero(double x)
{
    return x == 0 ? 0.0 : x;
}
