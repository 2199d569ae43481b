/* playbook.h — the signals the playbook rules (report_templates/playbook.json) may name.
 *
 * A rule fires when the report is in one of its stages and its signal is raised; the
 * action then carries a short description of the signal ("breadth(SCM)=0.48<0.6"). */
#ifndef VP_COMPUTE_PLAYBOOK_H
#define VP_COMPUTE_PLAYBOOK_H

#include <stdbool.h>

/* True when `name` is a signal lib/compute/playbook.c computes. */
bool vp_playbook_signal_known(const char *name);
/* "implementation" .. "renewal" -> vp_stage value, "any" -> -1 never; -1 when unknown. */
int vp_playbook_stage_parse(const char *name);

#endif
