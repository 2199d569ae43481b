/* deck_people.c — the QBR deck's forward-looking slides: champions, best practices,
 * expansion opportunities, and the next-quarter plan with the playbook's next-best actions
 * (each with the signal that raised it, in words). */
#include "deck.h"

#include <math.h>
#include <string.h>

#include "../format/format.h"

/* ---- champions ----------------------------------------------------------------------------- */

static const char *champion_role(dk *k, const vp_champion *c)
{
    if (c->title && c->department)
        return dk_printf(k, "%s%s%s", c->title, dk_tr(k, "qbr.list_sep"), c->department);
    return c->title ? c->title : c->department ? c->department : "";
}

/* Height a champion card needs at width w (the same layout as champion_card). */
static double champion_height(dk *k, const vp_champion *c, double w)
{
    const vp_theme *th = k->th;
    vp_text_style nm = dk_style(15, th->ink, true, VP_ALIGN_LEFT);
    nm.max_lines = 1;
    vp_text_style rs = dk_style(11, th->secondary, false, VP_ALIGN_LEFT);
    rs.max_lines = 2;
    vp_text_style ns = dk_style(11.5, th->ink, false, VP_ALIGN_LEFT);
    double h = 18 + dk_text_height(k, c->name ? c->name : "", &nm, w - 32) + 2;
    const char *role = champion_role(k, c);
    if (*role)
        h += dk_text_height(k, role, &rs, w - 32);
    if (c->note && *c->note)
        h += 16 + dk_text_height(k, c->note, &ns, w - 32);
    return h + 16;
}

static void champion_card(dk *k, vp_rect r, const vp_champion *c, size_t i)
{
    const vp_theme *th = k->th;
    const char *id = dk_printf(k, "champion-%zu", i + 1);
    dk_card(k, r, id);
    vp_shape_style top = {.fill = true, .fill_color = th->accent};
    vp_pdf_rect(k->d, (vp_rect){r.x, r.y, r.w, 4}, &top, NULL);
    double pad = 16, x = r.x + pad, w = r.w - 2 * pad, y = r.y + 18;
    vp_text_style nm = dk_style(15, th->ink, true, VP_ALIGN_LEFT);
    nm.max_lines = 1;
    nm.flags = VP_TEXT_TRUNCATE_OK;
    vp_text_metrics m = dk_text(k, (vp_rect){x, y, w, 0}, c->name ? c->name : "", &nm, NULL);
    y += m.height + 2;
    const char *role = champion_role(k, c);
    if (*role) {
        vp_text_style rs = dk_style(11, th->secondary, false, VP_ALIGN_LEFT);
        rs.max_lines = 2;
        rs.flags = VP_TEXT_TRUNCATE_OK;
        m = dk_text(k, (vp_rect){x, y, w, 0}, role, &rs, NULL);
        y += m.height;
    }
    if (c->note && *c->note) {
        y += 8;
        vp_shape_style rule = {.stroke = true, .stroke_color = th->rule, .line_width = 0.5};
        vp_pdf_line(k->d, x, y, x + w, y, &rule);
        y += 8;
        vp_text_style ns = dk_style(11.5, th->ink, false, VP_ALIGN_LEFT);
        ns.flags = VP_TEXT_TRUNCATE_OK;
        if (r.y + r.h - 12 - y >= 16)
            dk_text(k, (vp_rect){x, y, w, r.y + r.h - 12 - y}, c->note, &ns, NULL);
    }
}

void dk_champions(dk *k)
{
    const vp_account *a = k->a;
    size_t n = a->n_champions;
    if (n == 0)
        return;
    /* departments named, each counted once */
    size_t depts = 0;
    for (size_t i = 0; i < n; i++) {
        const char *d = a->champions[i].department;
        if (!d || !*d)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = a->champions[j].department && strcmp(a->champions[j].department, d) == 0;
        depts += !seen;
    }
    const char *keys[] = {"n", "departments"};
    const char *vals[] = {dk_count(k, (double)n), dk_count(k, (double)depts)};
    const char *title = dk_fill(k, depts > 1 ? "qbr.champions.title" : "qbr.champions.title_one",
                                keys, vals, 2);
    size_t per = dk_opt(k, "max_entries", 6);
    size_t parts = dk_even_parts(n, per);
    for (size_t p = 0; p < parts; p++) {
        size_t first, count;
        dk_even_chunk(n, parts, p, &first, &count);
        dk_slide(k, title, (int)p + 1, (int)parts, NULL);
        size_t cols = count < 3 ? count : 3, rows = (count + cols - 1) / cols;
        double cw = (DK_CW - (double)(cols - 1) * DK_GUT) / (double)cols;
        double room = (DK_CH - (double)(rows - 1) * DK_GUT) / (double)rows, need = 110;
        for (size_t i = 0; i < count; i++)
            need = fmax(need, champion_height(k, &a->champions[first + i], cw));
        double ch = fmin(room, need);
        for (size_t i = 0; i < count; i++) {
            size_t c = i % cols, row = i / cols;
            champion_card(k,
                          (vp_rect){DK_M + (double)c * (cw + DK_GUT),
                                    DK_TOP + (double)row * (ch + DK_GUT), cw, ch},
                          &a->champions[first + i], first + i);
        }
    }
}

/* ---- best practices ------------------------------------------------------------------------ */

static const char *practice_text(const dk *k, const char *const *texts)
{
    const char *s = texts[k->loc];
    if (!s)
        s = texts[k->loc == VP_LOCALE_EN ? VP_LOCALE_ZH_CN : VP_LOCALE_EN];
    return s ? s : "";
}

/* Which of the account's modules a practice is for, with their breadth share. */
static const char *practice_tag(dk *k, const vp_best_practice *p)
{
    const char *tag = "";
    for (size_t i = 0; i < p->n_modules; i++)
        for (size_t j = 0; j < k->r->n_breadth; j++) {
            const vp_module_breadth *b = &k->r->breadth[j];
            if (strcmp(b->module->code, p->modules[i]) != 0)
                continue;
            const char *keys[] = {"module", "share"};
            const char *vals[] = {b->module->name ? b->module->name : b->module->code,
                                  dk_ratio(k, b->share, 0)};
            const char *one = dk_fill(k, isfinite(b->share) ? "qbr.practices.tag" : "qbr.practices.tag_no_share",
                                      keys, vals, 2);
            tag = dk_printf(k, "%s%s%s", tag, *tag ? dk_tr(k, "qbr.list_sep") : "", one);
        }
    return *tag ? tag : dk_tr(k, "qbr.practices.general");
}

void dk_practices(dk *k)
{
    const vp_report *r = k->r;
    const vp_theme *th = k->th;
    size_t n = r->n_practices, max = dk_opt(k, "max_entries", 4);
    if (n > max)
        n = max;
    if (n > 6)
        n = 6;
    if (n == 0)
        return;
    /* the weakest modules below the breadth target, lowest share first (up to two) */
    const vp_module_breadth *weak[2] = {NULL, NULL};
    for (size_t i = 0; i < r->n_breadth; i++) {
        const vp_module_breadth *b = &r->breadth[i];
        if (!b->below_target || !isfinite(b->share))
            continue;
        if (!weak[0] || b->share < weak[0]->share) {
            weak[1] = weak[0];
            weak[0] = b;
        } else if (!weak[1] || b->share < weak[1]->share) {
            weak[1] = b;
        }
    }
    const char *mods = "";
    for (int i = 0; i < 2; i++)
        if (weak[i])
            mods = dk_printf(k, "%s%s%s", mods, i ? dk_tr(k, "qbr.and") : "",
                             weak[i]->module->name ? weak[i]->module->name : weak[i]->module->code);
    const char *keys[] = {"n", "modules"};
    const char *vals[] = {dk_count(k, (double)n), mods};
    dk_slide(k, dk_fill(k, weak[0] ? "qbr.practices.title_weak" : "qbr.practices.title", keys, vals, 2),
             1, 1, NULL);
    size_t cols = n <= 3 ? n : n == 4 ? 2 : 3, rows = (n + cols - 1) / cols;
    double cw = (DK_CW - (double)(cols - 1) * DK_GUT) / (double)cols;
    double ch = (DK_CH - (double)(rows - 1) * DK_GUT) / (double)rows, need = 120;
    for (size_t i = 0; i < n; i++) {
        const vp_best_practice *p = r->practices[i];
        vp_text_style tt = dk_style(15, th->ink, true, VP_ALIGN_LEFT);
        tt.max_lines = 2;
        vp_text_style bs = dk_style(th->body_size, th->ink, false, VP_ALIGN_LEFT);
        double w = cw - 36;
        need = fmax(need, 14 + 9.5 * 1.4 + 4 + dk_text_height(k, practice_text(k, p->title), &tt, w) +
                              8 + dk_text_height(k, practice_text(k, p->body), &bs, w) + 18);
    }
    ch = fmin(ch, need);
    for (size_t i = 0; i < n; i++) {
        const vp_best_practice *p = r->practices[i];
        vp_rect c = {DK_M + (double)(i % cols) * (cw + DK_GUT),
                     DK_TOP + (double)(i / cols) * (ch + DK_GUT), cw, ch};
        dk_card(k, c, dk_printf(k, "practice-%zu", i + 1));
        double pad = 18, x = c.x + pad, w = c.w - 2 * pad, y = c.y + 14;
        vp_text_style tg = dk_style(9.5, th->accent, true, VP_ALIGN_LEFT);
        tg.max_lines = 1;
        tg.flags = VP_TEXT_TRUNCATE_OK;
        vp_text_metrics m = dk_text(k, (vp_rect){x, y, w, 0}, practice_tag(k, p), &tg, NULL);
        y += m.height + 4;
        vp_text_style tt = dk_style(15, th->ink, true, VP_ALIGN_LEFT);
        tt.max_lines = 2;
        tt.flags = VP_TEXT_TRUNCATE_OK;
        m = dk_text(k, (vp_rect){x, y, w, 0}, practice_text(k, p->title), &tt, NULL);
        y += m.height + 8;
        vp_text_style bs = dk_style(th->body_size, th->ink, false, VP_ALIGN_LEFT);
        bs.flags = VP_TEXT_TRUNCATE_OK;
        if (c.y + c.h - 12 - y >= 16)
            dk_text(k, (vp_rect){x, y, w, c.y + c.h - 12 - y}, practice_text(k, p->body), &bs, NULL);
    }
}

/* ---- expansion opportunities ---------------------------------------------------------------- */

static const char *opp_stage(dk *k, vp_opp_stage s, vp_rgb *color)
{
    switch (s) {
    case VP_OPP_PROPOSED:
        *color = k->th->accent;
        return dk_printf(k, "%s %s", k->sym.dot, dk_tr(k, "qbr.opportunities.stage_proposed"));
    case VP_OPP_WON:
        *color = k->th->good;
        return dk_printf(k, "%s %s", k->sym.check, dk_tr(k, "qbr.opportunities.stage_won"));
    case VP_OPP_LOST:
        *color = k->th->neutral;
        return dk_printf(k, "%s %s", k->sym.down, dk_tr(k, "qbr.opportunities.stage_lost"));
    default:
        *color = k->th->secondary;
        return dk_printf(k, "%s %s", k->sym.ring, dk_tr(k, "qbr.opportunities.stage_identified"));
    }
}

void dk_opportunities(dk *k)
{
    const vp_account *a = k->a;
    const vp_theme *th = k->th;
    size_t open = 0;
    for (size_t i = 0; i < a->n_opportunities; i++)
        open += a->opportunities[i].stage != VP_OPP_LOST;
    const char *keys[] = {"n", "total"};
    const char *vals[] = {dk_count(k, (double)open), dk_money(k, (double)k->r->renewal.added)};
    if (a->n_opportunities == 0) {
        dk_slide(k, dk_tr(k, "qbr.opportunities.title_none"), 1, 1, NULL);
        dk_empty(k, (vp_rect){DK_M + 80, DK_TOP + 60, DK_CW - 160, 160},
                 dk_tr(k, "qbr.opportunities.empty"), "opportunities-empty");
        return;
    }
    const char *title = dk_fill(k, open ? "qbr.opportunities.title" : "qbr.opportunities.title_all_lost",
                                keys, vals, 2);
    const char *ck[] = {"currency"};
    const char *cv[] = {vp_currency_symbol(k->r->currency)};
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.opportunities.pain_point"), 0, VP_ALIGN_LEFT, 3},
        {dk_tr(k, "qbr.opportunities.module"), 170, VP_ALIGN_LEFT, 2},
        {dk_tr(k, "qbr.opportunities.name"), 190, VP_ALIGN_LEFT, 2},
        {dk_fill(k, "qbr.opportunities.fee", ck, cv, 1), 110, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.opportunities.stage"), 104, VP_ALIGN_LEFT, 1},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size, .pad_y = 5, .zebra = true};
    if (vp_table_new(&t, k->d, cols, 5, DK_CW, &ts) != VP_OK)
        return;
    for (size_t i = 0; i < a->n_opportunities; i++) {
        const vp_opportunity *o = &a->opportunities[i];
        const vp_module *m = o->module ? vp_account_module(a, o->module) : NULL;
        const char *mod = m && m->name ? dk_printf(k, "%s (%s)", m->name, m->code)
                          : o->module ? o->module
                                      : k->no_data;
        vp_rgb sc;
        const char *stage = opp_stage(k, o->stage, &sc);
        bool lost = o->stage == VP_OPP_LOST;
        vp_table_cell cells[] = {
            {.text = o->pain_point ? o->pain_point : k->no_data,
             .color = lost || !o->pain_point ? &th->secondary : NULL},
            {.text = dk_printf(k, "%s %s", k->sym.arrow, mod), .bold = !lost,
             .color = lost ? &th->secondary : NULL},
            {.text = o->name ? o->name : "", .color = lost ? &th->secondary : NULL},
            {.text = isfinite(o->annual_fee) ? dk_count(k, o->annual_fee) : k->no_data,
             .bold = !lost, .color = lost ? &th->secondary : NULL},
            {.kind = VP_CELL_PILL, .text = stage, .color = &sc},
        };
        vp_table_add_row(t, cells);
    }
    double avail = DK_CH - 30;
    vp_table_chunk ch[64];
    size_t parts = dk_chunks(t, dk_opt(k, "rows_per_slide", 6), avail, ch, 64);
    if (parts > 64)
        parts = 64;
    for (size_t i = 0; i < parts; i++) {
        dk_slide(k, title, (int)i + 1, (int)parts, NULL);
        double used = 0;
        vp_table_draw(k->d, t, ch[i].first, ch[i].count, DK_M, DK_TOP, avail, "opportunities",
                      &used);
        if (i + 1 == parts) {
            vp_text_style st = dk_style(th->body_size, th->ink, true, VP_ALIGN_RIGHT);
            st.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
            dk_text(k, (vp_rect){DK_M, DK_TOP + used + 8, DK_CW - 104 - 6, 18},
                    dk_fill(k, "qbr.opportunities.total", keys, vals, 2), &st, "opportunities-total");
        }
    }
    vp_table_free(t);
}

/* ---- plan and asks ---------------------------------------------------------------------------- */

/* Whether an action's signal is about `name` under `fn`: "breadth(SCM)=0.48<0.6" names the
 * module SCM under "breadth", "kpi(otd)=behind" the KPI otd under "kpi". */
static bool signal_names(const char *sig, const char *fn, const char *name)
{
    size_t f = strlen(fn), n = strlen(name);
    return strncmp(sig, fn, f) == 0 && sig[f] == '(' && strncmp(sig + f + 1, name, n) == 0 &&
           strncmp(sig + f + 1 + n, ")=", 2) == 0;
}

/* The module or KPI an action's signal names. */
static const vp_module_breadth *signal_module(const dk *k, const char *sig)
{
    for (size_t i = 0; i < k->r->n_breadth; i++)
        if (signal_names(sig, "breadth", k->r->breadth[i].module->code))
            return &k->r->breadth[i];
    return NULL;
}

static const vp_kpi_result *signal_kpi(const dk *k, const char *sig)
{
    for (size_t i = 0; i < k->r->n_kpis; i++)
        if (signal_names(sig, "kpi", k->r->kpis[i].kpi->id))
            return &k->r->kpis[i];
    return NULL;
}

/* The signal behind an action, in words and with the figures from the computed model. */
static const char *signal_text(dk *k, const vp_action *act)
{
    const vp_report *r = k->r;
    const vp_lifecycle *lc = &r->lifecycle;
    const char *name = act->rule ? act->rule->signal : NULL;
    const char *sig = act->signal ? act->signal : "";
    const char *keys[] = {"stage", "score", "band", "module", "share", "target", "held",
                          "expected", "kpi", "progress", "days", "value", "count", "period"};
    const vp_module_breadth *b = signal_module(k, sig);
    const vp_kpi_result *x = signal_kpi(k, sig);
    size_t open = 0;
    for (size_t i = 0; i < k->a->n_opportunities; i++)
        open += k->a->opportunities[i].stage != VP_OPP_WON &&
                k->a->opportunities[i].stage != VP_OPP_LOST;
    vp_date live = k->a->go_live_date != VP_NO_DATE ? k->a->go_live_date : k->a->start_date;
    const char *vals[] = {
        vp_stage_label(r, lc->stage),
        dk_fixed(k, r->health.score, 1),
        vp_band_label(r, r->health.band),
        b ? (b->module->name ? b->module->name : b->module->code) : "",
        b ? dk_ratio(k, b->share, 0) : "",
        dk_ratio(k, k->tpl->health.target[VP_H_BREADTH], 0),
        dk_count(k, lc->qbrs_held),
        dk_count(k, lc->qbrs_expected),
        x ? (x->kpi->name ? x->kpi->name : x->kpi->id) : "",
        x ? dk_ratio(k, x->progress, 0) : "",
        lc->time_to_first_value_days != INT32_MIN ? dk_count(k, lc->time_to_first_value_days)
                                                  : dk_count(k, lc->as_of - live),
        "",
        dk_count(k, (double)open),
        k->period,
    };
    const size_t n = sizeof keys / sizeof keys[0];
    if (!name)
        return sig;
    if (strcmp(name, "stage") == 0)
        return dk_fill(k, "qbr.signal.stage", keys, vals, n);
    if (strcmp(name, "health_alert") == 0)
        return dk_fill(k, "qbr.signal.health_alert", keys, vals, n);
    if (strcmp(name, "module_below_breadth_target") == 0 && b)
        return dk_fill(k, "qbr.signal.module_below_breadth_target", keys, vals, n);
    if (strcmp(name, "no_champion") == 0)
        return dk_fill(k, "qbr.signal.no_champion", keys, vals, n);
    if (strcmp(name, "qbr_overdue") == 0)
        return dk_fill(k, "qbr.signal.qbr_overdue", keys, vals, n);
    if (strcmp(name, "kpi_regressed") == 0 && x)
        return dk_fill(k, "qbr.signal.kpi_regressed", keys, vals, n);
    if (strcmp(name, "kpi_behind") == 0 && x) {
        vals[7] = dk_ratio(k, x->expected, 0);
        return dk_fill(k, "qbr.signal.kpi_behind", keys, vals, n);
    }
    if (strcmp(name, "no_kpi_data") == 0)
        return dk_fill(k, "qbr.signal.no_kpi_data", keys, vals, n);
    if (strcmp(name, "first_value_pending") == 0)
        return dk_fill(k, "qbr.signal.first_value_pending", keys, vals, n);
    if (strcmp(name, "first_value_late") == 0)
        return dk_fill(k, "qbr.signal.first_value_late", keys, vals, n);
    if (strcmp(name, "adoption_low") == 0) {
        vals[11] = dk_ratio(k, r->health.components[VP_H_ADOPTION].score, 0);
        return dk_fill(k, "qbr.signal.adoption_low", keys, vals, n);
    }
    if (strcmp(name, "support_sla_low") == 0 && r->support_p) {
        vals[11] = dk_pct(k, r->support_p->sla_met_pct, 1);
        return dk_fill(k, "qbr.signal.support_sla_low", keys, vals, n);
    }
    if (strcmp(name, "csat_low") == 0 && r->support_p) {
        vals[11] = dk_fixed(k, r->support_p->csat, 1);
        return dk_fill(k, "qbr.signal.csat_low", keys, vals, n);
    }
    if (strcmp(name, "open_opportunities") == 0)
        return dk_fill(k, "qbr.signal.open_opportunities", keys, vals, n);
    if (strcmp(name, "no_kickoff") == 0)
        return dk_fill(k, "qbr.signal.no_kickoff", keys, vals, n);
    if (strcmp(name, "no_training") == 0)
        return dk_fill(k, "qbr.signal.no_training", keys, vals, n);
    return sig;   /* a signal this deck does not know yet: as computed */
}

/* How a plan goal is measured: "Order cycle time: 7.5 days now, target 6". */
static const char *plan_measure(dk *k, const vp_plan_item *p)
{
    const vp_kpi_result *x = vp_report_kpi(k->r, p->kpi);
    const char *unit = x && x->kpi->unit ? x->kpi->unit : NULL;
    const char *keys[] = {"kpi", "actual", "target"};
    const char *vals[] = {x ? dk_with_unit(k, x->kpi->name ? x->kpi->name : x->kpi->id, unit) : "",
                          x ? dk_value(k, x->actual) : "", dk_value(k, p->target)};
    if (x && isfinite(p->target))
        return dk_fill(k, "qbr.plan.measure", keys, vals, 3);
    if (x)
        return dk_fill(k, "qbr.plan.measure_no_target", keys, vals, 3);
    if (isfinite(p->target))
        return dk_fill(k, "qbr.plan.measure_target", keys, vals, 3);
    return "";
}

/* The plan table: the account's goals, then the playbook's next steps with their signals. */
static vp_table *plan_table(dk *k, double pad)
{
    const vp_account *a = k->a;
    const vp_lifecycle *lc = &k->r->lifecycle;
    const vp_theme *th = k->th;
    size_t np = a->n_plan, na = lc->n_actions;
    vp_table_col cols[] = {
        {"", 96, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.plan.what"), 0, VP_ALIGN_LEFT, 2},
        {dk_tr(k, "qbr.plan.why"), 260, VP_ALIGN_LEFT, 2},
        {dk_tr(k, "qbr.plan.by"), 100, VP_ALIGN_LEFT, 1},
    };
    vp_table *t = NULL;
    /* two lines per cell at most: nine rows fit a slide at padding 4 (rows_per_slide 9);
     * without goals there are no dates, so no "By" column */
    vp_table_style ts = {.size = th->table_size, .pad_y = pad, .zebra = true};
    if (vp_table_new(&t, k->d, cols, np ? 4 : 3, DK_CW, &ts) != VP_OK)
        return NULL;
    const char *goal = dk_printf(k, "%s %s", k->sym.dot, dk_tr(k, "qbr.plan.goal"));
    const char *step = dk_printf(k, "%s %s", k->sym.arrow, dk_tr(k, "qbr.plan.step"));
    for (size_t i = 0; i < np; i++) {
        const vp_plan_item *p = &a->plan[i];
        vp_table_cell cells[] = {
            {.kind = VP_CELL_PILL, .text = goal, .color = &th->accent},
            {.text = p->goal ? p->goal : "", .bold = true},
            {.text = plan_measure(k, p), .color = &th->secondary},
            {.text = p->by != VP_NO_DATE ? dk_date(k, p->by) : ""},
        };
        vp_table_add_row(t, cells);
    }
    for (size_t i = 0; i < na; i++) {
        const vp_action *act = &lc->actions[i];
        vp_table_cell cells[] = {
            {.kind = VP_CELL_PILL, .text = step, .color = &th->secondary},
            {.text = act->text ? act->text : ""},
            {.text = signal_text(k, act), .color = &th->secondary},
            {.text = ""},
        };
        vp_table_add_row(t, cells);
    }
    return t;
}

void dk_plan(dk *k)
{
    const vp_account *a = k->a;
    const vp_lifecycle *lc = &k->r->lifecycle;
    size_t np = a->n_plan, na = lc->n_actions;
    const char *keys[] = {"goals", "steps"};
    const char *vals[] = {dk_count(k, (double)np), dk_count(k, (double)na)};
    if (np + na == 0) {
        dk_slide(k, dk_tr(k, "qbr.plan.title_empty"), 1, 1, NULL);
        dk_empty(k, (vp_rect){DK_M + 80, DK_TOP + 60, DK_CW - 160, 160}, dk_tr(k, "qbr.plan.empty"),
                 "plan-empty");
        return;
    }
    const char *title = dk_fill(k, np && na ? "qbr.plan.title" : np ? "qbr.plan.title_goals"
                                                                    : "qbr.plan.title_steps",
                                keys, vals, 2);
    /* Rows get more air when the slides have room for it (the same number of slides). */
    double avail = DK_CH;
    vp_table_chunk ch[64];
    size_t parts;
    vp_table *t = dk_fit_table(k, plan_table, 4, 9, dk_opt(k, "rows_per_slide", 9), avail, ch, 64,
                               &parts);
    if (!t)
        return;
    for (size_t i = 0; i < parts; i++) {
        dk_slide(k, title, (int)i + 1, (int)parts, NULL);
        vp_table_draw(k->d, t, ch[i].first, ch[i].count, DK_M, DK_TOP, avail, "plan", NULL);
    }
    vp_table_free(t);
}
