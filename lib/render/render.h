/* render.h — the PDF documents, each over the layout engine in lib/pdf. */
#ifndef VP_RENDER_H
#define VP_RENDER_H

#include "valuepack/documents.h"
#include "../compute/report.h"

/* Each writes one document of `r` to `path` atomically (temp file + rename); on failure
 * nothing exists under `path` and `diag` says why. opts->fonts is required. */
int vp_deck_render(const vp_report *r, const vp_templates *tpl, const vp_render_options *opts,
                   const char *path, vp_diag *diag);
int vp_annual_render(const vp_report *r, const vp_templates *tpl,
                     const vp_render_options *opts, const char *path, vp_diag *diag);
int vp_renewal_render(const vp_report *r, const vp_templates *tpl,
                      const vp_render_options *opts, const char *path, vp_diag *diag);

/* The portfolio overview PDF (lib/render/portfolio_pdf.c): one overview page with totals
 * and charts, then the accounts table: `rows`, the first n_rows of the n_total accounts in
 * portfolio order (lib/batch/summary.c). The PDF lists at most VP_PORTFOLIO_PDF_MAX_ROWS
 * accounts (at-risk and soonest renewals first: the ones to act on) and says how many
 * more there are; the workbook lists every account. A 10,000-account portfolio would
 * otherwise be a 500-page PDF no one reads, built in memory. */
#define VP_PORTFOLIO_PDF_MAX_ROWS 500
struct vp_account_summary;
struct vp_portfolio_totals;
int vp_portfolio_pdf_render(const struct vp_account_summary *rows, size_t n_rows, size_t n_total,
                            const struct vp_portfolio_totals *totals, const char *path,
                            const vp_templates *tpl, const vp_fontset *fonts, vp_locale loc,
                            vp_date as_of, vp_diag *diag);

#endif
