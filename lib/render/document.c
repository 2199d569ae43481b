/* document.c — document kinds, file names and the render dispatch. */
#include <stdio.h>
#include <string.h>

#include "../xlsx/xlsx.h"
#include "render.h"

static const char *const k_names[VP_DOC__COUNT] = {"qbr", "annual", "renewal", "appendix"};

const char *vp_doc_kind_name(vp_doc_kind kind)
{
    return (unsigned)kind < VP_DOC__COUNT ? k_names[kind] : NULL;
}

int vp_doc_kind_parse(const char *name)
{
    for (int i = 0; i < VP_DOC__COUNT; i++)
        if (name && strcmp(name, k_names[i]) == 0)
            return i;
    return -1;
}

const char *vp_doc_kind_extension(vp_doc_kind kind)
{
    return kind == VP_DOC_APPENDIX ? "xlsx" : "pdf";
}

int vp_document_filename(char *buf, size_t size, const vp_report *r, vp_doc_kind kind)
{
    if ((unsigned)kind >= VP_DOC__COUNT)
        return -1;
    int n = snprintf(buf, size, "%s-%s-%s.%s", r->account->id, r->period_name, k_names[kind],
                     vp_doc_kind_extension(kind));
    return n < 0 || (size_t)n >= size ? -1 : n;
}

int vp_document_render(vp_doc_kind kind, const vp_report *r, const vp_templates *tpl,
                       const vp_render_options *opts, const char *path, vp_diag *diag)
{
    if (!r || !tpl || !path)
        return VP_ERR_USAGE;
    if (kind != VP_DOC_APPENDIX && (!opts || !opts->fonts)) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "no font set given for a PDF document");
        return VP_ERR_USAGE;
    }
    switch (kind) {
    case VP_DOC_QBR: return vp_deck_render(r, tpl, opts, path, diag);
    case VP_DOC_ANNUAL: return vp_annual_render(r, tpl, opts, path, diag);
    case VP_DOC_RENEWAL: return vp_renewal_render(r, tpl, opts, path, diag);
    case VP_DOC_APPENDIX: return vp_appendix_render(r, tpl, opts, path, diag);
    default: return VP_ERR_USAGE;
    }
}
