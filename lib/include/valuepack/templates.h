/* templates.h — the report templates: layouts, theme, locale tables, health model,
 * playbook and best practices (folder report_templates/, SPEC §5). */
#ifndef VALUEPACK_TEMPLATES_H
#define VALUEPACK_TEMPLATES_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vp_templates vp_templates;

/*
 * Load every template file from `dir`. With dir NULL the default folder is used:
 * $VALUEPACK_TEMPLATES, else the installed share/valuepack/report_templates.
 * The result is immutable and may be shared read-only between threads.
 * Problems are added to `diag` (file and JSON path); returns VP_ERR_TEMPLATE then.
 */
int vp_templates_load(vp_templates **out, const char *dir, vp_diag *diag);
void vp_templates_free(vp_templates *t);

/* The folder the templates were read from. */
const char *vp_templates_dir(const vp_templates *t);
/* Hex SHA-256 over every template file's name and bytes (for batch --skip-unchanged). */
const char *vp_templates_hash(const vp_templates *t);

#ifdef __cplusplus
}
#endif
#endif
