/* decimal.h — rounding the way a finance reader rounds by hand.
 *
 * SPEC §3: money is rounded to whole units, halves away from zero, on the value computed
 * exactly in decimal. Money inputs are held as integer cents and percentages as integer
 * hundredths of a percent, so every renewal figure is an exact integer ratio rounded once. */
#ifndef VP_DECIMAL_H
#define VP_DECIMAL_H

#include <stdbool.h>
#include <stdint.h>

__extension__ typedef __int128 vp_i128;

/* num / den rounded half away from zero (den != 0). */
vp_i128 vp_div_round(vp_i128 num, vp_i128 den);

/* A decimal input with at most `decimals` decimal places, as an exact integer scaled by
 * 10^decimals (1234.5 with 2 decimals -> 123450). False when x has more decimals than
 * that (beyond binary noise) or does not fit in int64. */
bool vp_decimal_scaled(double x, int decimals, int64_t *out);

/* x rounded to `decimals` places, halves away from zero, after removing binary noise (a
 * few units in the last binary place, at most 1e-6 of the last kept place): 88.75 -> 88.8
 * even when x is 88.74999999999999. Never returns -0. */
double vp_round_half_away(double x, int decimals);

/* x, with -0 turned into 0 (for values printed to users). */
double vp_no_negative_zero(double x);

#endif
