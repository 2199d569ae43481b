/* Unit tests for lib/pdf charts: nice ticks, the plain tick formatter, and charts drawn
 * from awkward data (empty, one point, all equal, negative) read back with pdftotext. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pdf/pdf.h"
#include "util/alloc.h"

static vp_fontset *g_font;
static char g_dir[] = "/tmp/vp-chart-XXXXXX";

static const char *font_path(void)
{
    static const char *wqy = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    return access(wqy, R_OK) == 0 ? wqy : NULL;
}

/* ---- ticks ----------------------------------------------------------------------------- */

/* Invariants every axis must meet. */
static void check_ticks(double min, double max, int max_ticks)
{
    vp_ticks t;
    CHECK(vp_nice_ticks(min, max, max_ticks, &t));
    double lo = fmin(min, max), hi = fmax(min, max);
    CHECK(t.lo <= lo + 1e-12);
    CHECK(t.hi >= hi - 1e-12);
    CHECK(t.n >= 2);
    CHECK(t.n <= max_ticks);
    CHECK(t.step > 0);
    CHECK(t.hi > t.lo);
    CHECK(t.mant == 1 || t.mant == 2 || t.mant == 5);
    CHECK_NEAR(vp_tick_value(&t, 0), t.lo, 1e-12 * fmax(1, fabs(t.lo)));
    CHECK_NEAR(vp_tick_value(&t, t.n - 1), t.hi, 1e-12 * fmax(1, fabs(t.hi)));
    for (int i = 0; i < t.n; i++) {
        double v = vp_tick_value(&t, i);
        CHECK(!(v == 0 && signbit(v)));           /* never -0 */
        /* every tick is a whole multiple of the step */
        double k = v / t.step;
        CHECK_NEAR(k, round(k), 1e-9);
    }
}

static void test_nice_ticks_basic(void)
{
    vp_ticks t;
    CHECK(vp_nice_ticks(0, 97, 6, &t));
    CHECK_EQ_DBL(t.lo, 0);
    CHECK_EQ_DBL(t.hi, 100);
    CHECK_EQ_DBL(t.step, 20);
    CHECK_EQ_INT(t.n, 6);
    CHECK(vp_nice_ticks(3.7, 12.1, 7, &t));
    CHECK_EQ_DBL(t.lo, 2);
    CHECK_EQ_DBL(t.hi, 14);
    CHECK_EQ_DBL(t.step, 2);
    CHECK(vp_nice_ticks(3.7, 12.1, 6, &t));       /* 2s would need 7 ticks: 5s */
    CHECK_EQ_DBL(t.lo, 0);
    CHECK_EQ_DBL(t.hi, 15);
    /* decimal steps come out exact: 0, 0.1, 0.2, 0.3 ... */
    CHECK(vp_nice_ticks(0, 0.5, 6, &t));
    CHECK_EQ_DBL(t.step, 0.1);
    char buf[32];
    snprintf(buf, sizeof buf, "%.17g", vp_tick_value(&t, 3));
    CHECK_STR(buf, "0.29999999999999999");       /* the double nearest 0.3, not 0.30000000000000004 */
    CHECK_EQ_DBL(vp_tick_value(&t, 3), 0.3);
    check_ticks(0, 97, 6);
    check_ticks(0.001, 0.0037, 5);
    check_ticks(1e9, 3.4e9, 6);
    check_ticks(99.1, 99.4, 4);
    check_ticks(1, 2, 2);
}

static void test_nice_ticks_negative(void)
{
    vp_ticks t;
    CHECK(vp_nice_ticks(-3.2, 7.9, 7, &t));
    CHECK_EQ_DBL(t.lo, -4);
    CHECK_EQ_DBL(t.hi, 8);
    CHECK_EQ_DBL(t.step, 2);
    CHECK(vp_nice_ticks(-120, -30, 6, &t));
    CHECK(t.lo <= -120 && t.hi >= -30);
    CHECK(t.hi <= 0);
    check_ticks(-3.2, 7.9, 7);
    check_ticks(-120, -30, 6);
    check_ticks(-0.75, 0, 5);
    check_ticks(-1e-3, 2e-3, 6);
    /* reversed arguments */
    check_ticks(10, -10, 5);
}

static void test_nice_ticks_degenerate(void)
{
    vp_ticks t;
    /* a single value: a range around it, the value inside */
    CHECK(vp_nice_ticks(5, 5, 5, &t));
    CHECK(t.lo < 5 && t.hi > 5);
    check_ticks(5, 5, 5);
    check_ticks(-42, -42, 5);
    check_ticks(1e-7, 1e-7, 4);
    /* all zero */
    CHECK(vp_nice_ticks(0, 0, 5, &t));
    CHECK_EQ_DBL(t.lo, 0);
    CHECK_EQ_DBL(t.hi, 1);
    /* non-finite input is refused, not turned into an axis */
    CHECK(!vp_nice_ticks(NAN, 1, 5, &t));
    CHECK(!vp_nice_ticks(0, INFINITY, 5, &t));
    /* fewer than two ticks asked: two */
    CHECK(vp_nice_ticks(0, 10, 1, &t));
    CHECK_EQ_INT(t.n, 2);
}

static void test_plain_format(void)
{
    char buf[32];
    CHECK_STR(vp_chart_fmt_plain(0, NULL, buf, sizeof buf), "0");
    CHECK_STR(vp_chart_fmt_plain(-0.0, NULL, buf, sizeof buf), "0");
    CHECK_STR(vp_chart_fmt_plain(-0.5, NULL, buf, sizeof buf), "\xE2\x88\x92" "0.5");
    CHECK_STR(vp_chart_fmt_plain(1234.5, NULL, buf, sizeof buf), "1234.5");
    CHECK_STR(vp_chart_fmt_plain(0.25, NULL, buf, sizeof buf), "0.25");
    CHECK_STR(vp_chart_fmt_plain(-0.001, NULL, buf, sizeof buf), "0");    /* rounds to 0: no sign */
    CHECK_STR(vp_chart_fmt_plain(20, NULL, buf, sizeof buf), "20");
}

/* ---- charts drawn ------------------------------------------------------------------------ */

/* Save d to g_dir/name and return pdftotext's output (vp_free); NULL on failure. */
static char *render_text(vp_pdf *d, const char *name)
{
    char path[512], cmd[1200], txt[520];
    snprintf(path, sizeof path, "%s/%s.pdf", g_dir, name);
    snprintf(txt, sizeof txt, "%s/%s.txt", g_dir, name);
    int rc = vp_pdf_save(d, path, NULL);
    CHECK_EQ_INT(rc, VP_OK);
    if (rc != VP_OK)
        return NULL;
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    CHECK_EQ_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' '%s' 2>/dev/null", path, txt);
    CHECK_EQ_INT(system(cmd), 0);
    FILE *fp = fopen(txt, "rb");
    if (!fp)
        return NULL;
    char *buf = vp_calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static vp_pdf *new_doc(void)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    return d;
}

static void test_line_chart_labels(void)
{
    vp_pdf *d = new_doc();
    static const char *periods[] = {"2025 Q1", "2025 Q2", "2025 Q3"};
    double v[] = {12, 8.5, 4};
    static const char *pl[] = {"12 天", "8.5 天", "4 天"};
    vp_line_chart c = {.n = 3, .labels = periods, .actual = v, .point_labels = pl,
                       .baseline = 12, .target = 5, .baseline_label = "基线 Baseline",
                       .target_label = "目标 Target", .zero_based = true};
    CHECK_EQ_INT(vp_chart_line(d, (vp_rect){40, 40, 600, 300}, &c, "trend"), VP_OK);
    char *txt = render_text(d, "line");
    CHECK_CONTAINS(txt, "2025 Q2");
    CHECK_CONTAINS(txt, "8.5 天");
    CHECK_CONTAINS(txt, "基线 Baseline");
    CHECK_CONTAINS(txt, "目标 Target");
    CHECK_CONTAINS(txt, "10");                   /* an axis tick: 0, 5, 10, 15 */
    vp_free(txt);
    CHECK_EQ_INT(vp_pdf_check_layout(d, NULL, NULL), 0);
    vp_pdf_free(d);
}

static void test_charts_with_awkward_data(void)
{
    vp_pdf *d = new_doc();
    double none[] = {NAN, NAN, NAN};
    vp_line_chart empty = {.n = 3, .actual = none, .empty_text = "暂无数据 No data for this period"};
    CHECK_EQ_INT(vp_chart_line(d, (vp_rect){20, 20, 300, 150}, &empty, "empty"), VP_OK);
    double one[] = {42};
    static const char *one_l[] = {"42"};
    vp_line_chart single = {.n = 1, .actual = one, .point_labels = one_l};
    CHECK_EQ_INT(vp_chart_line(d, (vp_rect){340, 20, 300, 150}, &single, "single"), VP_OK);
    double flat[] = {7, 7, 7, 7};
    vp_line_chart equal = {.n = 4, .actual = flat, .baseline = 7, .target = NAN};
    CHECK_EQ_INT(vp_chart_line(d, (vp_rect){20, 190, 300, 150}, &equal, "flat"), VP_OK);
    double neg[] = {-3.5, -1, 2.25, NAN, 4};
    vp_line_chart negative = {.n = 5, .actual = neg, .baseline = NAN, .target = 0};
    CHECK_EQ_INT(vp_chart_line(d, (vp_rect){340, 190, 300, 150}, &negative, "neg"), VP_OK);

    double bars[] = {-2, 0, 3.5};
    static const char *bl[] = {"−2", "0", "3.5"};
    static const char *cats[] = {"Alpha", "Beta", "Gamma"};
    vp_bar_series s = {.kind = VP_SERIES_ACTUAL, .values = bars, .value_labels = bl};
    vp_bar_chart bc = {.n = 3, .labels = cats, .series = &s, .n_series = 1, .axis = true,
                       .min = NAN, .max = NAN};
    CHECK_EQ_INT(vp_chart_bar(d, (vp_rect){660, 20, 280, 150}, &bc, "bars"), VP_OK);
    bc.horizontal = true;
    CHECK_EQ_INT(vp_chart_bar(d, (vp_rect){660, 190, 280, 150}, &bc, "hbars"), VP_OK);
    vp_bar_series nothing = {.kind = VP_SERIES_ACTUAL, .values = none};
    vp_bar_chart nb = {.n = 3, .series = &nothing, .n_series = 1, .empty_text = "no bars"};
    CHECK_EQ_INT(vp_chart_bar(d, (vp_rect){20, 360, 200, 100}, &nb, "nobars"), VP_OK);

    vp_gauge_band bands[] = {{0, 50, {0.8f, 0.1f, 0.1f}}, {50, 100, {0.1f, 0.5f, 0.1f}}};
    vp_gauge g = {.value = NAN, .bands = bands, .n_bands = 2, .empty_text = "no score"};
    CHECK_EQ_INT(vp_chart_gauge(d, (vp_rect){240, 360, 200, 150}, &g, "gauge-empty"), VP_OK);
    vp_gauge g2 = {.value = 140, .bands = bands, .n_bands = 2, .value_label = "100",
                   .caption = "Healthy"};
    CHECK_EQ_INT(vp_chart_gauge(d, (vp_rect){460, 360, 200, 150}, &g2, "gauge-full"), VP_OK);
    CHECK_EQ_INT(vp_chart_progress(d, (vp_rect){680, 420, 200, 8}, 1.7, 0.5, (vp_rgb){0, 0, 1},
                                   "progress"),
                 VP_OK);
    CHECK_EQ_INT(vp_chart_progress(d, (vp_rect){680, 450, 200, 8}, NAN, NAN, (vp_rgb){0, 0, 1},
                                   "progress-empty"),
                 VP_OK);

    char *txt = render_text(d, "awkward");
    CHECK_CONTAINS(txt, "No data for this period");
    CHECK_CONTAINS(txt, "no bars");
    CHECK_CONTAINS(txt, "no score");
    CHECK_CONTAINS(txt, "42");
    CHECK_CONTAINS(txt, "Gamma");
    CHECK_CONTAINS(txt, "−2");                    /* U+2212 in tick and value labels */
    CHECK_CONTAINS(txt, "Healthy");
    CHECK(!strstr(txt, "nan") && !strstr(txt, "inf"));
    vp_free(txt);
    /* the charts were placed side by side without touching */
    vp_layout_check *c = vp_layout_check_new();
    CHECK_EQ_INT(vp_pdf_check_layout(d, c, NULL), 0);
    for (size_t i = 0; i < vp_layout_check_count(c); i++)
        fprintf(stderr, "  %s\n", vp_layout_check_get(c, i));
    vp_layout_check_free(c);
    vp_pdf_free(d);
}

static void test_long_series(void)
{
    vp_pdf *d = new_doc();
    enum { N = 600 };
    static double v[N];
    for (int i = 0; i < N; i++)
        v[i] = i == 300 ? NAN : 50 + 40 * sin(i / 30.0);
    vp_line_chart c = {.n = N, .actual = v};
    CHECK_EQ_INT(vp_chart_line(d, (vp_rect){40, 40, 800, 300}, &c, "long"), VP_OK);
    vp_line_chart none = {.n = 3, .actual = NULL, .empty_text = "nothing"};
    CHECK_EQ_INT(vp_chart_line(d, (vp_rect){40, 360, 300, 100}, &none, "none"), VP_OK);
    char *txt = render_text(d, "long");
    CHECK_CONTAINS(txt, "nothing");
    CHECK_CONTAINS(txt, "80");                    /* ticks up to 90 */
    vp_free(txt);
    vp_pdf_free(d);
}

static void test_tint(void)
{
    vp_rgb c = vp_rgb_tint((vp_rgb){0, 0.5f, 1}, 0.15);
    CHECK_NEAR(c.r, 0.85, 1e-6);
    CHECK_NEAR(c.g, 0.925, 1e-6);
    CHECK_NEAR(c.b, 1.0, 1e-6);
    c = vp_rgb_tint((vp_rgb){0.2f, 0.4f, 0.6f}, 1);
    CHECK_NEAR(c.g, 0.4, 1e-6);
}

int main(void)
{
    vp_diag *diag = vp_diag_new();
    if (vp_fontset_load(&g_font, font_path(), 0, diag) != VP_OK || !mkdtemp(g_dir)) {
        vp_diag_print(diag, stderr);
        return 1;
    }
    vp_diag_free(diag);
    RUN(test_nice_ticks_basic);
    RUN(test_nice_ticks_negative);
    RUN(test_nice_ticks_degenerate);
    RUN(test_plain_format);
    RUN(test_tint);
    RUN(test_line_chart_labels);
    RUN(test_charts_with_awkward_data);
    RUN(test_long_series);
    vp_fontset_free(g_font);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (getenv("VP_KEEP_TEST_OUTPUT"))
        printf("output kept in %s\n", g_dir);      /* to look at the pages */
    else if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    return check_summary();
}
