/* Unit tests for the lib/pdf document engine: saving (reproducible, atomic, write errors),
 * metadata and outline, font subsetting and coverage errors, tables across pages, the
 * layout check, images, threads. PDFs are read back with poppler-utils and qpdf. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pdf/pdf.h"
#include "util/alloc.h"
#include "vp_config.h"

static vp_fontset *g_font;
static char g_dir[] = "/tmp/vp-engine-XXXXXX";

static const char *font_path(void)
{
    static const char *wqy = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    return access(wqy, R_OK) == 0 ? wqy : NULL;
}

static char *tmp_path(const char *name)
{
    static char buf[8][600];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 600, "%s/%s", g_dir, name);
    return p;
}

/* Output of a shell command (vp_free), "" when it printed nothing. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char *buf = vp_calloc(1, 1 << 17);
    size_t n = p ? fread(buf, 1, (1 << 17) - 1, p) : 0;
    buf[n] = '\0';
    if (p)
        pclose(p);
    return buf;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* A two-slide document with text, a table, a chart and bookmarks. */
static vp_pdf *sample(vp_diag *diag)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, diag), VP_OK);
    const vp_theme *th = vp_pdf_theme(d);
    vp_pdf_info info = {.title = "季度业务回顾 QBR", .author = "王晓明", .subject = "测试"};
    vp_pdf_set_info(d, &info);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_pdf_bookmark(d, "客户成功 概览", 0);
    vp_text_style title = {.size = 24, .color = th->ink, .bold = true};
    vp_pdf_text(d, (vp_rect){36, 36, 888, 40}, "客户成功 Customer Success，增长 12%", &title, "title",
                NULL);
    vp_shape_style tile = {.fill = true, .fill_color = th->tile, .radius = 6,
                           .flags = VP_BOX_CONTAINER};
    vp_pdf_rect(d, (vp_rect){36, 100, 200, 120}, &tile, "tile");
    vp_text_style big = {.size = 28, .color = th->ink, .bold = true};
    vp_pdf_text(d, (vp_rect){50, 112, 170, 40}, "¥4.86M", &big, "tile-value", NULL);
    double v[] = {12, 9, 6.5, 4};
    static const char *pl[] = {"12", "9", "6.5", "4"};
    vp_line_chart c = {.n = 4, .actual = v, .point_labels = pl, .baseline = 12, .target = 5,
                       .baseline_label = "基线 12", .target_label = "目标 5"};
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_pdf_bookmark(d, "KPI 记分卡 (2/3)", 1);
    vp_chart_line(d, (vp_rect){36, 100, 500, 300}, &c, "chart");
    return d;
}

/* ---- saving ---------------------------------------------------------------------------- */

static void test_reproducible_bytes(void)
{
    setenv("SOURCE_DATE_EPOCH", "1760000000", 1);
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    vp_pdf *d1 = sample(NULL), *d2 = sample(NULL);
    CHECK_EQ_INT(vp_pdf_to_memory(d1, g_dir, &a, &na), VP_OK);
    CHECK_EQ_INT(vp_pdf_to_memory(d2, g_dir, &b, &nb), VP_OK);
    CHECK(na > 1000);
    CHECK_EQ_INT(na, nb);
    CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
    /* saving again gives the same bytes too (saving does not change the document) */
    vp_free(b);
    CHECK_EQ_INT(vp_pdf_to_memory(d1, g_dir, &b, &nb), VP_OK);
    CHECK(na == nb && memcmp(a, b, na) == 0);
    /* and the comparison is real: another date, other bytes */
    vp_free(b);
    vp_pdf_set_time(d2, 1760000001);
    CHECK_EQ_INT(vp_pdf_to_memory(d2, g_dir, &b, &nb), VP_OK);
    CHECK(na != nb || memcmp(a, b, na) != 0);
    vp_free(a);
    vp_free(b);
    vp_pdf_free(d1);
    vp_pdf_free(d2);
    /* no temporary font file is left behind */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls -a1 '%s' | grep -c vp-font; true", g_dir);
    char *mine = run(cmd);
    CHECK_STR(mine, "0\n");
    vp_free(mine);
}

static void test_metadata_outline_and_text(void)
{
    setenv("SOURCE_DATE_EPOCH", "1760000000", 1);
    vp_pdf *d = sample(NULL);
    vp_pdf_set_page(d, 0);
    vp_pdf_page_label(d, VP_LABEL_DECIMAL, "S-", 1);
    const char *path = tmp_path("meta.pdf");
    CHECK_EQ_INT(vp_pdf_save(d, path, NULL), VP_OK);
    vp_pdf_free(d);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "pdfinfo -isodates '%s' 2>/dev/null", path);
    char *info = run(cmd);
    CHECK_CONTAINS(info, "Title:           季度业务回顾 QBR");
    CHECK_CONTAINS(info, "Author:          王晓明");
    CHECK_CONTAINS(info, "Creator:         valuepack " VP_VERSION);
    CHECK_CONTAINS(info, "CreationDate:    2025-10-09T08:53:20");
    CHECK_CONTAINS(info, "ModDate:         2025-10-09T08:53:20");
    CHECK_CONTAINS(info, "Pages:           2");
    CHECK_CONTAINS(info, "Page size:       960 x 540 pts");
    vp_free(info);
    snprintf(cmd, sizeof cmd, "qpdf --json --json-key=outlines --json-key=pages '%s'", path);
    char *js = run(cmd);
    CHECK_CONTAINS(js, "\"title\": \"客户成功 概览\"");
    CHECK_CONTAINS(js, "\"title\": \"KPI 记分卡 (2/3)\"");
    CHECK_CONTAINS(js, "\"label\"");
    CHECK_CONTAINS(js, "S-");
    vp_free(js);
    snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>/dev/null", path);
    char *txt = run(cmd);
    CHECK_CONTAINS(txt, "客户成功 Customer Success，增长 12%");
    CHECK_CONTAINS(txt, "¥4.86M");
    CHECK_CONTAINS(txt, "目标 5");
    vp_free(txt);
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    CHECK_EQ_INT(system(cmd), 0);
    /* the font is embedded as a subset */
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>/dev/null | tail -n +3", path);
    char *fonts = run(cmd);
    CHECK_CONTAINS(fonts, "CID TrueType");
    CHECK_CONTAINS(fonts, "yes yes yes");
    CHECK_EQ_INT(count(fonts, "\n"), 1);
    vp_free(fonts);
}

static void test_small_document_is_small(void)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_A4_W, VP_PAGE_A4_H);
    vp_text_style st = {.size = 11};
    vp_pdf_text(d, (vp_rect){50, 50, 495, 0},
                "续约方案：推荐方案 C（三年期），总价节省 12%。Renewal options: option C saves 12%.",
                &st, "body", NULL);
    const char *path = tmp_path("small.pdf");
    CHECK_EQ_INT(vp_pdf_save(d, path, NULL), VP_OK);
    long size = file_size(path);
    CHECK(size > 0 && size < 50 * 1024);
    /* far below the ~300 KB of embedding the whole face */
    CHECK(size < 15 * 1024);
    vp_pdf_free(d);
}

static void test_missing_glyph_is_an_error(void)
{
    vp_diag *diag = vp_diag_new();
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, diag), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_text_style st = {.size = 12};
    CHECK_EQ_INT(vp_pdf_text(d, (vp_rect){10, 10, 300, 20}, "Great quarter 🎉", &st, "t", NULL),
                 VP_ERR_FONT);
    CHECK_EQ_INT(vp_pdf_status(d), VP_ERR_FONT);
    /* sticky: later calls and the save return it */
    CHECK_EQ_INT(vp_pdf_text(d, (vp_rect){10, 40, 300, 20}, "fine", &st, "u", NULL), VP_ERR_FONT);
    const char *path = tmp_path("emoji.pdf");
    CHECK_EQ_INT(vp_pdf_save(d, path, NULL), VP_ERR_FONT);
    CHECK_EQ_INT(file_size(path), -1);
    CHECK(vp_diag_errors(diag) >= 1);
    const char *msg = NULL;
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "U+1F389 '🎉'");
    CHECK_CONTAINS(msg, "--font");
    vp_pdf_free(d);
    vp_diag_free(diag);
}

static void test_write_error_dev_full(void)
{
    vp_diag *diag = vp_diag_new();
    vp_pdf *d = sample(diag);
    FILE *fp = fopen("/dev/full", "wb");
    CHECK(fp != NULL);
    if (fp) {
        CHECK_EQ_INT(vp_pdf_write(d, fp, g_dir), VP_ERR_IO);
        fclose(fp);
        const char *msg = NULL;
        vp_diag_get(diag, vp_diag_count(diag) - 1, NULL, NULL, NULL, NULL, NULL, &msg);
        CHECK_CONTAINS(msg, strerror(ENOSPC));
    }
    /* the document itself is fine: the same document still saves elsewhere */
    CHECK_EQ_INT(vp_pdf_status(d), VP_OK);
    CHECK_EQ_INT(vp_pdf_save(d, tmp_path("after-full.pdf"), NULL), VP_OK);
    /* a device is never replaced by a rename */
    CHECK_EQ_INT(vp_pdf_save(d, "/dev/full", g_dir), VP_ERR_IO);
    struct stat st;
    CHECK(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode));
    vp_pdf_free(d);
    vp_diag_free(diag);
}

static void test_failed_save_leaves_nothing(void)
{
    vp_diag *diag = vp_diag_new();
    vp_pdf *d = sample(diag);
    /* no such folder */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/no/such/dir/out.pdf", g_dir);
    CHECK_EQ_INT(vp_pdf_save(d, bad, g_dir), VP_ERR_IO);
    CHECK_EQ_INT(file_size(bad), -1);
    vp_pdf_free(d);
    /* an older file keeps its content when the new document fails */
    const char *path = tmp_path("old.pdf");
    FILE *fp = fopen(path, "wb");
    fputs("old content", fp);
    fclose(fp);
    d = sample(diag);
    vp_text_style st = {.size = 12};
    vp_pdf_text(d, (vp_rect){10, 10, 300, 20}, "\xF0\x9F\x98\x80", &st, NULL, NULL);
    CHECK_EQ_INT(vp_pdf_save(d, path, NULL), VP_ERR_FONT);
    CHECK_EQ_INT(file_size(path), 11);
    vp_pdf_free(d);
    /* and no temporary file is left in the folder */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls -a1 '%s' | grep -c 'tmp-' ; true", g_dir);
    char *n = run(cmd);
    CHECK_STR(n, "0\n");
    vp_free(n);
    vp_diag_free(diag);
}

static void test_empty_document(void)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    const char *path = tmp_path("empty.pdf");
    CHECK_EQ_INT(vp_pdf_save(d, path, NULL), VP_OK);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    CHECK_EQ_INT(system(cmd), 0);
    /* drawing before a page is a usage error */
    vp_text_style st = {.size = 12};
    CHECK_EQ_INT(vp_pdf_text(d, (vp_rect){0, 0, 10, 10}, "x", &st, NULL, NULL), VP_ERR_USAGE);
    vp_pdf_free(d);
}

/* ---- tables ---------------------------------------------------------------------------- */

static vp_table *table_of(vp_pdf *d, int rows)
{
    vp_table_col cols[] = {{"KPI 名称", 0, VP_ALIGN_LEFT, 2},
                           {"实际 Actual", 90, VP_ALIGN_RIGHT, 1},
                           {"状态 Status", 110, VP_ALIGN_LEFT, 1}};
    vp_table *t = NULL;
    CHECK_EQ_INT(vp_table_new(&t, d, cols, 3, 480, NULL), VP_OK);
    const vp_theme *th = vp_pdf_theme(d);
    for (int i = 0; i < rows && t; i++) {
        char name[64], val[16];
        /* every third name wraps to two lines */
        snprintf(name, sizeof name, i % 3 ? "R%02d 指标" : "R%02d 月结周期 month-end close days %s", i + 1,
                 "and more words that wrap");
        snprintf(val, sizeof val, "%d.%d", i * 3, i % 10);
        vp_table_cell cells[3] = {
            {.text = name},
            {.text = val},
            {.kind = VP_CELL_PILL, .text = "● 达标 On track", .color = &th->good},
        };
        CHECK_EQ_INT(vp_table_add_row(t, cells), VP_OK);
    }
    return t;
}

static void test_table_pagination(void)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    vp_table *t = table_of(d, 25);
    CHECK_EQ_INT(vp_table_rows(t), 25);
    double hh = vp_table_header_height(t);
    CHECK(hh > 10);
    /* wrapped rows are taller */
    CHECK(vp_table_row_height(t, 0) > vp_table_row_height(t, 1) + 5);
    double avail = 220;
    vp_table_chunk ch[16];
    size_t n = vp_table_paginate(t, avail, avail, ch, 16);
    CHECK(n >= 3 && n <= 16);
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK_EQ_INT(ch[i].first, next);                 /* contiguous, in order */
        CHECK(ch[i].count >= 1);
        CHECK(vp_table_height(t, ch[i].first, ch[i].count) <= avail + 0.01);
        /* a chunk is as full as it can be: one more row would not fit */
        if (i + 1 < n)
            CHECK(vp_table_height(t, ch[i].first, ch[i].count + 1) > avail);
        next += ch[i].count;
    }
    CHECK_EQ_INT(next, 25);
    CHECK_EQ_INT(vp_table_fit(t, 0, avail), ch[0].count);
    /* counting only */
    CHECK_EQ_INT(vp_table_paginate(t, avail, avail, NULL, 0), n);

    /* render: every page repeats the header; every row appears once */
    for (size_t i = 0; i < n; i++) {
        vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
        char title[64];
        snprintf(title, sizeof title, "KPI scorecard (%zu/%zu)", i + 1, n);
        vp_text_style st = {.size = 20, .bold = true};
        vp_pdf_text(d, (vp_rect){36, 30, 800, 30}, title, &st, "title", NULL);
        double used = 0;
        CHECK_EQ_INT(vp_table_draw(d, t, ch[i].first, ch[i].count, 36, 100, avail, "scorecard",
                                   &used),
                     VP_OK);
        CHECK_NEAR(used, vp_table_height(t, ch[i].first, ch[i].count), 1e-9);
    }
    const char *path = tmp_path("table.pdf");
    CHECK_EQ_INT(vp_pdf_save(d, path, NULL), VP_OK);
    char cmd[800];
    for (size_t i = 0; i < n; i++) {
        snprintf(cmd, sizeof cmd, "pdftotext -f %zu -l %zu '%s' - 2>/dev/null", i + 1, i + 1, path);
        char *txt = run(cmd);
        CHECK_EQ_INT(count(txt, "KPI 名称"), 1);
        char title[64];
        snprintf(title, sizeof title, "(%zu/%zu)", i + 1, n);
        CHECK_CONTAINS(txt, title);
        vp_free(txt);
    }
    snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>/dev/null", path);
    char *all = run(cmd);
    for (int r = 1; r <= 25; r++) {
        char id[8];
        snprintf(id, sizeof id, "R%02d", r);
        CHECK_EQ_INT(count(all, id), 1);
    }
    CHECK_EQ_INT(count(all, "达标 On track"), 25);
    vp_free(all);
    CHECK_EQ_INT(vp_pdf_check_layout(d, NULL, NULL), 0);

    /* too little room for even one row on the current page: chunk 0 is empty */
    n = vp_table_paginate(t, hh + 5, avail, ch, 16);
    CHECK_EQ_INT(ch[0].count, 0);
    CHECK(ch[1].count >= 1);
    /* a page lower than a row still makes progress, one row per chunk */
    n = vp_table_paginate(t, 1, 1, ch, 16);
    CHECK_EQ_INT(n, 26);
    CHECK_EQ_INT(ch[0].count, 0);
    CHECK_EQ_INT(ch[1].count, 1);
    vp_table_free(t);
    /* an empty table is one empty chunk */
    t = table_of(d, 0);
    CHECK_EQ_INT(vp_table_paginate(t, 100, 100, ch, 16), 1);
    CHECK_EQ_INT(ch[0].count, 0);
    vp_table_free(t);
    vp_pdf_free(d);
}

static void test_table_overflow_is_reported(void)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_table *t = table_of(d, 10);
    vp_table_draw(d, t, 0, 10, 36, 100, 120, "kpis", NULL);
    vp_layout_check *c = vp_layout_check_new();
    CHECK(vp_pdf_check_layout(d, c, NULL) >= 1);
    CHECK_CONTAINS(vp_layout_check_get(c, 0), "page 1: table 'kpis' overflows its area by");
    vp_layout_check_free(c);
    vp_table_free(t);
    vp_pdf_free(d);
}

/* ---- layout check ---------------------------------------------------------------------- */

static void test_layout_check_overflow_and_truncation(void)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_text_style st = {.size = 12};
    const char *name = "Month-end close duration in working days across all regions";
    vp_text_metrics m;
    vp_pdf_text(d, (vp_rect){36, 36, 120, 16}, name, &st, "kpi-name", &m);
    CHECK_EQ_INT(m.lines, 1);
    CHECK(m.truncated);
    CHECK(m.lines_needed >= 4);
    st.flags = VP_TEXT_TRUNCATE_OK;
    vp_pdf_text(d, (vp_rect){36, 80, 120, 16}, name, &st, "cover-name", NULL);
    vp_text_style tiny = {.size = 7};
    vp_pdf_text(d, (vp_rect){36, 400, 300, 0}, "fine print", &tiny, "footnote", NULL);
    vp_layout_check *c = vp_layout_check_new();
    CHECK_EQ_INT(vp_pdf_check_layout(d, c, "deck.pdf"), 2);
    CHECK_EQ_INT(vp_layout_check_count(c), 2);
    CHECK_CONTAINS(vp_layout_check_get(c, 1),
                   "deck.pdf: page 1: text in box 'footnote' is 7.0 pt, below the 8 pt minimum");
    const char *p = vp_layout_check_get(c, 0);
    CHECK_CONTAINS(p, "deck.pdf: page 1: text overflows box 'kpi-name' by ");
    /* the overflow is the height of the lines that did not fit */
    char want[64];
    snprintf(want, sizeof want, "by %.1f pt", (m.lines_needed - 1) * m.line_height);
    CHECK_CONTAINS(p, want);
    CHECK_CONTAINS(p, "\"Month-end close");
    CHECK_EQ_INT(vp_layout_check_note_count(c), 1);
    CHECK_CONTAINS(vp_layout_check_note(c, 0), "page 1: text truncated in box 'cover-name' (1 of");
    CHECK(vp_layout_check_get(c, 2) == NULL);
    vp_layout_check_free(c);
    vp_pdf_free(d);
}

static void test_layout_check_overlaps(void)
{
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_shape_style box = {.fill = true, .fill_color = {0.9f, 0.9f, 0.9f}};
    vp_shape_style cont = box;
    cont.flags = VP_BOX_CONTAINER;
    vp_pdf_rect(d, (vp_rect){100, 100, 200, 100}, &box, "chart-1");
    vp_pdf_rect(d, (vp_rect){250, 150, 200, 100}, &box, "table");         /* overlaps chart-1 */
    vp_pdf_rect(d, (vp_rect){300, 300, 100, 50}, &box, "edge-a");
    vp_pdf_rect(d, (vp_rect){400, 300, 100, 50}, &box, "edge-b");          /* touches only */
    vp_pdf_rect(d, (vp_rect){500, 20, 300, 150}, &cont, "tile");
    vp_text_style st = {.size = 12};
    vp_pdf_text(d, (vp_rect){520, 40, 200, 20}, "inside the tile", &st, "inside", NULL);
    vp_pdf_text(d, (vp_rect){700, 160, 200, 20}, "sticks out of it", &st, "outside", NULL);
    vp_pdf_rect(d, (vp_rect){900, 500, 100, 100}, &box, "off-page");
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_pdf_rect(d, (vp_rect){100, 100, 200, 100}, &box, "other-page");    /* same spot, page 2 */
    vp_layout_check *c = vp_layout_check_new();
    CHECK_EQ_INT(vp_pdf_check_layout(d, c, NULL), 3);
    char all[2000] = "";
    for (size_t i = 0; i < vp_layout_check_count(c); i++) {
        strncat(all, vp_layout_check_get(c, i), sizeof all - strlen(all) - 2);
        strcat(all, "\n");
    }
    CHECK_CONTAINS(all, "page 1: boxes 'chart-1' and 'table' overlap");
    CHECK_CONTAINS(all, "page 1: box 'outside' sticks out of 'tile'");
    CHECK_CONTAINS(all, "page 1: box 'off-page' extends beyond the page");
    CHECK(!strstr(all, "edge-"));
    CHECK(!strstr(all, "'inside'"));
    CHECK(!strstr(all, "other-page"));
    vp_layout_check_free(c);
    vp_pdf_free(d);
}

static void test_clean_layout_reports_nothing(void)
{
    vp_pdf *d = sample(NULL);
    vp_layout_check *c = vp_layout_check_new();
    CHECK_EQ_INT(vp_pdf_check_layout(d, c, NULL), 0);
    CHECK_EQ_INT(vp_layout_check_count(c), 0);
    CHECK_EQ_INT(vp_layout_check_note_count(c), 0);
    for (size_t i = 0; i < vp_layout_check_count(c); i++)
        fprintf(stderr, "  unexpected: %s\n", vp_layout_check_get(c, i));
    vp_layout_check_free(c);
    vp_pdf_free(d);
}

/* ---- images ---------------------------------------------------------------------------- */

static const unsigned char k_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xf0,
    0xca, 0xea, 0x34, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x90,
    0xf7, 0xab, 0x84, 0x23, 0x06, 0x64, 0x0e, 0x00, 0x5a, 0xba, 0x07, 0x31, 0x4a, 0x24, 0xc6,
    0x6d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* 6 x 3 grey JPEG (baseline, one component). */
static const unsigned char k_jpg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c,
    0x0a, 0x10, 0x0e, 0x0d, 0x0e, 0x12, 0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16,
    0x18, 0x31, 0x23, 0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40,
    0x48, 0x5c, 0x4e, 0x40, 0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51, 0x57, 0x5f, 0x62,
    0x67, 0x68, 0x67, 0x3e, 0x4d, 0x71, 0x79, 0x70, 0x64, 0x78, 0x5c, 0x65, 0x67, 0x63, 0xff,
    0xc0, 0x00, 0x0b, 0x08, 0x00, 0x03, 0x00, 0x06, 0x01, 0x01, 0x11, 0x00, 0xff, 0xc4, 0x00,
    0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x05, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08,
    0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x31, 0xff, 0xd9
};

static void test_images(void)
{
    const char *png = tmp_path("logo.png");
    FILE *fp = fopen(png, "wb");
    fwrite(k_png, 1, sizeof k_png, fp);
    fclose(fp);
    vp_pdf *d = NULL;
    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, diag), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    CHECK_EQ_INT(vp_pdf_image(d, png, (vp_rect){36, 36, 120, 48}, VP_ALIGN_LEFT, "logo"), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    CHECK_EQ_INT(vp_pdf_image(d, png, (vp_rect){36, 36, 120, 48}, VP_ALIGN_RIGHT, "logo"), VP_OK);
    /* a 4:2 image in a 120 x 48 box is 96 x 48; right-aligned it starts at x = 60, so this
     * box left of it does not overlap it (it would if the image filled the box) */
    vp_pdf_mark(d, (vp_rect){36, 36, 23.5, 48}, "left-gap", 0);
    const char *jpg = tmp_path("photo.jpg");
    fp = fopen(jpg, "wb");
    fwrite(k_jpg, 1, sizeof k_jpg, fp);
    fclose(fp);
    CHECK_EQ_INT(vp_pdf_image(d, jpg, (vp_rect){300, 36, 120, 120}, VP_ALIGN_CENTER, "photo"),
                 VP_OK);
    const char *path = tmp_path("image.pdf");
    CHECK_EQ_INT(vp_pdf_save(d, path, NULL), VP_OK);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "pdfimages -list '%s' 2>/dev/null | tail -n +3", path);
    char *list = run(cmd);
    CHECK_EQ_INT(count(list, "\n"), 3);          /* the PNG drawn twice, the JPEG once */
    CHECK_CONTAINS(list, "     4     2  rgb");   /* 4 x 2 RGB */
    CHECK_CONTAINS(list, "     6     3  gray");  /* 6 x 3 grey, kept as JPEG */
    CHECK_CONTAINS(list, "jpeg");
    vp_free(list);
    vp_layout_check *c = vp_layout_check_new();
    CHECK_EQ_INT(vp_pdf_check_layout(d, c, NULL), 0);
    vp_layout_check_free(c);
    vp_pdf_free(d);

    /* not an image */
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, diag), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    CHECK_EQ_INT(vp_pdf_image(d, "/etc/hostname", (vp_rect){0, 0, 10, 10}, VP_ALIGN_LEFT, NULL),
                 VP_ERR_RENDER);
    const char *msg = NULL;
    vp_diag_get(diag, vp_diag_count(diag) - 1, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "expected a PNG or JPEG file");
    vp_pdf_free(d);
    vp_diag_free(diag);
}

/* ---- damaged PNGs: libpng would abort() the process inside libharu ---------------- */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static size_t put_chunk(unsigned char *o, const char *type, const unsigned char *data, size_t len)
{
    o[0] = (unsigned char)(len >> 24);
    o[1] = (unsigned char)(len >> 16);
    o[2] = (unsigned char)(len >> 8);
    o[3] = (unsigned char)len;
    memcpy(o + 4, type, 4);
    if (len)
        memcpy(o + 8, data, len);
    uint32_t c = crc32_of(o + 4, len + 4);
    o[8 + len] = (unsigned char)(c >> 24);
    o[9 + len] = (unsigned char)(c >> 16);
    o[10 + len] = (unsigned char)(c >> 8);
    o[11 + len] = (unsigned char)c;
    return 12 + len;
}

/* A 4 x 2 PNG of colour type ctype (2 RGB, 6 RGBA) whose IDAT holds `raw` (n bytes; 26
 * expected for RGB, 34 for RGBA) in a stored zlib block; zlib_ok false writes a damaged
 * zlib stream instead. Returns the file size. */
static size_t make_png_type(unsigned char *o, const unsigned char *raw, size_t n, bool zlib_ok,
                            unsigned char ctype)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    unsigned char ihdr[13] = {0, 0, 0, 4, 0, 0, 0, 2, 8, 2, 0, 0, 0};
    ihdr[9] = ctype;
    unsigned char z[128];
    size_t zn = 0;
    z[zn++] = 0x78;
    z[zn++] = 0x01;
    z[zn++] = 0x01;                                   /* final stored block */
    z[zn++] = (unsigned char)n;
    z[zn++] = (unsigned char)(n >> 8);
    z[zn++] = (unsigned char)~n;
    z[zn++] = (unsigned char)(~n >> 8);
    memcpy(z + zn, raw, n);
    zn += n;
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    uint32_t adler = b << 16 | a;
    z[zn++] = (unsigned char)(adler >> 24);
    z[zn++] = (unsigned char)(adler >> 16);
    z[zn++] = (unsigned char)(adler >> 8);
    z[zn++] = (unsigned char)adler;
    if (!zlib_ok)
        z[2] = 0x07;                                  /* invalid block type */
    size_t len = 0;
    memcpy(o, sig, 8);
    len += 8;
    len += put_chunk(o + len, "IHDR", ihdr, 13);
    len += put_chunk(o + len, "IDAT", z, zn);
    len += put_chunk(o + len, "IEND", NULL, 0);
    return len;
}

static size_t make_png(unsigned char *o, const unsigned char *raw, size_t n, bool zlib_ok)
{
    return make_png_type(o, raw, n, zlib_ok, 2);
}

static int image_rc(const unsigned char *png, size_t n, const char **msg, vp_diag *diag)
{
    const char *path = tmp_path("damaged.png");
    FILE *fp = fopen(path, "wb");
    fwrite(png, 1, n, fp);
    fclose(fp);
    vp_pdf *d = NULL;
    vp_diag_clear(diag);
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, diag), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    int rc = vp_pdf_image(d, path, (vp_rect){10, 10, 100, 50}, VP_ALIGN_LEFT, "logo");
    if (rc == VP_OK)
        rc = vp_pdf_save(d, tmp_path("damaged.pdf"), NULL);
    *msg = "";
    if (vp_diag_count(diag))
        vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, msg);
    vp_pdf_free(d);
    return rc;
}

static void test_damaged_png_is_refused(void)
{
    unsigned char raw[32], png[256];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)(i * 37);
    raw[0] = 0;                                       /* filter bytes of the two rows */
    raw[13] = 1;
    vp_diag *diag = vp_diag_new();
    const char *msg;
    /* the well-formed one is accepted (the helper builds valid files) */
    CHECK_EQ_INT(image_rc(png, make_png(png, raw, 26, true), &msg, diag), VP_OK);
    CHECK_EQ_INT(image_rc(png, make_png(png, raw, 26, false), &msg, diag), VP_ERR_RENDER);
    CHECK_CONTAINS(msg, "cannot use the image: the compressed image data is corrupt");
    raw[13] = 9;
    CHECK_EQ_INT(image_rc(png, make_png(png, raw, 26, true), &msg, diag), VP_ERR_RENDER);
    CHECK_CONTAINS(msg, "invalid filter type");
    raw[13] = 1;
    CHECK_EQ_INT(image_rc(png, make_png(png, raw, 25, true), &msg, diag), VP_ERR_RENDER);
    CHECK_CONTAINS(msg, "less image data");
    CHECK_EQ_INT(image_rc(png, make_png(png, raw, 27, true), &msg, diag), VP_ERR_RENDER);
    CHECK_CONTAINS(msg, "more image data");
    size_t n = make_png(png, raw, 26, true);
    png[40] ^= 0x10;                                  /* a byte inside IDAT: CRC fails */
    CHECK_EQ_INT(image_rc(png, n, &msg, diag), VP_ERR_RENDER);
    CHECK_CONTAINS(msg, "CRC");
    make_png(png, raw, 26, true);
    CHECK_EQ_INT(image_rc(png, 33, &msg, diag), VP_ERR_RENDER);      /* cut after IHDR */
    CHECK_CONTAINS(msg, "ends in the middle of a chunk");
    vp_diag_free(diag);
}

/* libharu leaves a PNG's alpha mask uncompressed unless told: it must be compressed */
static void test_png_alpha_mask_is_compressed(void)
{
    unsigned char raw[34] = {0}, png[256];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)(i * 29);
    raw[0] = 0;
    raw[17] = 0;
    const char *path = tmp_path("alpha.png");
    FILE *fp = fopen(path, "wb");
    fwrite(png, 1, make_png_type(png, raw, 34, true, 6), fp);
    fclose(fp);
    vp_pdf *d = NULL;
    CHECK_EQ_INT(vp_pdf_new(&d, g_font, NULL, NULL), VP_OK);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    CHECK_EQ_INT(vp_pdf_image(d, path, (vp_rect){10, 10, 100, 50}, VP_ALIGN_LEFT, "logo"), VP_OK);
    const char *out = tmp_path("alpha.pdf");
    CHECK_EQ_INT(vp_pdf_save(d, out, NULL), VP_OK);
    vp_pdf_free(d);
    char cmd[900];
    snprintf(cmd, sizeof cmd,
             "qpdf --json '%s' | /usr/bin/python3 -c \"import json,sys; o=json.load(sys.stdin)"
             "['qpdf'][1]; print(sorted(v['stream']['dict'].get('/Filter','none') for v in "
             "o.values() if 'stream' in v and v['stream']['dict'].get('/Subtype')=='/Image'))\"",
             out);
    char *filters = run(cmd);
    CHECK_STR(filters, "[['/FlateDecode'], ['/FlateDecode']]\n");   /* the image and its SMask */
    vp_free(filters);
}

/* ---- threads ---------------------------------------------------------------------------- */

typedef struct job {
    unsigned char *buf;
    size_t len;
    int rc;
} job;

static void *render_job(void *arg)
{
    job *j = arg;
    vp_pdf *d = sample(NULL);
    vp_pdf_set_time(d, 1760000000);
    vp_table *t = table_of(d, 12);
    vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
    vp_table_draw(d, t, 0, 12, 36, 40, 0, "t", NULL);
    vp_table_free(t);
    j->rc = vp_pdf_to_memory(d, g_dir, &j->buf, &j->len);
    vp_pdf_free(d);
    return NULL;
}

static void test_parallel_documents_share_the_font(void)
{
    pthread_t th[4];
    job jobs[4];
    memset(jobs, 0, sizeof jobs);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 20);   /* libharu needs > 128 KiB of stack */
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(pthread_create(&th[i], &attr, render_job, &jobs[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    pthread_attr_destroy(&attr);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(jobs[i].rc, VP_OK);
        CHECK(jobs[i].len > 1000);
        CHECK(jobs[i].len == jobs[0].len && memcmp(jobs[i].buf, jobs[0].buf, jobs[0].len) == 0);
    }
    for (int i = 0; i < 4; i++)
        vp_free(jobs[i].buf);
}

int main(void)
{
    vp_diag *diag = vp_diag_new();
    if (vp_fontset_load(&g_font, font_path(), 0, diag) != VP_OK || !mkdtemp(g_dir)) {
        vp_diag_print(diag, stderr);
        return 1;
    }
    vp_diag_free(diag);
    RUN(test_reproducible_bytes);
    RUN(test_metadata_outline_and_text);
    RUN(test_small_document_is_small);
    RUN(test_missing_glyph_is_an_error);
    RUN(test_write_error_dev_full);
    RUN(test_failed_save_leaves_nothing);
    RUN(test_empty_document);
    RUN(test_table_pagination);
    RUN(test_table_overflow_is_reported);
    RUN(test_layout_check_overflow_and_truncation);
    RUN(test_layout_check_overlaps);
    RUN(test_clean_layout_reports_nothing);
    RUN(test_images);
    RUN(test_damaged_png_is_refused);
    RUN(test_png_alpha_mask_is_compressed);
    RUN(test_parallel_documents_share_the_font);
    vp_fontset_free(g_font);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (getenv("VP_KEEP_TEST_OUTPUT"))
        printf("output kept in %s\n", g_dir);
    else if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    return check_summary();
}
