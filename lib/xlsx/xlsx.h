/* xlsx.h — the Excel renderers (libxlsxwriter). */
#ifndef VP_XLSX_H
#define VP_XLSX_H

#include "valuepack/documents.h"
#include "../compute/report.h"

/* Write the Excel appendix of `r` to `path` (atomically: temp file + rename). */
int vp_appendix_render(const vp_report *r, const vp_templates *tpl,
                       const vp_render_options *opts, const char *path, vp_diag *diag);

/* Read back the workbook libxlsxwriter wrote to `file` and check every part: libxlsxwriter
 * 1.1.4 does not check the writes of its temporary part files, so a full disk can leave
 * a damaged workbook that workbook_close() reports as written (verify.c). VP_OK, or
 * VP_ERR_IO with a message naming `display`. Call before renaming the file into place. */
int vp_xlsx_verify(const char *file, const char *display, vp_diag *diag);

#endif
