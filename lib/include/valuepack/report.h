/* report.h — the computed model (SPEC §3) and its JSON form (`analyze`). */
#ifndef VALUEPACK_REPORT_H
#define VALUEPACK_REPORT_H

#include "common.h"
#include "account.h"
#include "templates.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vp_report vp_report;

typedef struct vp_compute_options {
    /* Report period "YYYY-Qn" or "YYYY-MM"; NULL = the latest period with data (SPEC §3). */
    const char *period;
    /* As-of date "YYYY-MM-DD"; NULL = $SOURCE_DATE_EPOCH when set, else today (UTC). */
    const char *date;
    /* "en" or "zh-CN"; NULL = the account's locale. */
    const char *locale;
} vp_compute_options;

/*
 * Compute the model of `account` with the health model, playbook and strings of `tpl`.
 * The report keeps pointers into `account` and `tpl`: both must outlive it.
 * Returns VP_ERR_USAGE (with a message in diag) for a malformed period, date or locale.
 */
int vp_report_compute(vp_report **out, const vp_account *account, const vp_templates *tpl,
                      const vp_compute_options *opts, vp_diag *diag);
void vp_report_free(vp_report *r);

/* The report period as written in file names ("2025-Q3"). */
const char *vp_report_period(const vp_report *r);

/*
 * The `analyze` JSON of SPEC §4 as a new NUL-terminated string (caller frees with free()).
 * pretty: indented with two spaces; else one line. NULL when out of memory.
 */
char *vp_report_to_json(const vp_report *r, bool pretty);

#ifdef __cplusplus
}
#endif
#endif
