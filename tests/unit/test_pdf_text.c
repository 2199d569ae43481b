/* Unit tests for lib/pdf fonts, measuring and line breaking. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb-subset.h>

#include "check.h"
#include "pdf/engine.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/utf8.h"

static vp_fontset *g_font;

static const char *font_path(void)
{
    static const char *wqy = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    return access(wqy, R_OK) == 0 ? wqy : NULL;
}

/* Line i of a layout as UTF-8 (invisible characters dropped, "…" appended when cut). */
static char *line_text(const vp_text_layout *L, size_t i)
{
    vp_strbuf b = VP_STRBUF_INIT;
    for (size_t k = L->lines[i].start; k < L->lines[i].end; k++)
        if (L->cps[k] && L->cps[k] != '\n')
            vp_strbuf_put_utf8(&b, L->cps[k]);
    if (L->lines[i].ellipsis)
        vp_strbuf_puts(&b, "…");
    vp_strbuf_putc(&b, '\0');
    return vp_strbuf_detach(&b);
}

static vp_text_layout layout(const char *s, double size, double width, int max_lines)
{
    vp_text_layout L = VP_TEXT_LAYOUT_INIT;
    vp_text_style st = {.size = size, .max_lines = max_lines};
    int rc = vp_text_layout_build(&L, g_font, s, &st, width, 0, NULL);
    CHECK_EQ_INT(rc, VP_OK);
    return L;
}

static void check_line(const vp_text_layout *L, size_t i, const char *want)
{
    CHECK(i < L->n_lines);
    if (i >= L->n_lines)
        return;
    char *got = line_text(L, i);
    CHECK_STR(got, want);
    vp_free(got);
}

/* ---- fonts -------------------------------------------------------------------------- */

static void test_font_found_by_fontconfig(void)
{
    vp_fontset *f = NULL;
    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_fontset_load(&f, NULL, 0, diag), VP_OK);
    if (f) {
        CHECK(vp_fontset_path(f) != NULL);
        CHECK(vp_fontset_has(f, 0x4E2D));    /* 中 */
        CHECK(vp_fontset_has(f, 'A'));
        CHECK(vp_fontset_has(f, 0xFF0C));    /* ， */
        /* the face can be embedded: it has TrueType outlines */
        hb_blob_t *glyf = hb_face_reference_table(f->face, HB_TAG('g', 'l', 'y', 'f'));
        CHECK(hb_blob_get_length(glyf) > 0);
        hb_blob_destroy(glyf);
    }
    vp_fontset_free(f);
    vp_diag_free(diag);
}

static void test_font_errors(void)
{
    vp_fontset *f = NULL;
    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_fontset_load(&f, "/nonexistent/font.ttf", 0, diag), VP_ERR_FONT);
    CHECK(f == NULL);
    const char *msg = NULL;
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "fonts-wqy-microhei");
    CHECK_CONTAINS(msg, "--font");

    /* not a font at all */
    char path[] = "/tmp/vp-notfont-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello, this is not a font file\n", 31) == 31);
    close(fd);
    vp_diag_clear(diag);
    CHECK_EQ_INT(vp_fontset_load(&f, path, 0, diag), VP_ERR_FONT);
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "not a TrueType font");
    unlink(path);

    /* a face index the collection does not have */
    if (font_path()) {
        vp_diag_clear(diag);
        CHECK_EQ_INT(vp_fontset_load(&f, font_path(), 7, diag), VP_ERR_FONT);
        vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
        CHECK_CONTAINS(msg, "face index 7");
    }
    vp_diag_free(diag);
}

static void test_coverage_error_names_characters(void)
{
    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_fontset_check(g_font, "续约 renewal", diag, NULL), VP_OK);
    CHECK_EQ_INT(vp_diag_count(diag), 0);
    CHECK_EQ_INT(vp_fontset_check(g_font, "Great job 😀!", diag, "acme.json"), VP_ERR_FONT);
    const char *msg = NULL, *file = NULL;
    vp_diag_get(diag, 0, NULL, &file, NULL, NULL, NULL, &msg);
    CHECK_STR(file, "acme.json");
    CHECK_CONTAINS(msg, "U+1F600 '😀'");
    CHECK_CONTAINS(msg, "--font");
    CHECK(!vp_fontset_has(g_font, 0x1F600));
    /* invalid UTF-8 is its own error */
    vp_diag_clear(diag);
    CHECK_EQ_INT(vp_fontset_check(g_font, "bad \xC3\x28 byte", diag, NULL), VP_ERR_INVALID);
    /* invisible characters and a space the face lacks are fine */
    CHECK_EQ_INT(vp_fontset_check(g_font, "a\xE2\x80\x8B" "b\xC2\xAD" "c 1\xE2\x80\xAF" "000", NULL,
                                  NULL),
                 VP_OK);
    vp_diag_free(diag);
}

/* An OpenType/CFF font (as Noto Sans CJK in Debian): a minimal sfnt with "OTTO", a CFF
 * table and maxp, enough for HarfBuzz to see one glyph and no glyf table. */
static void test_cff_font_is_refused(void)
{
    static const unsigned char otf[] = {
        'O', 'T', 'T', 'O', 0, 2, 0, 32, 0, 1, 0, 0,
        'C', 'F', 'F', ' ', 0, 0, 0, 0, 0, 0, 0, 44, 0, 0, 0, 4,
        'm', 'a', 'x', 'p', 0, 0, 0, 0, 0, 0, 0, 48, 0, 0, 0, 6,
        1, 0, 4, 1,                         /* CFF header (content does not matter here) */
        0, 0, 0x50, 0, 0, 1, 0, 0,          /* maxp 0.5, one glyph */
    };
    char path[] = "/tmp/vp-cff-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, otf, sizeof otf) == (ssize_t)sizeof otf);
    close(fd);
    vp_fontset *f = NULL;
    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_fontset_load(&f, path, 0, diag), VP_ERR_FONT);
    const char *msg = NULL;
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "OpenType/CFF");
    CHECK_CONTAINS(msg, "cannot embed");
    CHECK_CONTAINS(msg, "apt-get install fonts-wqy-microhei");
    unlink(path);
    vp_diag_free(diag);
}

/* A Latin-only font given with --font loads, and Chinese text is then refused by name. */
static void test_latin_only_font(void)
{
    const char *dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (access(dejavu, R_OK) != 0)
        return;
    vp_fontset *f = NULL;
    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_fontset_load(&f, dejavu, 0, diag), VP_OK);
    CHECK_STR(vp_fontset_family(f), "DejaVu Sans");
    CHECK_EQ_INT(vp_fontset_check(f, "续约 renewal", diag, NULL), VP_ERR_FONT);
    const char *msg = NULL;
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "U+7EED '续', U+7EA6 '约'");
    CHECK_CONTAINS(msg, "DejaVu Sans");
    vp_fontset_free(f);
    vp_diag_free(diag);
}

/* The compact cmap written for libharu (sfnt.c) maps exactly the code points given, as
 * HarfBuzz reads it, and the font's checksums are consistent. */
static void test_compact_cmap(void)
{
    static const unsigned cps[] = {' ', 'A', 'z', 0xA5, 0x2026, 0x3002, 0x4E00, 0x4E2D,
                                   0x6210, 0x7EED, 0x9F99, 0xFF0C};
    size_t n = sizeof cps / sizeof cps[0];
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    for (size_t i = 0; i < n; i++)
        hb_set_add(hb_subset_input_unicode_set(in), cps[i]);
    hb_face_t *sub = hb_subset_or_fail(g_font->face, in);
    hb_subset_input_destroy(in);
    CHECK(sub != NULL);
    hb_font_t *sf = hb_font_create(sub);
    uint16_t gids[16];
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t g = 0;
        CHECK(hb_font_get_nominal_glyph(sf, cps[i], &g));
        gids[i] = (uint16_t)g;
    }
    hb_font_destroy(sf);
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *data = hb_blob_get_data(blob, &len);
    unsigned char *out = NULL;
    size_t out_len = 0;
    CHECK_EQ_INT(vp_sfnt_compact_cmap((const unsigned char *)data, len, cps, gids, n, &out,
                                      &out_len),
                 VP_OK);
    hb_blob_t *nb = hb_blob_create((const char *)out, (unsigned)out_len, HB_MEMORY_MODE_READONLY,
                                   NULL, NULL);
    hb_face_t *nf = hb_face_create(nb, 0);
    hb_font_t *font = hb_font_create(nf);
    for (size_t i = 0; i < n; i++) {
        hb_codepoint_t g = 0;
        CHECK(hb_font_get_nominal_glyph(font, cps[i], &g));
        CHECK_EQ_INT(g, gids[i]);
    }
    hb_codepoint_t g;
    CHECK(!hb_font_get_nominal_glyph(font, 'B', &g));         /* in a gap of a segment */
    CHECK(!hb_font_get_nominal_glyph(font, 0x4E01, &g));
    CHECK(!hb_font_get_nominal_glyph(font, 0xFFFD, &g));
    CHECK_EQ_INT(hb_face_get_glyph_count(nf), hb_face_get_glyph_count(sub));
    /* whole-file checksum with checkSumAdjustment = 0xB1B0AFBA */
    uint32_t sum = 0;
    for (size_t i = 0; i + 4 <= out_len; i += 4)
        sum += (uint32_t)out[i] << 24 | (uint32_t)out[i + 1] << 16 | (uint32_t)out[i + 2] << 8 |
               out[i + 3];
    CHECK_EQ_INT(out_len % 4, 0);
    CHECK_EQ_INT(sum, 0xB1B0AFBAu);
    hb_font_destroy(font);
    hb_face_destroy(nf);
    hb_blob_destroy(nb);
    vp_free(out);
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
}

/* ---- measuring ---------------------------------------------------------------------- */

static void test_widths(void)
{
    double em = vp_fontset_advance(g_font, 0x4E2D);
    CHECK(em > 0.9 && em <= 1.0);
    CHECK_NEAR(vp_text_width(g_font, "中文", 10), 2 * em * 10, 1e-9);
    double a = vp_fontset_advance(g_font, 'A') * 12, b = vp_fontset_advance(g_font, 'B') * 12;
    CHECK_NEAR(vp_text_width(g_font, "AB", 12), a + b, 1e-9);
    /* widest line when there are several */
    CHECK_NEAR(vp_text_width(g_font, "A\nAB\nB", 12), a + b, 1e-9);
    CHECK_EQ_DBL(vp_text_width(g_font, "", 12), 0);
    CHECK_EQ_DBL(vp_text_width(g_font, NULL, 12), 0);
    /* measuring does not depend on libharu's byte-wise MeasureText: a 3-byte character
     * counts once */
    CHECK_NEAR(vp_text_width(g_font, "…", 10), vp_fontset_advance(g_font, 0x2026) * 10, 1e-9);
}

static void test_measure_lines_and_height(void)
{
    vp_text_metrics m;
    vp_text_style st = {.size = 10};
    double em = vp_fontset_advance(g_font, 0x4E00) * 10;
    /* ten ideographs, four fit per line: 4 + 4 + 2 */
    CHECK_EQ_INT(vp_text_measure(g_font, "一二三四五六七八九十", &st, 4 * em + 0.5, 0, &m, NULL), VP_OK);
    CHECK_EQ_INT(m.lines, 3);
    CHECK_NEAR(m.line_height, 14, 1e-9);          /* CJK: 1.4 */
    CHECK_NEAR(m.height, 42, 1e-9);
    CHECK(!m.truncated);
    /* Latin: 1.3 */
    CHECK_EQ_INT(vp_text_measure(g_font, "Renewal", &st, 200, 0, &m, NULL), VP_OK);
    CHECK_EQ_INT(m.lines, 1);
    CHECK_NEAR(m.line_height, 13, 1e-9);
    CHECK_NEAR(m.width, vp_text_width(g_font, "Renewal", 10), 1e-9);
    /* a height limit cuts the text: 30 pt holds two 13-pt lines */
    CHECK_EQ_INT(vp_text_measure(g_font, "one two three four five six seven", &st, 40, 30, &m, NULL),
                 VP_OK);
    CHECK_EQ_INT(m.lines, 2);
    CHECK(m.lines_needed > 2);
    CHECK(m.truncated);
    /* explicit line height */
    st.line_height = 2;
    CHECK_EQ_INT(vp_text_measure(g_font, "a", &st, 100, 0, &m, NULL), VP_OK);
    CHECK_NEAR(m.line_height, 20, 1e-9);
}

/* ---- line breaking ------------------------------------------------------------------ */

static void test_wrap_cjk(void)
{
    double em = vp_fontset_advance(g_font, 0x4E00) * 10;
    vp_text_layout L = layout("客户成功团队本季度完成续约", 10, 5 * em + 0.1, 0);
    CHECK_EQ_INT(L.n_lines, 3);
    check_line(&L, 0, "客户成功团");
    check_line(&L, 1, "队本季度完");
    check_line(&L, 2, "成续约");
    CHECK(L.cjk);
    for (size_t i = 0; i < L.n_lines; i++)
        CHECK(L.lines[i].width <= 5 * em + 0.1);
    vp_text_layout_free(&L);
}

static bool is_closing(unsigned cp)
{
    return cp == 0xFF0C || cp == 0x3002 || cp == 0xFF09 || cp == 0x3001 || cp == 0xFF1B ||
           cp == 0xFF1A || cp == 0x201D || cp == 0xFF01 || cp == 0xFF1F || cp == 0x300B;
}

static void test_closing_punctuation_never_starts_a_line(void)
{
    const char *s = "月结周期从十二天降至四天，提前一个季度达成年度目标。库存准确率（含在途）"
                    "达到百分之九十九，连续两个季度超过目标；采购模块活跃度下降，需要培训。";
    double em = vp_fontset_advance(g_font, 0x4E00) * 10;
    int checked = 0;
    /* every width from 3 to 20 ideographs puts some punctuation at a would-be line start */
    for (int chars = 3; chars <= 20; chars++) {
        vp_text_layout L = layout(s, 10, chars * em + 0.01, 0);
        size_t total = 0;
        for (size_t i = 0; i < L.n_lines; i++) {
            total += L.lines[i].end - L.lines[i].start;
            if (i > 0) {
                unsigned first = L.cps[L.lines[i].start];
                if (is_closing(first))
                    CHECK_FAIL_AT(__FILE__, __LINE__, "width %d: line %zu starts with U+%04X",
                                  chars, i, first);
                checked++;
            }
            CHECK(L.lines[i].width <= chars * em + 0.01);
        }
        CHECK_EQ_INT(total, L.n);              /* nothing lost or repeated */
        vp_text_layout_free(&L);
    }
    CHECK(checked > 50);
}

static void test_wrap_latin_at_spaces_and_hyphens(void)
{
    const char *s = "Inventory accuracy reached ninety-nine percent";
    double w = vp_text_width(g_font, "Inventory accuracy", 10) + 1;
    vp_text_layout L = layout(s, 10, w, 0);
    CHECK_EQ_INT(L.n_lines, 3);
    check_line(&L, 0, "Inventory accuracy ");        /* the space hangs */
    check_line(&L, 1, "reached ninety-");
    check_line(&L, 2, "nine percent");
    /* trailing spaces do not count in the width */
    CHECK_NEAR(L.lines[0].width, vp_text_width(g_font, "Inventory accuracy", 10), 1e-9);
    vp_text_layout_free(&L);
    CHECK(!L.cjk);
}

static void test_wrap_mixed(void)
{
    const char *s = "健康度 72 分（关注），较上季度下降 6 分 due to lower usage";
    double w = vp_text_width(g_font, "健康度 72 分（关注），", 10) + 0.5;
    vp_text_layout L = layout(s, 10, w, 0);
    CHECK(L.n_lines >= 3);
    check_line(&L, 0, "健康度 72 分（关注），");
    for (size_t i = 0; i < L.n_lines; i++) {
        CHECK(L.lines[i].width <= w);
        char *t = line_text(&L, i);
        /* Latin words are never split when they fit on a line */
        CHECK(!strstr(t, "lowe") || strstr(t, "lower"));
        CHECK(!strstr(t, "usag") || strstr(t, "usage"));
        vp_free(t);
    }
    CHECK(L.cjk);
    CHECK_NEAR(L.line_height, 14, 1e-9);
    vp_text_layout_free(&L);
}

static void test_word_longer_than_line_breaks_by_character(void)
{
    const char *word = "PO-2025-SHENZHEN-PROCUREMENTWORKFLOWESCALATIONQUEUE";
    double w = 60;
    vp_text_layout L = layout(word, 10, w, 0);
    CHECK(L.n_lines >= 4);
    vp_strbuf all = VP_STRBUF_INIT;
    for (size_t i = 0; i < L.n_lines; i++) {
        CHECK(L.lines[i].width <= w + 1e-9);
        CHECK(L.lines[i].end > L.lines[i].start);
        char *t = line_text(&L, i);
        vp_strbuf_puts(&all, t);
        vp_free(t);
    }
    CHECK_STR(vp_strbuf_cstr(&all), word);
    vp_strbuf_free(&all);
    vp_text_layout_free(&L);
    /* narrower than one character: one character per line, never an empty line */
    L = layout("ABC", 10, 1, 0);
    CHECK_EQ_INT(L.n_lines, 3);
    vp_text_layout_free(&L);
}

static void test_mandatory_breaks(void)
{
    vp_text_layout L = layout("第一行\n\nsecond\r\nthird\n", 10, 500, 0);
    CHECK_EQ_INT(L.n_lines, 4);
    check_line(&L, 0, "第一行");
    check_line(&L, 1, "");
    check_line(&L, 2, "second");
    check_line(&L, 3, "third");
    vp_text_layout_free(&L);
    L = layout("", 10, 100, 0);
    CHECK_EQ_INT(L.n_lines, 1);
    CHECK_EQ_DBL(L.lines[0].width, 0);
    vp_text_layout_free(&L);
}

static void test_ellipsis_truncation(void)
{
    const char *s = "华辰精密制造有限公司（Huachen Precision Manufacturing Co., Ltd.）华东区域事业部";
    double w = 150;
    vp_text_layout L = layout(s, 12, w, 2);
    CHECK_EQ_INT(L.n_lines, 2);
    CHECK(L.lines_needed > 2);
    CHECK(!L.lines[0].ellipsis);
    CHECK(L.lines[1].ellipsis);
    CHECK(L.lines[1].width <= w + 1e-9);
    char *t = line_text(&L, 1);
    size_t n = strlen(t);
    CHECK(n > 3 && strcmp(t + n - 3, "…") == 0);
    CHECK(n < 4 || t[n - 4] != ' ');               /* no space before the ellipsis */
    vp_free(t);
    vp_text_layout_free(&L);

    /* exactly fitting text is not cut */
    L = layout("短文本", 12, 200, 1);
    CHECK_EQ_INT(L.n_lines, 1);
    CHECK(!L.lines[0].ellipsis);
    vp_text_layout_free(&L);

    /* NOWRAP: one line with an ellipsis */
    vp_text_style st = {.size = 10, .flags = VP_TEXT_NOWRAP};
    vp_text_metrics m;
    CHECK_EQ_INT(vp_text_measure(g_font, "Weekly active buyers in purchasing", &st, 80, 0, &m, NULL),
                 VP_OK);
    CHECK_EQ_INT(m.lines, 1);
    CHECK(m.truncated);
    CHECK(m.width <= 80);
}

static void test_layout_reports_missing_glyph(void)
{
    vp_text_layout L = VP_TEXT_LAYOUT_INIT;
    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_text_layout_build(&L, g_font, "ok 🚀", NULL, 100, 0, diag), VP_ERR_FONT);
    CHECK_EQ_INT(L.n_lines, 0);
    const char *msg = NULL;
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "U+1F680");
    vp_text_layout_free(&L);
    vp_diag_free(diag);
}

/* ---- threads -------------------------------------------------------------------------- */

static void *measure_many(void *arg)
{
    long bad = 0;
    (void)arg;
    for (int i = 0; i < 300; i++) {
        vp_text_metrics m;
        vp_text_style st = {.size = 10 + i % 5};
        if (vp_text_measure(g_font, "客户成功 Customer success，持续增长 growth 12%", &st,
                            60 + i % 40, 0, &m, NULL) != VP_OK ||
            m.lines < 2)
            bad++;
    }
    return (void *)bad;
}

static void test_shared_fontset_in_threads(void)
{
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(pthread_create(&th[i], NULL, measure_many, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        CHECK_EQ_INT((long)r, 0);
    }
}

int main(void)
{
    vp_diag *diag = vp_diag_new();
    if (vp_fontset_load(&g_font, font_path(), 0, diag) != VP_OK) {
        vp_diag_print(diag, stderr);
        fprintf(stderr, "test_pdf_text: no usable font (apt-get install fonts-wqy-microhei)\n");
        return 1;
    }
    vp_diag_free(diag);
    RUN(test_font_found_by_fontconfig);
    RUN(test_font_errors);
    RUN(test_coverage_error_names_characters);
    RUN(test_cff_font_is_refused);
    RUN(test_latin_only_font);
    RUN(test_compact_cmap);
    RUN(test_widths);
    RUN(test_measure_lines_and_height);
    RUN(test_wrap_cjk);
    RUN(test_closing_punctuation_never_starts_a_line);
    RUN(test_wrap_latin_at_spaces_and_hyphens);
    RUN(test_wrap_mixed);
    RUN(test_word_longer_than_line_breaks_by_character);
    RUN(test_mandatory_breaks);
    RUN(test_ellipsis_truncation);
    RUN(test_layout_reports_missing_glyph);
    RUN(test_shared_fontset_in_threads);
    vp_fontset_free(g_font);
    return check_summary();
}
