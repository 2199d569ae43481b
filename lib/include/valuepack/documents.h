/* documents.h — rendering the documents of an account: QBR deck, annual value summary,
 * renewal options sheet (PDF) and the Excel appendix (XLSX). */
#ifndef VALUEPACK_DOCUMENTS_H
#define VALUEPACK_DOCUMENTS_H

#include "common.h"
#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vp_doc_kind {
    VP_DOC_QBR = 0,     /* QBR deck, 16:9 PDF */
    VP_DOC_ANNUAL,      /* annual value summary, A4 PDF */
    VP_DOC_RENEWAL,     /* renewal options sheet, A4 PDF */
    VP_DOC_APPENDIX,    /* Excel appendix, XLSX */
    VP_DOC__COUNT
} vp_doc_kind;

/* "qbr", "annual", "renewal", "appendix"; NULL for an unknown kind. */
const char *vp_doc_kind_name(vp_doc_kind kind);
/* Parse a kind name; returns -1 when unknown. */
int vp_doc_kind_parse(const char *name);
/* "pdf" or "xlsx". */
const char *vp_doc_kind_extension(vp_doc_kind kind);

/*
 * The file name of a document: "<account-id>-<period>-<kind>.<ext>", written to buf
 * (NUL-terminated). Returns the length, or -1 when it does not fit.
 */
int vp_document_filename(char *buf, size_t size, const vp_report *r, vp_doc_kind kind);

/* ---- fonts ------------------------------------------------------------------------
 * A font set is the TrueType face used for every document (CJK and Latin). Load it
 * once per process; it is read-only afterwards and may be shared between threads.
 * Each document embeds only a subset of it (the code points it uses). */
typedef struct vp_fontset vp_fontset;

/* Load the font at `path` (TTF, or TTC with `index`); with path NULL, ask fontconfig for
 * an installed font that covers Chinese and Latin. VP_ERR_FONT with a hint when none. */
int vp_fontset_load(vp_fontset **out, const char *path, int index, vp_diag *diag);
void vp_fontset_free(vp_fontset *f);
/* The file the face was loaded from. */
const char *vp_fontset_path(const vp_fontset *f);

/* ---- rendering --------------------------------------------------------------------- */

/* What the layout engine noticed: text that did not fit its box, boxes that overlap. */
typedef struct vp_layout_check vp_layout_check;
vp_layout_check *vp_layout_check_new(void);
void vp_layout_check_free(vp_layout_check *c);
size_t vp_layout_check_count(const vp_layout_check *c);
/* Entry i as one line: "page 3: text overflows box 'kpi-name' (…)". */
const char *vp_layout_check_get(const vp_layout_check *c, size_t i);

typedef struct vp_render_options {
    const vp_fontset *fonts;     /* required for PDF documents */
    const char *tmpdir;          /* scratch files (font subsets, xlsx parts); NULL = $TMPDIR,
                                    else /dev/shm when writable, else the output's folder */
    vp_layout_check *check;      /* optional: collects overflow/overlap findings */
} vp_render_options;

/*
 * Render one document of `r` to `path`. The file is written under a temporary name in
 * the same folder and renamed into place only when complete: on failure nothing exists
 * under `path` (an older file there is left as it was) and `diag` says why.
 */
int vp_document_render(vp_doc_kind kind, const vp_report *r, const vp_templates *tpl,
                       const vp_render_options *opts, const char *path, vp_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
