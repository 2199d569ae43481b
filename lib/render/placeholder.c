/* placeholder.c — TEMPORARY while the PDF renderers are being written (each lands in its
 * own file: deck.c, annual.c, renewal.c, portfolio_pdf.c, and its function is removed from
 * here). Every entry point here fails clearly; nothing is written. */
#include "../batch/portfolio.h"
#include "render.h"

static int not_yet(const char *what, const char *path, vp_diag *diag)
{
    vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "the %s is not built yet in this version", what);
    return VP_ERR_RENDER;
}

int vp_deck_render(const vp_report *r, const vp_templates *tpl, const vp_render_options *opts,
                   const char *path, vp_diag *diag)
{
    (void)r; (void)tpl; (void)opts;
    return not_yet("QBR deck", path, diag);
}

int vp_annual_render(const vp_report *r, const vp_templates *tpl,
                     const vp_render_options *opts, const char *path, vp_diag *diag)
{
    (void)r; (void)tpl; (void)opts;
    return not_yet("annual value summary", path, diag);
}

int vp_renewal_render(const vp_report *r, const vp_templates *tpl,
                      const vp_render_options *opts, const char *path, vp_diag *diag)
{
    (void)r; (void)tpl; (void)opts;
    return not_yet("renewal options sheet", path, diag);
}
