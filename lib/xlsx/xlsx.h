/* xlsx.h — the Excel renderers (libxlsxwriter). */
#ifndef VP_XLSX_H
#define VP_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* The check vp_xlsx_verify makes of each XML part, fed in pieces of any size: is the text
 * one complete XML document (optional prolog, one root element whose tags balance, then
 * only whitespace)? Not a validating parser: it sees a part cut short or with a hole. */
#define VP_XML_MAX_DEPTH 256
typedef struct vp_xml_check {
    int state;
    bool bad, seen, root_done, end_tag;
    char quote, prev;
    unsigned matched, run;
    uint64_t name_hash;
    size_t name_len;
    int depth;
    struct { uint64_t hash; size_t len; } stack[VP_XML_MAX_DEPTH];
} vp_xml_check;
void vp_xml_check_init(vp_xml_check *x);
void vp_xml_check_feed(vp_xml_check *x, const char *data, size_t len);
bool vp_xml_check_complete(const vp_xml_check *x);

#endif
