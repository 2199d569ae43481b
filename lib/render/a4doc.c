/* a4doc.c — shared plumbing of the A4 documents (see a4doc.h). */
#include "a4doc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../format/format.h"
#include "../util/decimal.h"
#include "../util/strbuf.h"
#include "../util/utf8.h"

int vp_a4doc_begin(vp_a4doc *c, const vp_report *r, const vp_templates *tpl,
                   const vp_render_options *opts, vp_diag *diag, const vp_a4doc_keys *keys)
{
    memset(c, 0, sizeof *c);
    c->r = r;
    c->a = r->account;
    c->tpl = tpl;
    c->loc = r->locale;
    c->keys = keys;
    vp_arena_init(&c->ar, 16 * 1024);
    c->doc = vp_a4doc_tr(c, keys->name);
    c->period = vp_a4doc_period(c, r->period);
    char title[512], subject[256];
    snprintf(title, sizeof title, "%s \xE2\x80\x94 %s", c->a->name, c->doc);
    snprintf(subject, sizeof subject, "%s \xC2\xB7 %s", c->doc, c->period);
    c->diag = diag;
    int rc = vp_pdf_new(&c->d, opts->fonts, &tpl->theme, diag);
    if (rc != VP_OK)
        return rc;
    c->th = vp_pdf_theme(c->d);
    vp_pdf_info info = {.title = title, .author = c->a->csm.name, .subject = subject,
                        .keywords = c->a->id};
    vp_pdf_set_info(c->d, &info);
    /* SOURCE_DATE_EPOCH (read by the engine) wins; otherwise the as-of date, so the same
     * account and date give the same bytes. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!(sde && *sde) && r->generated != VP_NO_DATE)
        vp_pdf_set_time(c->d, (time_t)r->generated * 86400);
    vp_a4_init(&c->f, c->d, vp_a4doc_tr(c, keys->continued));
    return VP_OK;
}

void vp_a4doc_free(vp_a4doc *c)
{
    vp_pdf_free(c->d);
    c->d = NULL;
    vp_arena_destroy(&c->ar);
}

int vp_a4doc_end(vp_a4doc *c, const vp_render_options *opts, const char *path)
{
    const vp_a4doc_keys *k = c->keys;
    const char *csm = c->a->csm.name;
    vp_a4_finish(&c->f, c->a->name,
                 vp_a4doc_fill(c, vp_a4doc_tr(c, k->header), "doc", c->doc, "period", c->period,
                               NULL),
                 csm ? vp_a4doc_fill(c, vp_a4doc_tr(c, k->footer_csm), "name", csm, NULL)
                     : vp_a4doc_tr(c, k->footer),
                 vp_a4doc_tr(c, k->page));
    int rc = vp_pdf_status(c->d);
    if (rc == VP_OK && c->ar.failed) {
        /* a sentence or label could not be built: the page would silently miss text */
        vp_diag_add(c->diag, VP_SEV_ERROR, path, NULL, 0, 0, "out of memory");
        rc = VP_ERR_NOMEM;
    }
    if (rc == VP_OK && opts->check) {
        const char *slash = strrchr(path, '/');
        vp_pdf_check_layout(c->d, opts->check, slash ? slash + 1 : path);
    }
    if (rc == VP_OK)
        rc = vp_pdf_save(c->d, path, opts->tmpdir);
    vp_a4doc_free(c);
    return rc;
}

const char *vp_a4doc_tr(const vp_a4doc *c, const char *key) { return vp_tr(c->tpl, c->loc, key); }

const char *vp_a4doc_keep(vp_a4doc *c, const char *s)
{
    const char *p = s ? vp_arena_strdup(&c->ar, s) : NULL;
    return p ? p : "";
}

const char *vp_a4doc_fill(vp_a4doc *c, const char *pattern, ...)
{
    const char *keys[16], *vals[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, pattern);
    for (const char *k; n < 16 && (k = va_arg(ap, const char *)) != NULL; n++) {
        keys[n] = k;
        vals[n] = va_arg(ap, const char *);
    }
    va_end(ap);
    const char *s = vp_text_fill(&c->ar, pattern, keys, vals, n);
    return s ? s : "";
}

const char *vp_a4doc_money(vp_a4doc *c, double v)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_money(b, sizeof b, c->loc, c->r->currency, v));
}

const char *vp_a4doc_money_short(vp_a4doc *c, double v)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_money_short(b, sizeof b, c->loc, c->r->currency, v));
}

const char *vp_a4doc_number(vp_a4doc *c, double v, int decimals)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_number(b, sizeof b, c->loc, v, decimals));
}

const char *vp_a4doc_value(vp_a4doc *c, double v)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_value(b, sizeof b, c->loc, v, 2));
}

const char *vp_a4doc_percent(vp_a4doc *c, double pct, int decimals)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_percent(b, sizeof b, c->loc, pct, decimals));
}

const char *vp_a4doc_percent_auto(vp_a4doc *c, double pct)
{
    int dec = 0;
    while (dec < 2 && fabs(vp_round_half_away(pct, dec) - pct) > 1e-9)
        dec++;
    return vp_a4doc_percent(c, pct, dec);
}

const char *vp_a4doc_ratio(vp_a4doc *c, double ratio, int decimals)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_ratio(b, sizeof b, c->loc, ratio, decimals));
}

const char *vp_a4doc_multiple(vp_a4doc *c, double v)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_multiple(b, sizeof b, c->loc, v));
}

const char *vp_a4doc_date(vp_a4doc *c, vp_date d)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_date(b, sizeof b, c->loc, d));
}

const char *vp_a4doc_period(vp_a4doc *c, vp_period p)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_period(b, sizeof b, c->loc, p, c->a->fiscal_year_start_month));
}

const char *vp_a4doc_period_short(vp_a4doc *c, vp_period p)
{
    char b[VP_FMT_MAX];
    return vp_a4doc_keep(c, vp_fmt_period_short(b, sizeof b, c->loc, p));
}

/* As the headline sets units (lib/compute/kpi.c): a unit written with letters is set
 * off by a space in English ("45 days"); symbols and CJK units follow directly. */
static bool unit_starts_with_letter(const char *unit)
{
    size_t len;
    unsigned cp = vp_utf8_decode(unit, strlen(unit), &len);
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F) ||
           (cp >= 0x370 && cp <= 0x52F);
}

const char *vp_a4doc_kpi_value(vp_a4doc *c, const vp_kpi *k, double v)
{
    char b[VP_FMT_MAX];
    vp_fmt_value(b, sizeof b, c->loc, v, 2);
    if (!isfinite(v) || !k->unit || !*k->unit)
        return vp_a4doc_keep(c, b);
    const char *sp = c->loc == VP_LOCALE_EN && unit_starts_with_letter(k->unit) ? " " : "";
    const char *s = vp_arena_printf(&c->ar, "%s%s%s", b, sp, k->unit);
    return s ? s : "";
}

vp_rgb vp_a4doc_band_color(const vp_a4doc *c, const vp_health_band *b)
{
    const vp_theme *th = c->th;
    if (!b || !b->color)
        return th->neutral;
    if (strcmp(b->color, "good") == 0)
        return th->good;
    if (strcmp(b->color, "warning") == 0)
        return th->warning;
    if (strcmp(b->color, "bad") == 0)
        return th->bad;
    if (strcmp(b->color, "accent") == 0)
        return th->accent;
    return th->neutral;
}

vp_rgb vp_a4doc_status_color(const vp_a4doc *c, vp_kpi_status s)
{
    switch (s) {
    case VP_ST_ACHIEVED: case VP_ST_ON_TRACK: return c->th->good;
    case VP_ST_BEHIND: return c->th->warning;
    case VP_ST_REGRESSED: return c->th->bad;
    case VP_ST_NO_DATA: break;
    }
    return c->th->neutral;
}

const char *vp_a4doc_chart_fmt(double v, void *ctx, char *buf, size_t size)
{
    const vp_a4doc *c = ctx;
    double a = fabs(v);
    int dec = a == 0 || a >= 10 || fabs(a - round(a)) < 1e-9 ? 0 : a >= 1 ? 1 : 2;
    return vp_fmt_number(buf, size, c->loc, v, dec);
}
