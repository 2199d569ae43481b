/* lifecycle.c — the lifecycle block of SPEC §3: stage, days to renewal, time to first
 * value, QBR cadence; the playbook actions come from playbook.c. */
#include <stdint.h>
#include <string.h>

#include "report.h"

/* SPEC §1: renewal decision in the last 1-3 months; stages by contract month. */
#define RENEWAL_WINDOW_DAYS 90
#define IMPLEMENTATION_MONTHS 3
#define ROOTING_MONTHS 9
#define FIRST_VALUE_DAYS 90

int vp_lifecycle_compute(vp_lifecycle *out, const vp_report *r, vp_date as_of,
                         vp_arena *arena)
{
    const vp_account *a = r->account;
    memset(out, 0, sizeof *out);
    out->as_of = as_of;
    out->days_to_renewal = a->end_date - as_of;
    out->months_elapsed = vp_date_whole_months(a->start_date, as_of);

    if (out->days_to_renewal >= 0 && out->days_to_renewal <= RENEWAL_WINDOW_DAYS)
        out->stage = VP_STAGE_RENEWAL;
    else if (out->months_elapsed < IMPLEMENTATION_MONTHS)
        out->stage = VP_STAGE_IMPLEMENTATION;
    else if (out->months_elapsed < ROOTING_MONTHS)
        out->stage = VP_STAGE_ROOTING;
    else
        out->stage = VP_STAGE_DEEPENING;

    /* First value: the earliest milestone reached by as_of. A "go_live" milestone is the
     * start of the clock, not value, so it does not count. */
    vp_date from = a->go_live_date != VP_NO_DATE ? a->go_live_date : a->start_date;
    vp_date first = VP_NO_DATE;
    for (size_t i = 0; i < a->n_milestones; i++) {
        const vp_milestone *m = &a->milestones[i];
        if (m->kind == VP_MS_GO_LIVE || m->done == VP_NO_DATE || m->done > as_of)
            continue;
        if (first == VP_NO_DATE || m->done < first)
            first = m->done;
    }
    out->time_to_first_value_days = first == VP_NO_DATE ? INT32_MIN : first - from;
    out->first_value_on_time = first != VP_NO_DATE &&
                               out->time_to_first_value_days <= FIRST_VALUE_DAYS;

    for (size_t i = 0; i < a->n_engagements; i++)
        if (a->engagements[i].kind == VP_ENG_QBR && a->engagements[i].date != VP_NO_DATE &&
            a->engagements[i].date <= as_of)
            out->qbrs_held++;
    out->qbrs_expected = out->months_elapsed > 0 ? out->months_elapsed / 3 : 0;

    return vp_playbook_run(out, r, arena);
}
