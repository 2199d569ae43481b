/* xlsx.h — the Excel renderers (libxlsxwriter). */
#ifndef VP_XLSX_H
#define VP_XLSX_H

#include "valuepack/documents.h"
#include "../compute/report.h"

/* Write the Excel appendix of `r` to `path` (atomically: temp file + rename). */
int vp_appendix_render(const vp_report *r, const vp_templates *tpl,
                       const vp_render_options *opts, const char *path, vp_diag *diag);

#endif
