/* common.h — errors, diagnostics and version of libvaluepack. */
#ifndef VALUEPACK_COMMON_H
#define VALUEPACK_COMMON_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every failure of the library is one of these. */
typedef enum vp_error {
    VP_OK = 0,            /* No error. */
    VP_ERR_NOMEM,         /* An allocation failed. */
    VP_ERR_IO,            /* A file could not be read or written (errno kept in the diag). */
    VP_ERR_PARSE,         /* The input is not well-formed JSON. */
    VP_ERR_INVALID,       /* The input is well-formed but breaks the account format. */
    VP_ERR_LIMIT,         /* The input exceeds a documented limit (size, count, depth). */
    VP_ERR_TEMPLATE,      /* A report template, theme or locale table is missing or invalid. */
    VP_ERR_FONT,          /* No usable font, or the font lacks characters the text needs. */
    VP_ERR_RENDER,        /* The PDF or XLSX writer failed. */
    VP_ERR_USAGE,         /* A caller passed an invalid argument (bad period, locale...). */
    VP_ERR_INTERRUPTED,   /* The work was cancelled (signal) before it finished. */
    VP_ERR__COUNT
} vp_error;

/* A one-line English description of an error code; never NULL. */
const char *vp_strerror(int err);

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *vp_version(void);

/* ---- diagnostics ------------------------------------------------------------------
 * A vp_diag collects the problems found while loading or rendering one input: up to
 * VP_DIAG_MAX entries, each with the file, a JSON path such as "kpis[2].target", the
 * line and column in the file when known (0 when not), and a message that says what
 * is wrong and what was expected.  Warnings (e.g. unknown fields) are kept apart from
 * errors; with strict mode on, the loader turns them into errors. */
#define VP_DIAG_MAX 50

typedef enum vp_severity { VP_SEV_ERROR = 0, VP_SEV_WARNING = 1 } vp_severity;

typedef struct vp_diag vp_diag;

/* Create an empty diagnostics list; NULL when out of memory. */
vp_diag *vp_diag_new(void);
void vp_diag_free(vp_diag *d);
/* Forget every entry (keeps the allocation, for reuse in batch workers). */
void vp_diag_clear(vp_diag *d);

/* Number of entries, and of entries of one severity. */
size_t vp_diag_count(const vp_diag *d);
size_t vp_diag_errors(const vp_diag *d);
size_t vp_diag_warnings(const vp_diag *d);
/* True when more problems were found than were kept. */
bool vp_diag_truncated(const vp_diag *d);

/* Read entry i (0 <= i < vp_diag_count). Strings stay valid until the next
 * vp_diag_clear/free. Any out pointer may be NULL. */
void vp_diag_get(const vp_diag *d, size_t i, vp_severity *sev, const char **file,
                 const char **path, int *line, int *column, const char **message);

/* Append an entry (copies every string). file/path may be NULL. Returns false when the
 * list is full (the entry is counted in vp_diag_truncated) or allocation failed. */
bool vp_diag_add(vp_diag *d, vp_severity sev, const char *file, const char *path,
                 int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Print every entry, one per line:
 *     FILE: PATH: MESSAGE (line L, column C)
 * warnings are prefixed "warning: ". */
void vp_diag_print(const vp_diag *d, FILE *out);

/* ---- temporary files ---------------------------------------------------------------
 * Every output is written to a temporary file next to it and renamed into place when
 * complete. A program that must clean up on a signal (batch on a second Ctrl-C) can learn
 * each temporary path as it is created (created = true) and when it is gone (false).
 * The hook is called from the thread writing the file; set it before starting work. */
typedef void (*vp_tmpfile_hook)(const char *tmp_path, bool created);
void vp_set_tmpfile_hook(vp_tmpfile_hook hook);

#ifdef __cplusplus
}
#endif
#endif
