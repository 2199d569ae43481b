/* check.h — a minimal unit-test harness (one header, no dependencies).
 *
 *   static void test_rounding(void) { CHECK_EQ_DBL(vp_round_half_away(88.75, 1), 88.8); }
 *   int main(void) { RUN(test_rounding); return check_summary(); }
 *
 * Each RUN counts as one case; a case fails when any CHECK in it fails. The executable
 * prints "N passed, N failed" and exits 1 when a case failed, so meson sees it. */
#ifndef VP_TEST_CHECK_H
#define VP_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_cases_passed, check_cases_failed, check_case_failed;
static const char *check_case_name;

#define CHECK_FAIL_AT(file, line, ...)                                                  \
    do {                                                                                \
        check_case_failed = 1;                                                          \
        fprintf(stderr, "%s:%d: %s: ", file, line, check_case_name);                    \
        fprintf(stderr, __VA_ARGS__);                                                   \
        fputc('\n', stderr);                                                            \
    } while (0)

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond))                                                                    \
            CHECK_FAIL_AT(__FILE__, __LINE__, "CHECK(%s) failed", #cond);               \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                              \
    do {                                                                                \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                 \
        if (check_a_ != check_b_)                                                       \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a,    \
                          check_a_, #b, check_b_);                                      \
    } while (0)

/* Doubles equal within 1e-9 relative (both NaN counts as equal). */
#define CHECK_EQ_DBL(a, b)                                                              \
    do {                                                                                \
        double check_a_ = (a), check_b_ = (b);                                          \
        int check_ok_ = (isnan(check_a_) && isnan(check_b_)) ||                         \
                        fabs(check_a_ - check_b_) <=                                    \
                            1e-9 * (fabs(check_b_) > 1 ? fabs(check_b_) : 1);           \
        if (!check_ok_)                                                                 \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s == %.17g, expected %.17g", #a,        \
                          check_a_, check_b_);                                          \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                           \
    do {                                                                                \
        double check_a_ = (a), check_b_ = (b);                                          \
        if (!(fabs(check_a_ - check_b_) <= (tol)))                                      \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s == %.17g, expected %.17g ± %g", #a,   \
                          check_a_, check_b_, (double)(tol));                           \
    } while (0)

#define CHECK_STR(a, b)                                                                 \
    do {                                                                                \
        const char *check_a_ = (a), *check_b_ = (b);                                    \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0)                  \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,      \
                          check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                                     \
    do {                                                                                \
        const char *check_h_ = (hay), *check_n_ = (needle);                             \
        if (!check_h_ || !strstr(check_h_, check_n_))                                   \
            CHECK_FAIL_AT(__FILE__, __LINE__, "%s == \"%s\" does not contain \"%s\"",   \
                          #hay, check_h_ ? check_h_ : "(null)", check_n_);              \
    } while (0)

#define RUN(fn)                                                                         \
    do {                                                                                \
        check_case_name = #fn;                                                          \
        check_case_failed = 0;                                                          \
        fn();                                                                           \
        if (check_case_failed)                                                          \
            check_cases_failed++;                                                       \
        else                                                                            \
            check_cases_passed++;                                                       \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_cases_passed, check_cases_failed);
    return check_cases_failed ? 1 : 0;
}

#endif
