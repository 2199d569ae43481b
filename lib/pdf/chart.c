/* chart.c — IBCS-style business charts: line, bar (vertical, grouped, horizontal), gauge,
 * progress bar; and the nice-tick algorithm behind their value axes. */
#include "engine.h"

#include <math.h>
#include <string.h>

#include "../util/alloc.h"

/* ---- ticks ---------------------------------------------------------------------------- */

static double pow10i(int e)
{
    double r = 1;
    for (int i = 0; i < (e < 0 ? -e : e); i++)
        r *= 10;
    return r;
}

/* k * mant * 10^e, computed so that decimal steps come out as the nearest double
 * (3 * 0.1 prints as 0.3): divide by an exact power of ten instead of multiplying by 0.1. */
static double scaled(double k, int mant, int e)
{
    double v = k * mant;
    v = e >= 0 ? v * pow10i(e) : v / pow10i(-e);
    return v + 0.0;               /* -0 -> 0 */
}

bool vp_nice_ticks(double min, double max, int max_ticks, vp_ticks *out)
{
    memset(out, 0, sizeof *out);
    if (!isfinite(min) || !isfinite(max))
        return false;
    if (max_ticks < 2)
        max_ticks = 2;
    if (min > max) {
        double t = min;
        min = max;
        max = t;
    }
    if (max - min <= 1e-12 * fmax(fabs(min), fabs(max))) {
        /* One value, or all equal: a range around it (0 gets 0..1). */
        if (min == 0) {
            max = 1;
        } else {
            double pad = fabs(min) * 0.1;
            min -= pad;
            max += pad;
        }
    }
    double raw = (max - min) / (max_ticks - 1);
    int e = (int)floor(log10(raw));
    static const int mants[] = {1, 2, 5};
    for (int guard = 0; guard < 40; guard++) {
        for (size_t m = 0; m < 3; m++) {
            double step = scaled(1, mants[m], e);
            if (step < raw * (1 - 1e-9))
                continue;
            double k0 = floor(min / step + 1e-9), k1 = ceil(max / step - 1e-9);
            if (k1 <= k0)
                k1 = k0 + 1;
            double n = k1 - k0 + 1;
            if (n > max_ticks)
                continue;
            out->first = (long)k0;
            out->mant = mants[m];
            out->exp10 = e;
            out->n = (int)n;
            out->step = step;
            out->lo = scaled(k0, mants[m], e);
            out->hi = scaled(k1, mants[m], e);
            return true;
        }
        e++;
    }
    return false;
}

double vp_tick_value(const vp_ticks *t, int i)
{
    return scaled((double)(t->first + i), t->mant, t->exp10);
}

const char *vp_chart_fmt_plain(double v, void *ctx, char *buf, size_t size)
{
    (void)ctx;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.2f", fabs(v));
    char *dot = strchr(tmp, '.');
    if (dot) {                                   /* "1.50" -> "1.5", "2.00" -> "2" */
        char *e = tmp + strlen(tmp);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    bool neg = v < 0 && strcmp(tmp, "0") != 0;   /* never "-0" */
    snprintf(buf, size, "%s%s", neg ? "\xE2\x88\x92" : "", tmp);
    return buf;
}

/* ---- helpers --------------------------------------------------------------------------- */

static const char *fmt_value(vp_chart_fmt fmt, void *ctx, double v, char *buf, size_t size)
{
    const char *s = fmt ? fmt(v, ctx, buf, size) : vp_chart_fmt_plain(v, NULL, buf, size);
    return s ? s : "";
}

static vp_text_style label_style(const vp_pdf *d, double size, vp_rgb color, vp_align al)
{
    (void)d;
    vp_text_style st = {.size = size, .color = color, .align = al, .valign = VP_VALIGN_MIDDLE,
                        .flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK};
    return st;
}

/* A one-line label centred vertically on y. */
static void label_at(vp_pdf *d, double x, double y, double w, const char *s, double size,
                     vp_rgb color, vp_align al)
{
    if (!s || !*s)
        return;
    vp_text_style st = label_style(d, size, color, al);
    double lh = 1.4 * size;
    vp_pdf_text_internal(d, (vp_rect){x, y - lh / 2, w, lh}, s, &st, NULL, NULL);
}

static void hline(vp_pdf *d, double x1, double x2, double y, vp_rgb c, double w, vp_dash dash)
{
    vp_shape_style st = {.stroke = true, .stroke_color = c, .line_width = w, .dash = dash};
    vp_pdf_line(d, x1, y, x2, y, &st);
}

static void empty_chart(vp_pdf *d, vp_rect r, const char *text, double size)
{
    vp_text_style st = {.size = size, .color = d->theme->secondary, .align = VP_ALIGN_CENTER,
                        .valign = VP_VALIGN_MIDDLE, .flags = VP_TEXT_TRUNCATE_OK};
    vp_pdf_text_internal(d, r, text ? text : "", &st, NULL, NULL);
}

static double chart_size(double s) { return s > 0 ? s : 9; }

static int finish(vp_pdf *d, vp_rect r, const char *id)
{
    vp_pdf_mark(d, r, id ? id : "chart", 0);
    return d->status;
}

static void extend(double v, double *lo, double *hi)
{
    if (!isfinite(v))
        return;
    if (v < *lo)
        *lo = v;
    if (v > *hi)
        *hi = v;
}

/* The widest formatted tick label. */
static double ticks_width(vp_pdf *d, const vp_ticks *tk, vp_chart_fmt fmt, void *ctx, double size)
{
    double w = 0;
    char buf[64];
    for (int i = 0; i < tk->n; i++)
        w = fmax(w, vp_text_width(d->fonts, fmt_value(fmt, ctx, vp_tick_value(tk, i), buf,
                                                      sizeof buf), size));
    return w;
}

/* ---- line chart ------------------------------------------------------------------------ */

int vp_chart_line(vp_pdf *d, vp_rect r, const vp_line_chart *c, const char *id)
{
    if (d->status != VP_OK)
        return d->status;
    const vp_theme *th = d->theme;
    double fs = chart_size(c->size), lh = 1.4 * fs;
    double lo = INFINITY, hi = -INFINITY;
    size_t known = 0;
    for (size_t i = 0; c->actual && i < c->n; i++) {
        if (isfinite(c->actual[i]))
            known++;
        extend(c->actual[i], &lo, &hi);
        if (c->plan)
            extend(c->plan[i], &lo, &hi);
    }
    if (known == 0) {
        empty_chart(d, r, c->empty_text, fs + 1);
        return finish(d, r, id);
    }
    /* Reference lines exist when labelled (a zero-initialised spec has none). */
    double base_v = c->baseline_label ? c->baseline : NAN;
    double target_v = c->target_label ? c->target : NAN;
    extend(base_v, &lo, &hi);
    extend(target_v, &lo, &hi);
    if (c->zero_based)
        extend(0, &lo, &hi);
    vp_ticks tk;
    int max_ticks = r.h < 120 ? 3 : r.h < 220 ? 5 : 6;
    if (!vp_nice_ticks(lo, hi, max_ticks, &tk))
        return vp_pdf_fail(d, VP_ERR_RENDER, "internal error: no axis for the chart");

    /* Margins: tick labels left, reference labels right, period labels below, room for
     * point labels above. */
    double left = ticks_width(d, &tk, c->fmt, c->fmt_ctx, fs) + 6;
    double right = 0;
    const char *refl[2] = {isfinite(base_v) ? c->baseline_label : NULL,
                           isfinite(target_v) ? c->target_label : NULL};
    for (int k = 0; k < 2; k++)
        if (refl[k])
            right = fmax(right, vp_text_width(d->fonts, refl[k], fs) + 6);
    right = fmin(right, r.w * 0.3);
    double bottom = c->labels ? lh + 4 : 2;
    double top = c->point_labels ? lh + 2 : lh / 2;
    vp_rect p = {r.x + left, r.y + top, r.w - left - right, r.h - top - bottom};
    if (p.w < 20 || p.h < 20) {
        empty_chart(d, r, c->empty_text, fs);
        return finish(d, r, id);
    }
    double span = tk.hi - tk.lo;
#define YV(v) (p.y + p.h * (tk.hi - (v)) / span)
    double slot = p.w / (double)c->n;
#define XI(i) (p.x + slot * ((double)(i) + 0.5))

    char buf[64];
    for (int i = 0; i < tk.n; i++) {
        double v = vp_tick_value(&tk, i), y = YV(v);
        if (i > 0)
            hline(d, p.x, p.x + p.w, y, th->rule, 0.5, VP_DASH_NONE);
        label_at(d, r.x, y, left - 6, fmt_value(c->fmt, c->fmt_ctx, v, buf, sizeof buf), fs,
                 th->secondary, VP_ALIGN_RIGHT);
    }
    /* Axis: at zero when it is inside the range, else at the bottom. */
    double axis_v = tk.lo <= 0 && tk.hi >= 0 ? 0 : tk.lo;
    hline(d, p.x, p.x + p.w, YV(axis_v), th->secondary, 0.75, VP_DASH_NONE);

    if (c->labels) {
        double widest = 0;
        for (size_t i = 0; i < c->n; i++)
            widest = fmax(widest, c->labels[i] ? vp_text_width(d->fonts, c->labels[i], fs) : 0);
        size_t every = 1;
        while (every < c->n && widest + 4 > slot * (double)every)
            every++;
        for (size_t i = 0; i < c->n; i += every)
            label_at(d, XI(i) - slot * (double)every / 2, p.y + p.h + 4 + lh / 2,
                     slot * (double)every, c->labels[i], fs, th->secondary, VP_ALIGN_CENTER);
    }

    /* Reference lines, labelled at the right end; labels pushed apart when they collide. */
    double ref_y[2] = {isfinite(base_v) ? YV(base_v) : NAN, isfinite(target_v) ? YV(target_v) : NAN};
    vp_rgb ref_c[2] = {th->neutral, th->ink};
    for (int k = 0; k < 2; k++)
        if (isfinite(ref_y[k]))
            hline(d, p.x, p.x + p.w, ref_y[k], ref_c[k], 1, VP_DASH_DASHED);
    double ly[2] = {ref_y[0], ref_y[1]};
    if (isfinite(ly[0]) && isfinite(ly[1]) && fabs(ly[0] - ly[1]) < lh) {
        double mid = (ly[0] + ly[1]) / 2, sgn = ly[0] >= ly[1] ? 1 : -1;
        ly[0] = mid + sgn * lh / 2;
        ly[1] = mid - sgn * lh / 2;
    }
    for (int k = 0; k < 2; k++)
        if (refl[k] && isfinite(ly[k]))
            label_at(d, p.x + p.w + 4, ly[k], right - 4, refl[k], fs,
                     k ? th->ink : th->secondary, VP_ALIGN_LEFT);

    /* Plan: dashed; actual: solid dark with points and labels. Gaps where NaN. */
    const double *series[2] = {c->plan, c->actual};
    for (int s = 0; s < 2; s++) {
        if (!series[s])
            continue;
        vp_shape_style st = {.stroke = true, .stroke_color = th->ink,
                             .line_width = s ? 2 : 1.25, .dash = s ? VP_DASH_NONE : VP_DASH_DASHED};
        /* runs of known values, drawn in pieces of up to 256 points that join up */
        double xs[256], ys[256];
        size_t m = 0;
        for (size_t i = 0; i <= c->n; i++) {
            bool ok = i < c->n && isfinite(series[s][i]);
            if (ok) {
                xs[m] = XI(i);
                ys[m] = YV(series[s][i]);
                m++;
            }
            if (!ok || m == 256) {
                if (m >= 2)
                    vp_pdf_polyline(d, xs, ys, m, &st);
                if (ok) {                    /* piece full: continue from its last point */
                    xs[0] = xs[m - 1];
                    ys[0] = ys[m - 1];
                    m = 1;
                } else {
                    m = 0;
                }
            }
        }
    }
    vp_shape_style dot = {.fill = true, .fill_color = th->ink, .stroke = true,
                          .stroke_color = th->white, .line_width = 1};
    for (size_t i = 0; i < c->n; i++) {
        if (!isfinite(c->actual[i]))
            continue;
        double x = XI(i), y = YV(c->actual[i]);
        if (slot >= 8)                       /* dense series: the line alone */
            vp_pdf_circle_internal(d, x, y, 3, &dot);
        const char *pl = c->point_labels ? c->point_labels[i] : NULL;
        if (!pl || !*pl)
            continue;
        /* Above a peak, below a valley (away from the line); the other side when that
         * would cross a reference line or leave the plot. */
        double sum = 0;
        int k = 0;
        if (i > 0 && isfinite(c->actual[i - 1]))
            sum += c->actual[i - 1], k++;
        if (i + 1 < c->n && isfinite(c->actual[i + 1]))
            sum += c->actual[i + 1], k++;
        bool above = k == 0 || c->actual[i] >= sum / k;
        double cand[2] = {y - 6 - lh / 2, y + 6 + lh / 2};
        bool fits[2];
        for (int side = 0; side < 2; side++) {
            double cy = cand[side];
            fits[side] = cy - lh / 2 >= r.y && cy + lh / 2 <= p.y + p.h;
            for (int m = 0; m < 2; m++)
                if (isfinite(ref_y[m]) && fabs(cy - ref_y[m]) < lh / 2 + 1)
                    fits[side] = false;
        }
        int side = above ? 0 : 1;
        if (!fits[side] && fits[1 - side])
            side = 1 - side;
        vp_text_style st = label_style(d, fs, th->ink, VP_ALIGN_CENTER);
        st.bold = true;
        double w = fmax(slot, vp_text_width(d->fonts, pl, fs) + 2);
        vp_pdf_text_internal(d, (vp_rect){x - w / 2, cand[side] - lh / 2, w, lh}, pl, &st, NULL,
                             NULL);
    }
#undef XI
#undef YV
    return finish(d, r, id);
}

/* ---- bar charts ----------------------------------------------------------------------- */

static void bar_paint(const vp_pdf *d, const vp_bar_series *s, size_t i, vp_shape_style *st)
{
    const vp_theme *th = d->theme;
    memset(st, 0, sizeof *st);
    vp_rgb c = s->colors ? s->colors[i] : th->ink;
    switch (s->kind) {
    case VP_SERIES_ACTUAL:
        st->fill = true;
        st->fill_color = c;
        break;
    case VP_SERIES_PLAN:
        st->fill = true;
        st->fill_color = th->white;
        st->stroke = true;
        st->stroke_color = s->colors ? c : th->ink;
        st->line_width = 1;
        break;
    case VP_SERIES_PREVIOUS:
        st->fill = true;
        st->fill_color = s->colors ? c : vp_rgb_tint(th->neutral, 0.6);
        break;
    }
}

static void legend(vp_pdf *d, const vp_bar_chart *c, double x_right, double y, double fs)
{
    double x = x_right;
    for (size_t k = c->n_series; k-- > 0;) {
        const char *name = c->series[k].name ? c->series[k].name : "";
        double w = vp_text_width(d->fonts, name, fs);
        x -= w;
        label_at(d, x, y, w + 1, name, fs, d->theme->secondary, VP_ALIGN_LEFT);
        x -= 12;
        vp_shape_style st;
        bar_paint(d, &c->series[k], 0, &st);
        if (c->series[k].colors && c->series[k].kind == VP_SERIES_ACTUAL)
            st.fill_color = d->theme->ink;
        vp_pdf_rect_internal(d, (vp_rect){x, y - 4, 8, 8}, &st);
        x -= 10;
    }
}

int vp_chart_bar(vp_pdf *d, vp_rect r, const vp_bar_chart *c, const char *id)
{
    if (d->status != VP_OK)
        return d->status;
    const vp_theme *th = d->theme;
    double fs = chart_size(c->size), lh = 1.4 * fs;
    double lo = 0, hi = 0;
    size_t known = 0;
    for (size_t k = 0; k < c->n_series; k++)
        for (size_t i = 0; i < c->n; i++) {
            known += isfinite(c->series[k].values[i]);
            extend(c->series[k].values[i], &lo, &hi);
        }
    if (known == 0 || c->n == 0) {
        empty_chart(d, r, c->empty_text, fs + 1);
        return finish(d, r, id);
    }
    if (isfinite(c->min))
        lo = fmin(lo, c->min);
    if (isfinite(c->max))
        hi = fmax(hi, c->max);
    vp_ticks tk;
    if (!vp_nice_ticks(lo, hi, c->horizontal ? 5 : r.h < 160 ? 4 : 6, &tk))
        return vp_pdf_fail(d, VP_ERR_RENDER, "internal error: no axis for the chart");
    /* Without an axis the bars use the data's own extent (plus 0), not the rounded ticks. */
    double vlo = c->axis ? tk.lo : lo, vhi = c->axis ? tk.hi : hi;
    if (vhi - vlo <= 0)
        vhi = vlo + 1;
    double legend_h = c->n_series > 1 ? lh + 2 : 0;
    char buf[64];
    size_t m = c->n_series;

    if (!c->horizontal) {
        double left = c->axis ? ticks_width(d, &tk, c->fmt, c->fmt_ctx, fs) + 6 : 0;
        double bottom = c->labels ? 2 * lh + 4 : 2;
        double top = legend_h + lh + 2;          /* value labels over the tallest bar */
        double below = lo < 0 ? lh + 2 : 0;      /* value labels under negative bars */
        vp_rect p = {r.x + left, r.y + top, r.w - left, r.h - top - bottom - below};
        if (p.w < 20 || p.h < 20) {
            empty_chart(d, r, c->empty_text, fs);
            return finish(d, r, id);
        }
#define YV(v) (p.y + p.h * (vhi - (v)) / (vhi - vlo))
        if (m > 1)
            legend(d, c, r.x + r.w, r.y + lh / 2, fs);
        if (c->axis)
            for (int i = 0; i < tk.n; i++) {
                double v = vp_tick_value(&tk, i);
                if (v != 0)
                    hline(d, p.x, p.x + p.w, YV(v), th->rule, 0.5, VP_DASH_NONE);
                label_at(d, r.x, YV(v), left - 6, fmt_value(c->fmt, c->fmt_ctx, v, buf, sizeof buf),
                         fs, th->secondary, VP_ALIGN_RIGHT);
            }
        double slot = p.w / (double)c->n, group = slot * (m > 1 ? 0.8 : 0.6);
        double bw = group / (double)m;
        double gap = m > 1 ? fmin(2, bw * 0.15) : 0;
        for (size_t i = 0; i < c->n; i++) {
            double gx = p.x + slot * (double)i + (slot - group) / 2;
            for (size_t k = 0; k < m; k++) {
                const vp_bar_series *s = &c->series[k];
                double v = s->values[i];
                if (!isfinite(v))
                    continue;
                double y0 = YV(0), y1 = YV(v);
                vp_shape_style st;
                bar_paint(d, s, i, &st);
                double bx = gx + bw * (double)k + gap / 2;
                vp_pdf_rect_internal(d, (vp_rect){bx, fmin(y0, y1), bw - gap, fabs(y1 - y0)}, &st);
                const char *vl = s->value_labels ? s->value_labels[i] : NULL;
                if (vl && *vl) {
                    double w = fmax(bw, vp_text_width(d->fonts, vl, fs) + 2);
                    double ty = v >= 0 ? y1 - 2 - lh / 2 : y1 + 2 + lh / 2;
                    label_at(d, bx + (bw - gap) / 2 - w / 2, ty, w, vl, fs, th->ink, VP_ALIGN_CENTER);
                }
            }
            if (c->labels && c->labels[i]) {
                vp_text_style st = {.size = fs, .color = th->secondary, .align = VP_ALIGN_CENTER,
                                    .max_lines = 2, .flags = VP_TEXT_TRUNCATE_OK};
                vp_pdf_text_internal(d, (vp_rect){p.x + slot * (double)i + 1, p.y + p.h + below + 4,
                                                  slot - 2, 2 * lh},
                                     c->labels[i], &st, NULL, NULL);
            }
        }
        hline(d, p.x, p.x + p.w, YV(0), th->secondary, 0.75, VP_DASH_NONE);
#undef YV
        return finish(d, r, id);
    }

    /* Horizontal: category labels on the left, bars growing right, values at the ends. */
    double label_w = 0;
    for (size_t i = 0; c->labels && i < c->n; i++)
        label_w = fmax(label_w, c->labels[i] ? vp_text_width(d->fonts, c->labels[i], fs) : 0);
    label_w = fmin(label_w, r.w * 0.35);
    double value_w = 0;
    for (size_t k = 0; k < m; k++)
        for (size_t i = 0; c->series[k].value_labels && i < c->n; i++)
            if (c->series[k].value_labels[i])
                value_w = fmax(value_w, vp_text_width(d->fonts, c->series[k].value_labels[i], fs));
    double left = label_w > 0 ? label_w + 8 : 0;
    double neg_w = lo < 0 ? value_w + 4 : 0;
    double bottom = c->axis ? lh + 2 : 0;
    vp_rect p = {r.x + left + neg_w, r.y + legend_h, r.w - left - neg_w - value_w - 4,
                 r.h - legend_h - bottom};
    if (p.w < 20 || p.h < 8) {
        empty_chart(d, r, c->empty_text, fs);
        return finish(d, r, id);
    }
#define XV(v) (p.x + p.w * ((v) - vlo) / (vhi - vlo))
    if (m > 1)
        legend(d, c, r.x + r.w, r.y + lh / 2, fs);
    if (c->axis)
        for (int i = 0; i < tk.n; i++) {
            double v = vp_tick_value(&tk, i), x = XV(v);
            if (v != 0) {
                vp_shape_style st = {.stroke = true, .stroke_color = th->rule, .line_width = 0.5};
                vp_pdf_line(d, x, p.y, x, p.y + p.h, &st);
            }
            const char *t = fmt_value(c->fmt, c->fmt_ctx, v, buf, sizeof buf);
            double w = vp_text_width(d->fonts, t, fs) + 2;
            label_at(d, x - w / 2, p.y + p.h + 2 + lh / 2, w, t, fs, th->secondary, VP_ALIGN_CENTER);
        }
    double slot = p.h / (double)c->n, group = slot * (m > 1 ? 0.8 : 0.6);
    double bh = group / (double)m;
    for (size_t i = 0; i < c->n; i++) {
        double gy = p.y + slot * (double)i + (slot - group) / 2;
        if (c->labels && c->labels[i])
            label_at(d, r.x, p.y + slot * ((double)i + 0.5), label_w, c->labels[i], fs, th->ink,
                     VP_ALIGN_RIGHT);
        for (size_t k = 0; k < m; k++) {
            const vp_bar_series *s = &c->series[k];
            double v = s->values[i];
            if (!isfinite(v))
                continue;
            double x0 = XV(0), x1 = XV(v);
            vp_shape_style st;
            bar_paint(d, s, i, &st);
            double by = gy + bh * (double)k;
            double gap = m > 1 ? fmin(1.5, bh * 0.15) : 0;
            vp_pdf_rect_internal(d, (vp_rect){fmin(x0, x1), by + gap / 2, fabs(x1 - x0), bh - gap},
                                 &st);
            const char *vl = s->value_labels ? s->value_labels[i] : NULL;
            if (vl && *vl) {
                double w = vp_text_width(d->fonts, vl, fs) + 2;
                if (v >= 0)
                    label_at(d, x1 + 3, by + bh / 2, w, vl, fs, th->ink, VP_ALIGN_LEFT);
                else
                    label_at(d, x1 - 3 - w, by + bh / 2, w, vl, fs, th->ink, VP_ALIGN_RIGHT);
            }
        }
    }
    vp_shape_style axis = {.stroke = true, .stroke_color = th->secondary, .line_width = 0.75};
    vp_pdf_line(d, XV(0), p.y, XV(0), p.y + p.h, &axis);
#undef XV
    return finish(d, r, id);
}

/* ---- gauge and progress --------------------------------------------------------------- */

int vp_chart_gauge(vp_pdf *d, vp_rect r, const vp_gauge *g, const char *id)
{
    if (d->status != VP_OK)
        return d->status;
    const vp_theme *th = d->theme;
    double cap_size = 12, cap_h = 1.4 * cap_size;
    double scale_h = 1.4 * 8;
    double R = fmin(r.w / 2 - 2, r.h - cap_h - scale_h - 6);
    if (R < 20) {
        empty_chart(d, r, g->empty_text, 9);
        return finish(d, r, id);
    }
    double cx = r.x + r.w / 2, cy = r.y + (r.h - cap_h - scale_h - 6 - R) / 2 + R;
    /* Bands: a thin coloured outer ring; track and actual value: a thick inner ring. */
    double band_in = R * 0.94, track_out = R * 0.86, track_in = R * 0.68;
    for (size_t i = 0; i < g->n_bands; i++) {
        double a = fmax(0, fmin(100, g->bands[i].from)), b = fmax(0, fmin(100, g->bands[i].to));
        if (b <= a)
            continue;
        vp_shape_style st = {.fill = true, .fill_color = g->bands[i].color};
        vp_pdf_sector(d, cx, cy, band_in, R, -90 + 1.8 * a, -90 + 1.8 * b, &st);
    }
    vp_shape_style track = {.fill = true, .fill_color = th->rule};
    vp_pdf_sector(d, cx, cy, track_in, track_out, -90, 90, &track);
    double v = g->value;
    if (isfinite(v)) {
        v = fmax(0, fmin(100, v));
        vp_shape_style act = {.fill = true, .fill_color = th->ink};
        if (v > 0)
            vp_pdf_sector(d, cx, cy, track_in, track_out, -90, -90 + 1.8 * v, &act);
        double vs = fmin(R * 0.42, 44);
        vp_text_style st = {.size = vs, .color = th->ink, .bold = true, .align = VP_ALIGN_CENTER,
                            .valign = VP_VALIGN_BOTTOM, .line_height = 1.2,
                            .flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK};
        double w = track_in * 1.9;
        vp_pdf_text_internal(d, (vp_rect){cx - w / 2, cy - 1.2 * vs, w, 1.2 * vs},
                             g->value_label ? g->value_label : "", &st, NULL, NULL);
    } else {
        vp_text_style st = {.size = 10, .color = th->secondary, .align = VP_ALIGN_CENTER,
                            .valign = VP_VALIGN_BOTTOM, .max_lines = 2,
                            .flags = VP_TEXT_TRUNCATE_OK};
        double w = track_in * 1.7;
        vp_pdf_text_internal(d, (vp_rect){cx - w / 2, cy - 30, w, 28},
                             g->empty_text ? g->empty_text : "", &st, NULL, NULL);
    }
    /* Scale ends under the arc, caption under the centre. */
    char buf[16];
    label_at(d, cx - R - 20, cy + 2 + scale_h / 2, 40,
             vp_chart_fmt_plain(0, NULL, buf, sizeof buf), 8, th->secondary, VP_ALIGN_CENTER);
    label_at(d, cx + R - 20, cy + 2 + scale_h / 2, 40,
             vp_chart_fmt_plain(100, NULL, buf, sizeof buf), 8, th->secondary, VP_ALIGN_CENTER);
    if (g->caption && *g->caption) {
        vp_text_style st = {.size = cap_size, .color = g->caption_color, .bold = true,
                            .align = VP_ALIGN_CENTER, .valign = VP_VALIGN_MIDDLE,
                            .flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK};
        vp_pdf_text_internal(d, (vp_rect){r.x, cy + scale_h + 4, r.w, cap_h}, g->caption, &st,
                             NULL, NULL);
    }
    return finish(d, r, id);
}

int vp_chart_progress_internal(vp_pdf *d, vp_rect r, double value, double expected, vp_rgb color)
{
    if (d->status != VP_OK || !(r.w > 0) || !(r.h > 0))
        return d->status;
    const vp_theme *th = d->theme;
    vp_shape_style track = {.fill = true, .fill_color = th->rule, .radius = r.h / 2};
    vp_pdf_rect_internal(d, r, &track);
    if (isfinite(value) && value > 0) {
        double v = fmin(value, 1);
        vp_shape_style bar = {.fill = true, .fill_color = color, .radius = r.h / 2};
        vp_pdf_rect_internal(d, (vp_rect){r.x, r.y, r.w * v, r.h}, &bar);
    }
    if (isfinite(expected) && expected > 0) {
        double x = r.x + r.w * fmin(1, expected);
        vp_shape_style mk = {.stroke = true, .stroke_color = th->ink, .line_width = 1.5};
        vp_pdf_line(d, x, r.y - 2, x, r.y + r.h + 2, &mk);
    }
    return d->status;
}

int vp_chart_progress(vp_pdf *d, vp_rect r, double value, double expected, vp_rgb color,
                      const char *id)
{
    vp_chart_progress_internal(d, r, value, expected, color);
    return finish(d, r, id);
}
