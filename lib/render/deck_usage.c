/* deck_usage.c — the QBR deck's operating slides: milestones and quick wins, adoption and
 * usage, the health score, support and service, training by role. */
#include "deck.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "../format/format.h"

/* A grey one-line fact under the action title ("Go-live Mar 20, 2025 · …"). */
static void meta_line(dk *k, const char *s, const char *id)
{
    vp_text_style st = dk_style(11, k->th->secondary, false, VP_ALIGN_LEFT);
    st.max_lines = 1;
    st.flags = VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){DK_M, DK_TOP - 4, DK_CW, 18}, s, &st, id);
}

/* ---- milestones ----------------------------------------------------------------------------- */

static const char *kind_label(dk *k, vp_milestone_kind kind)
{
    switch (kind) {
    case VP_MS_QUICK_WIN: return dk_tr(k, "qbr.milestones.kind_quick_win");
    case VP_MS_GO_LIVE: return dk_tr(k, "qbr.milestones.kind_go_live");
    case VP_MS_OTHER: return dk_tr(k, "qbr.milestones.kind_other");
    default: return dk_tr(k, "qbr.milestones.kind_milestone");
    }
}

/* Status of a milestone at the as-of date: text with a symbol, and its colour. */
static const char *milestone_status(dk *k, const vp_milestone *ms, vp_rgb *color)
{
    vp_date as_of = k->r->lifecycle.as_of;
    const char *keys[] = {"sym", "days"};
    if (ms->done != VP_NO_DATE) {
        if (ms->due != VP_NO_DATE && ms->done > ms->due) {
            const char *vals[] = {k->sym.dot, dk_count(k, ms->done - ms->due)};
            *color = k->th->warning;
            return dk_fill(k, "qbr.milestones.late", keys, vals, 2);
        }
        const char *vals[] = {k->sym.check, ""};
        *color = k->th->good;
        return dk_fill(k, ms->due != VP_NO_DATE ? "qbr.milestones.on_time" : "qbr.milestones.done",
                       keys, vals, 1);
    }
    if (ms->due != VP_NO_DATE && ms->due < as_of) {
        const char *vals[] = {k->sym.down, dk_count(k, as_of - ms->due)};
        *color = k->th->bad;
        return dk_fill(k, "qbr.milestones.overdue", keys, vals, 2);
    }
    const char *vals[] = {k->sym.ring, ""};
    *color = k->th->neutral;
    return dk_fill(k, "qbr.milestones.open", keys, vals, 1);
}

void dk_milestones(dk *k)
{
    const vp_account *a = k->a;
    const vp_lifecycle *lc = &k->r->lifecycle;
    const vp_theme *th = k->th;
    if (a->n_milestones == 0)
        return;
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.milestones.name"), 0, VP_ALIGN_LEFT, 2},
        {dk_tr(k, "qbr.milestones.kind"), 92, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.milestones.due"), 112, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.milestones.reached"), 112, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.milestones.status"), 138, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.milestones.kpi"), 170, VP_ALIGN_LEFT, 2},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size, .pad_y = 5, .zebra = true};
    if (vp_table_new(&t, k->d, cols, sizeof cols / sizeof cols[0], DK_CW, &ts) != VP_OK)
        return;
    size_t done = 0;
    for (size_t i = 0; i < a->n_milestones; i++) {
        const vp_milestone *ms = &a->milestones[i];
        done += ms->done != VP_NO_DATE;
        vp_rgb sc;
        const char *status = milestone_status(k, ms, &sc);
        const vp_kpi *kp = ms->kpi ? vp_account_kpi(a, ms->kpi) : NULL;
        vp_table_cell cells[] = {
            {.text = ms->name},
            {.text = kind_label(k, ms->kind), .color = &th->secondary},
            {.text = dk_date(k, ms->due)},
            {.text = ms->done != VP_NO_DATE ? dk_date(k, ms->done) : "",
             .color = &th->ink},
            {.kind = VP_CELL_PILL, .text = status, .color = &sc},
            {.text = kp ? (kp->name ? kp->name : kp->id) : "", .color = &th->secondary},
        };
        vp_table_add_row(t, cells);
    }
    const char *keys[] = {"done", "n", "days", "date", "sym"};
    const char *vals[] = {dk_count(k, (double)done), dk_count(k, (double)a->n_milestones),
                          lc->time_to_first_value_days != INT32_MIN
                              ? dk_count(k, lc->time_to_first_value_days) : NULL,
                          dk_date(k, a->go_live_date != VP_NO_DATE ? a->go_live_date
                                                                   : a->start_date),
                          lc->first_value_on_time ? k->sym.check : k->sym.dot};
    bool ttfv = lc->time_to_first_value_days != INT32_MIN;
    const char *title = dk_fill(k, ttfv ? "qbr.milestones.title" : "qbr.milestones.title_pending",
                                keys, vals, 5);
    const char *meta = dk_fill(k, !ttfv ? "qbr.milestones.meta_pending"
                                  : lc->first_value_on_time ? "qbr.milestones.meta_on_time"
                                                            : "qbr.milestones.meta_late",
                               keys, vals, 5);
    double top = DK_TOP + 24, avail = DK_BOTTOM - top;
    vp_table_chunk ch[64];
    size_t parts = dk_chunks(t, dk_opt(k, "rows_per_slide", 8), avail, ch, 64);
    if (parts > 64)
        parts = 64;
    for (size_t i = 0; i < parts; i++) {
        dk_slide(k, title, (int)i + 1, (int)parts, NULL);
        meta_line(k, meta, "milestones-meta");
        vp_table_draw(k->d, t, ch[i].first, ch[i].count, DK_M, top, avail, "milestones", NULL);
    }
    vp_table_free(t);
}

/* ---- adoption and usage --------------------------------------------------------------------- */

/* A transaction key for people: the locale's name when it has one ("sales_orders" ->
 * "Sales orders"), else the key with spaces for underscores and a capital letter. */
static const char *transaction_name(dk *k, const char *key)
{
    const char *lk = dk_printf(k, "qbr.transaction.%s", key);
    if (vp_tr_has(k->tpl, k->loc, lk))
        return dk_tr(k, lk);
    char *s = vp_arena_strdup(&k->arena, key);
    if (!s)
        return key;
    for (char *p = s; *p; p++)
        if (*p == '_')
            *p = ' ';
    if (*s >= 'a' && *s <= 'z')
        *s = (char)toupper((unsigned char)*s);
    return s;
}

static double tx_value(const vp_usage *u, const char *key)
{
    for (size_t i = 0; u && i < u->n_transactions; i++)
        if (strcmp(u->transactions[i].key, key) == 0)
            return u->transactions[i].value;
    return NAN;
}

static const char *module_name(const vp_module *m) { return m->name ? m->name : m->code; }

/* Active users by period: monthly (dark), weekly, daily (lighter), the last 8 periods. */
static void active_users_chart(dk *k, vp_rect r, size_t nu)
{
    const vp_theme *th = k->th;
    size_t first = nu > 8 ? nu - 8 : 0, n = nu - first;
    const char **labels = vp_arena_calloc(&k->arena, n, sizeof *labels);
    const char **lab = vp_arena_calloc(&k->arena, 3 * n, sizeof *lab);
    double *mau = vp_arena_calloc(&k->arena, 3 * n, sizeof *mau);
    vp_rgb *wcol = vp_arena_calloc(&k->arena, n, sizeof *wcol);
    if (!labels || !lab || !mau || !wcol)
        return;
    double *wau = mau + n, *dau = mau + 2 * n;
    double widest[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const vp_usage *u = &k->a->usage[first + i];
        labels[i] = dk_period_short(k, u->period);
        mau[i] = u->active_monthly;
        wau[i] = u->active_weekly;
        dau[i] = u->active_daily;
        for (size_t s = 0; s < 3; s++) {
            double v = mau[s * n + i];
            lab[s * n + i] = isfinite(v) ? dk_count(k, v) : NULL;
            if (lab[s * n + i])
                widest[s] = fmax(widest[s], vp_text_width(k->f, lab[s * n + i], 9));
        }
        wcol[i] = vp_rgb_tint(th->ink, 0.5);
    }
    /* value labels on every bar when they fit over it, else over the monthly bars only
     * (they may spill over the lower weekly bar beside them), else none: the axis reads */
    double bar_w = (r.w - 40) / (double)n * 0.8 / 3;
    bool all_fit = fmax(widest[0], fmax(widest[1], widest[2])) + 2 <= bar_w;
    bool mau_fit = widest[0] <= bar_w * 1.6;
    vp_bar_series s[3] = {
        {.name = dk_tr(k, "qbr.adoption.monthly"), .kind = VP_SERIES_ACTUAL, .values = mau,
         .value_labels = all_fit || mau_fit ? lab : NULL},
        {.name = dk_tr(k, "qbr.adoption.weekly"), .kind = VP_SERIES_PREVIOUS, .values = wau,
         .colors = wcol, .value_labels = all_fit ? lab + n : NULL},
        {.name = dk_tr(k, "qbr.adoption.daily"), .kind = VP_SERIES_PREVIOUS, .values = dau,
         .value_labels = all_fit ? lab + 2 * n : NULL},
    };
    vp_bar_chart c = {.n = n, .labels = labels, .series = s, .n_series = 3, .axis = true,
                      .fmt = dk_tick_fmt, .fmt_ctx = k, .empty_text = k->no_data, .size = 9,
                      .min = NAN, .max = NAN};
    vp_chart_bar(k->d, r, &c, "active-users");
}

/* Transactions of the latest two usage periods up to P. */
static void transactions_table(dk *k, vp_rect r, size_t nu)
{
    const vp_theme *th = k->th;
    const vp_usage *cur = nu ? &k->a->usage[nu - 1] : NULL;
    const vp_usage *prev = nu > 1 ? &k->a->usage[nu - 2] : NULL;
    if (!cur || cur->n_transactions == 0) {
        dk_caption(k, (vp_rect){r.x, r.y, r.w, 16}, dk_tr(k, "qbr.adoption.transactions"),
                   "transactions-caption");
        vp_text_style st = dk_style(11, th->secondary, false, VP_ALIGN_LEFT);
        dk_text(k, (vp_rect){r.x, r.y + 22, r.w, 18}, dk_tr(k, "qbr.adoption.no_transactions"),
                &st, "transactions-empty");
        return;
    }
    double nw = r.w < 450 ? 84 : 110;
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.adoption.transactions"), 0, VP_ALIGN_LEFT, 1},
        {prev ? dk_period(k, prev->period) : "", nw, VP_ALIGN_RIGHT, 2},
        {dk_period(k, cur->period), nw, VP_ALIGN_RIGHT, 2},
        {dk_tr(k, "qbr.adoption.change"), r.w < 450 ? 56 : 80, VP_ALIGN_RIGHT, 1},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size, .pad_y = 3, .zebra = true};
    if (vp_table_new(&t, k->d, cols, prev ? 4 : 3, r.w, &ts) != VP_OK)
        return;
    for (size_t i = 0; i < cur->n_transactions; i++) {
        const char *key = cur->transactions[i].key;
        double v = cur->transactions[i].value, pv = tx_value(prev, key);
        char b[VP_FMT_MAX];
        const char *chg = k->no_data;
        if (isfinite(pv) && pv != 0)
            chg = dk_printf(k, "%s",
                            vp_fmt_signed_percent(b, sizeof b, k->loc, 100 * (v - pv) / pv, 0));
        vp_table_cell cells[] = {
            {.text = transaction_name(k, key)},
            {.text = prev ? dk_count(k, pv) : dk_count(k, v), .color = prev ? &th->secondary : NULL,
             .bold = !prev},
            {.text = dk_count(k, v), .bold = true},
            {.text = chg, .color = &th->secondary},
        };
        if (!prev)
            cells[1] = cells[2];
        vp_table_add_row(t, cells);
    }
    size_t fit = vp_table_fit(t, 0, r.h);
    size_t rows = vp_table_rows(t);
    if (fit < rows && fit > 0)
        fit--;   /* room for the "more" note */
    vp_table_draw(k->d, t, 0, fit, r.x, r.y, r.h, "transactions", NULL);
    if (fit < rows) {
        const char *keys[] = {"n"};
        const char *vals[] = {dk_count(k, (double)(rows - fit))};
        vp_text_style st = dk_style(9, th->secondary, false, VP_ALIGN_LEFT);
        st.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){r.x, r.y + vp_table_height(t, 0, fit) + 4, r.w, 14},
                dk_fill(k, "qbr.adoption.more_transactions", keys, vals, 1), &st,
                "transactions-more");
    }
    vp_table_free(t);
}

/* Module breadth: share of users per module against the target (a marker on each bar).
 * Returns the height drawn. */
static double breadth_table(dk *k, vp_rect r)
{
    const vp_theme *th = k->th;
    double target = k->tpl->health.target[VP_H_BREADTH];
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.adoption.module"), 0, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.adoption.share"), 124, VP_ALIGN_LEFT, 1},
        {"", 84, VP_ALIGN_LEFT, 1},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size, .pad_y = 3, .zebra = false};
    if (vp_table_new(&t, k->d, cols, 3, r.w, &ts) != VP_OK)
        return 0;
    for (size_t i = 0; i < k->r->n_breadth; i++) {
        const vp_module_breadth *b = &k->r->breadth[i];
        bool known = isfinite(b->share);
        const vp_rgb *c = !known ? &th->neutral : b->below_target ? &th->warning : &th->good;
        vp_table_cell cells[] = {
            {.text = module_name(b->module)},
            {.kind = VP_CELL_PROGRESS, .value = known ? b->share : NAN, .expected = target,
             .color = c, .text = dk_ratio(k, b->share, 0)},
            {.kind = VP_CELL_PILL, .color = c,
             .text = !known ? k->no_data
                     : b->below_target
                         ? dk_printf(k, "%s %s", k->sym.down, dk_tr(k, "qbr.adoption.below"))
                         : dk_printf(k, "%s %s", k->sym.check, dk_tr(k, "qbr.adoption.at_target"))},
        };
        vp_table_add_row(t, cells);
    }
    size_t fit = vp_table_fit(t, 0, r.h);
    double used = 0;
    vp_table_draw(k->d, t, 0, fit, r.x, r.y, r.h, "breadth", &used);
    if (fit < vp_table_rows(t)) {
        const char *keys[] = {"n"};
        const char *vals[] = {dk_count(k, (double)(vp_table_rows(t) - fit))};
        vp_text_style st = dk_style(9, th->secondary, false, VP_ALIGN_LEFT);
        st.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){r.x, r.y + vp_table_height(t, 0, fit) + 4, r.w, 14},
                dk_fill(k, "qbr.adoption.more_modules", keys, vals, 1), &st, "breadth-more");
        used += 18;
    }
    vp_table_free(t);
    return used;
}

void dk_adoption(dk *k)
{
    const vp_report *r = k->r;
    size_t nu = dk_usage_upto(k);
    if (nu == 0)
        return;
    const vp_usage *u = r->usage_p;
    double target = k->tpl->health.target[VP_H_BREADTH];
    size_t below = 0, known = 0;
    for (size_t i = 0; i < r->n_breadth; i++) {
        known += isfinite(r->breadth[i].share);
        below += isfinite(r->breadth[i].share) && r->breadth[i].below_target;
    }
    double licensed = u && isfinite(u->licensed_users) ? u->licensed_users : k->a->licensed_users;
    const char *keys[] = {"mau", "licensed", "rate", "below", "m", "target", "period"};
    const char *vals[] = {u ? dk_count(k, u->active_monthly) : NULL, dk_count(k, licensed),
                          dk_ratio(k, r->health.components[VP_H_ADOPTION].score, 0),
                          dk_count(k, (double)below), dk_count(k, (double)known),
                          dk_ratio(k, target, 0), k->period};
    const char *title;
    if (!u || !isfinite(u->active_monthly) || !isfinite(licensed))
        title = dk_fill(k, "qbr.adoption.title_no_p", keys, vals, 7);
    else if (known == 0)
        title = dk_fill(k, "qbr.adoption.title_users", keys, vals, 7);
    else
        title = dk_fill(k, below ? "qbr.adoption.title" : "qbr.adoption.title_all", keys, vals, 7);
    dk_slide(k, title, 1, 1, NULL);

    double lw = 470, rx = DK_M + lw + 28, rw = DK_W - DK_M - rx;
    const vp_usage *last = &k->a->usage[nu - 1];
    double lic = isfinite(last->licensed_users) ? last->licensed_users : k->a->licensed_users;
    const char *lk[] = {"licensed"};
    const char *lv[] = {dk_count(k, lic)};
    dk_caption(k, (vp_rect){DK_M, DK_TOP, lw, 16},
               dk_fill(k, isfinite(lic) ? "qbr.adoption.users_caption"
                                        : "qbr.adoption.users_caption_no_lic",
                       lk, lv, 1),
               "users-caption");
    /* The breadth and transaction tables share the right column when both fit there, so
     * the users chart gets the full height; else the transactions go under the chart. */
    const vp_usage *cur = &k->a->usage[nu - 1];
    double row = 1.4 * k->th->table_size + 8;
    double bh = (double)(r->n_breadth + 1) * row, txh = (double)(cur->n_transactions + 1) * row;
    bool stacked = r->n_breadth > 0 && cur->n_transactions > 0 && 22 + bh + 24 + txh <= DK_CH;
    double chart_h = stacked ? DK_CH - 22 : 210;
    active_users_chart(k, (vp_rect){DK_M, DK_TOP + 22, lw, chart_h}, nu);
    if (!stacked)
        transactions_table(k, (vp_rect){DK_M, DK_TOP + 22 + chart_h + 18, lw,
                                        DK_BOTTOM - (DK_TOP + 22 + chart_h + 18)},
                           nu);

    const char *tk[] = {"target"};
    const char *tv[] = {dk_ratio(k, target, 0)};
    dk_caption(k, (vp_rect){rx, DK_TOP, rw, 16}, dk_fill(k, "qbr.adoption.breadth_caption", tk, tv, 1),
               "breadth-caption");
    if (r->n_breadth == 0) {
        vp_text_style st = dk_style(11, k->th->secondary, false, VP_ALIGN_LEFT);
        dk_text(k, (vp_rect){rx, DK_TOP + 22, rw, 0}, dk_tr(k, "qbr.adoption.no_modules"), &st,
                "breadth-empty");
        return;
    }
    double used = breadth_table(k, (vp_rect){rx, DK_TOP + 22, rw, DK_BOTTOM - DK_TOP - 22});
    if (stacked) {
        double y = DK_TOP + 22 + used + 24;
        transactions_table(k, (vp_rect){rx, y, rw, DK_BOTTOM - y}, nu);
    }
    const char *mk[] = {"target"};
    vp_text_style st = dk_style(8, k->th->secondary, false, VP_ALIGN_LEFT);
    st.max_lines = 1;
    st.flags = VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){rx, DK_BOTTOM + 1, rw, 12}, dk_fill(k, "qbr.adoption.breadth_note", mk, tv, 1),
            &st, "breadth-note");
}

/* ---- health ------------------------------------------------------------------------------- */

static vp_rgb band_color_for(const dk *k, double score100)
{
    const vp_health_model *m = &k->tpl->health;
    for (size_t i = 0; i < m->n_bands; i++)
        if (score100 >= m->bands[i].min || i + 1 == m->n_bands)
            return dk_named_color(k, m->bands[i].color);
    return k->th->neutral;
}

static const char *health_label(dk *k, vp_health_id id)
{
    return vp_health_label(k->r, id);
}

void dk_health(dk *k)
{
    const vp_report *r = k->r;
    const vp_health *h = &r->health;
    const vp_health_model *m = &k->tpl->health;
    const vp_theme *th = k->th;
    bool known = isfinite(h->score);
    const char *change = isfinite(h->change) ? dk_fixed(k, fabs(h->change), 1) : NULL;
    const char *keys[] = {"score", "band", "change", "previous", "prev_period", "period"};
    const char *vals[] = {dk_fixed(k, h->score, 1), vp_band_label(r, h->band), change,
                          dk_fixed(k, h->previous, 1), dk_period(k, h->previous_period),
                          k->period};
    const char *tkey = !known                 ? "qbr.health.title_no_data"
                       : !change              ? "qbr.health.title_no_previous"
                       : h->change >= 0.05    ? "qbr.health.title_up"
                       : h->change <= -0.05   ? "qbr.health.title_down"
                                              : "qbr.health.title_flat";
    dk_slide(k, dk_fill(k, tkey, keys, vals, 6), 1, 1, NULL);

    /* gauge with the health model's bands */
    vp_gauge_band bands[8];
    size_t nb = 0;
    for (size_t i = 0; i < m->n_bands && nb < 8; i++) {
        double from = fmax(0, m->bands[i].min), to = i == 0 ? 100 : fmin(100, m->bands[i - 1].min);
        if (to > from)
            bands[nb++] = (vp_gauge_band){from, to, dk_named_color(k, m->bands[i].color)};
    }
    vp_rgb bc = h->band ? dk_named_color(k, h->band->color) : th->neutral;
    vp_gauge g = {.value = known ? h->score : NAN, .bands = bands, .n_bands = nb,
                  .value_label = dk_fixed(k, h->score, 1),
                  .caption = known ? dk_printf(k, "%s %s", k->sym.dot, vp_band_label(r, h->band))
                                   : NULL,
                  .caption_color = bc, .empty_text = k->no_data};
    double gw = 380;
    vp_chart_gauge(k->d, (vp_rect){DK_M, DK_TOP + 6, gw, 250}, &g, "gauge");

    /* change against the previous period, with an arrow */
    vp_text_style cs = dk_style(th->subtitle_size, th->secondary, true, VP_ALIGN_CENTER);
    cs.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    const char *ctext;
    if (change) {
        bool up = h->change >= 0.05, down = h->change <= -0.05;
        cs.color = up ? th->good : down ? th->bad : th->secondary;
        const char *ck[] = {"sym", "change", "prev_period", "previous"};
        const char *cv[] = {up ? k->sym.up : down ? k->sym.down : k->sym.arrow,
                            up ? dk_printf(k, "+%s", change) : down ? dk_printf(k, "%s%s", VP_MINUS, change)
                                                                   : change,
                            dk_period(k, h->previous_period), dk_fixed(k, h->previous, 1)};
        ctext = dk_fill(k, "qbr.health.change", ck, cv, 4);
    } else {
        ctext = dk_tr(k, "qbr.health.no_previous");
    }
    dk_text(k, (vp_rect){DK_M, DK_TOP + 272, gw, 22}, ctext, &cs, "health-change");
    if (h->alert) {
        vp_text_style as = dk_style(11, th->bad, true, VP_ALIGN_CENTER);
        as.max_lines = 2;
        as.flags = VP_TEXT_TRUNCATE_OK;
        const char *ak[] = {"sym"};
        const char *av[] = {k->sym.dot};
        dk_text(k, (vp_rect){DK_M, DK_TOP + 300, gw, 36}, dk_fill(k, "qbr.health.alert", ak, av, 1),
                &as, "health-alert");
    }

    /* components: weight and score (a bar coloured by band); no data said so */
    double tx = DK_M + gw + 40, tw = DK_W - DK_M - tx;
    dk_caption(k, (vp_rect){tx, DK_TOP, tw, 16}, dk_tr(k, "qbr.health.components"),
               "components-caption");
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.health.component"), 0, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.health.weight"), 70, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.health.score"), 220, VP_ALIGN_LEFT, 1},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size + 0.5, .pad_y = 9, .zebra = false};
    if (vp_table_new(&t, k->d, cols, 3, tw, &ts) != VP_OK)
        return;
    for (int i = 0; i < VP_H__COUNT; i++) {
        const vp_health_component *c = &h->components[i];
        bool has = isfinite(c->score);
        vp_rgb col = has ? band_color_for(k, 100 * c->score) : th->neutral;
        vp_table_cell cells[] = {
            {.text = health_label(k, (vp_health_id)i), .color = has ? NULL : &th->secondary},
            {.text = dk_value(k, c->weight), .color = &th->secondary},
            {.kind = VP_CELL_PROGRESS, .value = has ? c->score : NAN, .color = &col,
             .text = has ? dk_ratio(k, c->score, 0) : k->no_data},
        };
        vp_table_add_row(t, cells);
    }
    double used = 0;
    vp_table_draw(k->d, t, 0, vp_table_rows(t), tx, DK_TOP + 22, DK_BOTTOM - 40 - DK_TOP - 22,
                  "components", &used);
    vp_table_free(t);

    /* how the score is made */
    const char *bands_text = "";
    for (size_t i = 0; i < m->n_bands; i++) {
        const char *bk[] = {"min", "band"};
        const char *bv[] = {dk_fixed(k, m->bands[i].min, 0), vp_band_label(r, &m->bands[i])};
        const char *one = dk_fill(k, i + 1 < m->n_bands ? "qbr.health.band_min" : "qbr.health.band_floor",
                                  bk, bv, 2);
        bands_text = dk_printf(k, "%s%s%s", bands_text, i ? dk_tr(k, "qbr.list_sep") : "", one);
    }
    const char *nk[] = {"period", "bands"};
    const char *nv[] = {k->period, bands_text};
    vp_text_style ns = dk_style(9, th->secondary, false, VP_ALIGN_LEFT);
    ns.max_lines = 3;
    ns.flags = VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){tx, DK_TOP + 22 + used + 12, tw, 0}, dk_fill(k, "qbr.health.method", nk, nv, 2),
            &ns, "health-method");
}

/* ---- support ------------------------------------------------------------------------------ */

/* A tile: label, value, and the change against the previous period coloured by whether it
 * is better (higher_better says which way is better). */
static void support_tile(dk *k, vp_rect r, const char *label, const char *value, bool known,
                         double cur, double prev, bool higher_better, int decimals,
                         const char *prev_label, const char *id)
{
    const vp_theme *th = k->th;
    dk_card(k, r, id);
    double pad = 14, iw = r.w - 2 * pad;
    vp_text_style l = dk_style(10.5, th->secondary, false, VP_ALIGN_LEFT);
    l.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x + pad, r.y + 10, iw, 16}, label, &l, NULL);
    vp_text_style v = dk_style(known ? 24 : th->body_size, known ? th->ink : th->secondary, known,
                               VP_ALIGN_LEFT);
    v.valign = VP_VALIGN_MIDDLE;
    v.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x + pad, r.y + 28, iw, 36}, value, &v, NULL);
    const char *sub = prev_label ? prev_label : "";
    vp_rgb sc = th->secondary;
    if (isfinite(cur) && isfinite(prev) && prev_label) {
        double d = cur - prev;
        char b[VP_FMT_MAX];
        vp_fmt_number(b, sizeof b, k->loc, fabs(d), decimals);
        bool zero = strcmp(b, decimals ? "0.0" : "0") == 0;
        bool better = higher_better ? d > 0 : d < 0;
        const char *ck[] = {"sym", "change", "period"};
        const char *cv[] = {zero ? k->sym.arrow : d > 0 ? k->sym.up : k->sym.down,
                            zero ? b : dk_printf(k, "%s%s", d > 0 ? "+" : VP_MINUS, b), prev_label};
        sub = dk_fill(k, "qbr.support.change", ck, cv, 3);
        sc = zero ? th->secondary : better ? th->good : th->bad;
    }
    vp_text_style s = dk_style(10, sc, false, VP_ALIGN_LEFT);
    s.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x + pad, r.y + r.h - 24, iw, 16}, sub, &s, NULL);
}

void dk_support(dk *k)
{
    const vp_account *a = k->a;
    const vp_report *r = k->r;
    const vp_theme *th = k->th;
    size_t ns = dk_support_upto(k);
    if (ns == 0)
        return;
    const vp_support *s = r->support_p, *prev = NULL;
    for (size_t i = 0; s && i < ns; i++)
        if (&a->support[i] == s && i > 0)
            prev = &a->support[i - 1];
    const char *keys[] = {"sla", "csat", "opened", "closed", "period"};
    const char *vals[] = {s ? dk_pct(k, s->sla_met_pct, 1) : NULL, s ? dk_fixed(k, s->csat, 1) : NULL,
                          s ? dk_count(k, s->opened) : NULL, s ? dk_count(k, s->closed) : NULL,
                          s ? dk_period(k, s->period) : k->period};
    const char *tkey = !s ? "qbr.support.title_no_p"
                       : isfinite(s->sla_met_pct) && isfinite(s->csat) ? "qbr.support.title"
                       : isfinite(s->opened) && isfinite(s->closed) ? "qbr.support.title_tickets"
                                                                    : "qbr.support.title_other";
    dk_slide(k, dk_fill(k, tkey, keys, vals, 5), 1, 1, NULL);

    double tw = (DK_CW - 3 * DK_GUT) / 4, thh = 92, y = DK_TOP;
    const char *pk[] = {"period"};
    const char *pv[] = {prev ? dk_period_short(k, prev->period) : NULL};
    const char *pl = prev ? dk_fill(k, "qbr.support.vs", pk, pv, 1) : NULL;
    double sla = s ? s->sla_met_pct : NAN, csat = s ? s->csat : NAN,
           mrh = s ? s->median_resolution_hours : NAN, p1 = s ? s->p1 : NAN;
    support_tile(k, (vp_rect){DK_M, y, tw, thh}, dk_tr(k, "qbr.support.sla"), dk_pct(k, sla, 1),
                 isfinite(sla), sla, prev ? prev->sla_met_pct : NAN, true, 1, pl, "tile-sla");
    const char *ck[] = {"value"};
    const char *cv[] = {dk_fixed(k, csat, 1)};
    support_tile(k, (vp_rect){DK_M + (tw + DK_GUT), y, tw, thh}, dk_tr(k, "qbr.support.csat"),
                 isfinite(csat) ? dk_fill(k, "qbr.support.csat_value", ck, cv, 1) : k->no_data,
                 isfinite(csat), csat, prev ? prev->csat : NAN, true, 1, pl, "tile-csat");
    const char *hk[] = {"value"};
    const char *hv[] = {dk_value(k, mrh)};
    support_tile(k, (vp_rect){DK_M + 2 * (tw + DK_GUT), y, tw, thh},
                 dk_tr(k, "qbr.support.resolution"),
                 isfinite(mrh) ? dk_fill(k, "qbr.support.hours", hk, hv, 1) : k->no_data,
                 isfinite(mrh), mrh, prev ? prev->median_resolution_hours : NAN, false, 1, pl,
                 "tile-resolution");
    support_tile(k, (vp_rect){DK_M + 3 * (tw + DK_GUT), y, tw, thh}, dk_tr(k, "qbr.support.p1"),
                 dk_count(k, p1), isfinite(p1), p1, prev ? prev->p1 : NAN, false, 0, pl, "tile-p1");

    /* tickets by period: the latest max_entries periods up to P */
    size_t max = dk_opt(k, "max_entries", 6);
    size_t first = ns > max ? ns - max : 0;
    double ty = y + thh + 22;
    dk_caption(k, (vp_rect){DK_M, ty, DK_CW, 16}, dk_tr(k, "qbr.support.by_period"),
               "support-caption");
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.support.period"), 0, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.support.opened"), 100, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.support.closed"), 100, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.support.p1_col"), 90, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.support.resolution_col"), 150, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.support.sla_col"), 110, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.support.csat_col"), 100, VP_ALIGN_RIGHT, 1},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size, .pad_y = ns - first <= 4 ? 7 : 4, .zebra = true};
    if (vp_table_new(&t, k->d, cols, 7, DK_CW, &ts) != VP_OK)
        return;
    for (size_t i = first; i < ns; i++) {
        const vp_support *e = &a->support[i];
        bool cur = e == s;
        vp_table_cell cells[] = {
            {.text = dk_period(k, e->period), .bold = cur},
            {.text = dk_count(k, e->opened), .bold = cur},
            {.text = dk_count(k, e->closed), .bold = cur},
            {.text = dk_count(k, e->p1), .bold = cur},
            {.text = dk_value(k, e->median_resolution_hours), .bold = cur},
            {.text = dk_pct(k, e->sla_met_pct, 1), .bold = cur},
            {.text = dk_fixed(k, e->csat, 1), .bold = cur},
        };
        vp_table_add_row(t, cells);
    }
    double avail = DK_BOTTOM - ty - 22;
    size_t fit = vp_table_fit(t, 0, avail);
    size_t rows = vp_table_rows(t);
    /* keep the latest periods when not all fit */
    vp_table_draw(k->d, t, rows - fit, fit, DK_M, ty + 22, avail, "support-table", NULL);
    vp_table_free(t);
    if (first > 0 || fit < rows) {
        const char *mk[] = {"n"};
        const char *mv[] = {dk_count(k, (double)(first + rows - fit))};
        dk_footnote(k, dk_fill(k, "qbr.support.more", mk, mv, 1), "support-more");
    }
}

/* ---- training ----------------------------------------------------------------------------- */

typedef struct role_sum {
    const char *role;
    double attendees;     /* NaN when no session of the role gives a count */
    size_t sessions;
} role_sum;

void dk_training(dk *k)
{
    const vp_account *a = k->a;
    const vp_theme *th = k->th;
    vp_date as_of = k->r->lifecycle.as_of;
    size_t n = 0;
    for (size_t i = 0; i < a->n_training; i++)
        n += a->training[i].date == VP_NO_DATE || a->training[i].date <= as_of;
    if (n == 0)
        return;
    role_sum *roles = vp_arena_calloc(&k->arena, n, sizeof *roles);
    if (!roles)
        return;
    size_t nr = 0;
    double people = NAN;
    const char *no_role = dk_tr(k, "qbr.training.no_role");
    for (size_t i = 0; i < a->n_training; i++) {
        const vp_training *s = &a->training[i];
        if (s->date != VP_NO_DATE && s->date > as_of)
            continue;
        const char *role = s->role && *s->role ? s->role : no_role;
        size_t j = 0;
        while (j < nr && strcmp(roles[j].role, role) != 0)
            j++;
        if (j == nr)
            roles[nr++] = (role_sum){role, NAN, 0};
        roles[j].sessions++;
        if (isfinite(s->attendees)) {
            roles[j].attendees = (isfinite(roles[j].attendees) ? roles[j].attendees : 0) + s->attendees;
            people = (isfinite(people) ? people : 0) + s->attendees;
        }
    }
    /* most attendees first */
    for (size_t i = 1; i < nr; i++)
        for (size_t j = i; j > 0; j--) {
            double x = isfinite(roles[j].attendees) ? roles[j].attendees : -1;
            double y = isfinite(roles[j - 1].attendees) ? roles[j - 1].attendees : -1;
            if (x <= y)
                break;
            role_sum t = roles[j];
            roles[j] = roles[j - 1];
            roles[j - 1] = t;
        }
    const char *keys[] = {"people", "sessions", "roles"};
    const char *vals[] = {dk_count(k, people), dk_count(k, (double)n), dk_count(k, (double)nr)};
    dk_slide(k, dk_fill(k, isfinite(people) ? "qbr.training.title" : "qbr.training.title_no_count",
                        keys, vals, 3),
             1, 1, NULL);

    /* attendees by role (up to 10 roles) */
    double lw = 400;
    size_t shown = nr > 10 ? 10 : nr;
    const char **labels = vp_arena_calloc(&k->arena, shown, sizeof *labels);
    const char **vl = vp_arena_calloc(&k->arena, shown, sizeof *vl);
    double *v = vp_arena_calloc(&k->arena, shown, sizeof *v);
    if (!labels || !vl || !v)
        return;
    for (size_t i = 0; i < shown; i++) {
        labels[i] = roles[i].role;
        v[i] = roles[i].attendees;
        const char *sk[] = {"people", "sessions"};
        const char *sv[] = {dk_count(k, roles[i].attendees), dk_count(k, (double)roles[i].sessions)};
        vl[i] = !isfinite(roles[i].attendees) ? NULL
                : roles[i].sessions == 1 ? dk_fill(k, "qbr.training.bar_label_one", sk, sv, 2)
                                         : dk_fill(k, "qbr.training.bar_label", sk, sv, 2);
    }
    dk_caption(k, (vp_rect){DK_M, DK_TOP, lw, 16}, dk_tr(k, "qbr.training.by_role"), "roles-caption");
    vp_bar_series s = {.kind = VP_SERIES_ACTUAL, .values = v, .value_labels = vl};
    vp_bar_chart c = {.n = shown, .labels = labels, .series = &s, .n_series = 1, .horizontal = true,
                      .fmt = dk_tick_fmt, .fmt_ctx = k, .empty_text = k->no_data, .size = 10,
                      .min = NAN, .max = NAN};
    double ch = fmin(DK_BOTTOM - DK_TOP - 40, 34.0 * (double)shown + 10);
    vp_chart_bar(k->d, (vp_rect){DK_M, DK_TOP + 24, lw, ch}, &c, "roles");
    if (nr > shown) {
        const char *mk[] = {"n"};
        const char *mv[] = {dk_count(k, (double)(nr - shown))};
        vp_text_style st = dk_style(9, th->secondary, false, VP_ALIGN_LEFT);
        st.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){DK_M, DK_TOP + 28 + ch, lw, 14},
                dk_fill(k, "qbr.training.more_roles", mk, mv, 1), &st, "roles-more");
    }

    /* the latest sessions */
    double tx = DK_M + lw + 32, tw = DK_W - DK_M - tx;
    dk_caption(k, (vp_rect){tx, DK_TOP, tw, 16}, dk_tr(k, "qbr.training.sessions"),
               "sessions-caption");
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.training.date"), 96, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.training.topic"), 0, VP_ALIGN_LEFT, 2},
        {dk_tr(k, "qbr.training.role"), 110, VP_ALIGN_LEFT, 2},
        {dk_tr(k, "qbr.training.attendees"), 62, VP_ALIGN_RIGHT, 1},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size - 0.5, .pad_y = 3, .zebra = true};
    if (vp_table_new(&t, k->d, cols, 4, tw, &ts) != VP_OK)
        return;
    for (size_t i = a->n_training; i-- > 0;) {
        const vp_training *e = &a->training[i];
        if (e->date != VP_NO_DATE && e->date > as_of)
            continue;
        vp_table_cell cells[] = {
            {.text = dk_date(k, e->date), .color = &th->secondary},
            {.text = e->topic ? e->topic : ""},
            {.text = e->role && *e->role ? e->role : no_role, .color = &th->secondary},
            {.text = dk_count(k, e->attendees)},
        };
        vp_table_add_row(t, cells);
    }
    double avail = DK_BOTTOM - DK_TOP - 24 - 16;
    size_t fit = vp_table_fit(t, 0, avail);
    vp_table_draw(k->d, t, 0, fit, tx, DK_TOP + 24, avail, "sessions", NULL);
    if (fit < vp_table_rows(t)) {
        const char *mk[] = {"n"};
        const char *mv[] = {dk_count(k, (double)(vp_table_rows(t) - fit))};
        vp_text_style st = dk_style(9, th->secondary, false, VP_ALIGN_LEFT);
        st.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){tx, DK_TOP + 24 + vp_table_height(t, 0, fit) + 4, tw, 14},
                dk_fill(k, "qbr.training.more_sessions", mk, mv, 1), &st, "sessions-more");
    }
    vp_table_free(t);
}
