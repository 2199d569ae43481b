#include "decimal.h"

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
    /* Binary noise: 0.07 * 100 = 7.000000000000001. Anything further off is a real
     * extra decimal. */
    if (fabs(y - r) > 1e-6 * (fabs(y) > 1 ? fabs(y) : 1) && fabs(y - r) > 1e-9)
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
    /* Remove binary noise relative to the last kept place before deciding the half. */
    double noise_free = nearbyint(y * 1e9) / 1e9;
    if (fabs(y) < 1e6)
        y = noise_free;
    double r = y >= 0 ? floor(y + 0.5) : -floor(-y + 0.5);
    r /= scale;
    return r == 0 ? 0.0 : r;
}

double vp_no_negative_zero(double x)
{
    return x == 0 ? 0.0 : x;
}
