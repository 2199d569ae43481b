/* diag.c — vp_diag, vp_strerror and vp_version. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valuepack/common.h"
#include "alloc.h"
#include "vp_config.h"

typedef struct vp_diag_entry {
    vp_severity sev;
    char *file, *path, *message;
    int line, column;
} vp_diag_entry;

struct vp_diag {
    vp_diag_entry entries[VP_DIAG_MAX];
    size_t n;
    size_t n_errors, n_warnings;   /* including those not kept */
    bool truncated;
};

const char *vp_strerror(int err)
{
    switch (err) {
    case VP_OK: return "no error";
    case VP_ERR_NOMEM: return "out of memory";
    case VP_ERR_IO: return "input/output error";
    case VP_ERR_PARSE: return "not well-formed JSON";
    case VP_ERR_INVALID: return "invalid account file";
    case VP_ERR_LIMIT: return "input exceeds a limit";
    case VP_ERR_TEMPLATE: return "invalid report templates";
    case VP_ERR_FONT: return "no usable font";
    case VP_ERR_RENDER: return "document could not be rendered";
    case VP_ERR_USAGE: return "invalid argument";
    case VP_ERR_INTERRUPTED: return "interrupted";
    default: return "unknown error";
    }
}

const char *vp_version(void) { return VP_VERSION; }

vp_diag *vp_diag_new(void) { return vp_calloc(1, sizeof(vp_diag)); }

void vp_diag_clear(vp_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        vp_free(d->entries[i].file);
        vp_free(d->entries[i].path);
        vp_free(d->entries[i].message);
    }
    d->n = d->n_errors = d->n_warnings = 0;
    d->truncated = false;
}

void vp_diag_free(vp_diag *d)
{
    vp_diag_clear(d);
    vp_free(d);
}

size_t vp_diag_count(const vp_diag *d) { return d ? d->n : 0; }
size_t vp_diag_errors(const vp_diag *d) { return d ? d->n_errors : 0; }
size_t vp_diag_warnings(const vp_diag *d) { return d ? d->n_warnings : 0; }
bool vp_diag_truncated(const vp_diag *d) { return d && d->truncated; }

void vp_diag_get(const vp_diag *d, size_t i, vp_severity *sev, const char **file,
                 const char **path, int *line, int *column, const char **message)
{
    const vp_diag_entry *e = &d->entries[i];
    if (sev) *sev = e->sev;
    if (file) *file = e->file;
    if (path) *path = e->path;
    if (line) *line = e->line;
    if (column) *column = e->column;
    if (message) *message = e->message ? e->message : "out of memory";
}

bool vp_diag_add(vp_diag *d, vp_severity sev, const char *file, const char *path, int line,
                 int column, const char *fmt, ...)
{
    if (!d)
        return false;
    if (sev == VP_SEV_ERROR)
        d->n_errors++;
    else
        d->n_warnings++;
    if (d->n >= VP_DIAG_MAX) {
        d->truncated = true;
        return false;
    }
    vp_diag_entry *e = &d->entries[d->n++];
    e->sev = sev;
    e->line = line;
    e->column = column;
    e->file = vp_strdup(file);
    e->path = vp_strdup(path);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    e->message = n >= 0 ? vp_malloc((size_t)n + 1) : NULL;
    if (e->message) {
        va_start(ap, fmt);
        vsnprintf(e->message, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return e->message != NULL;
}

void vp_diag_print(const vp_diag *d, FILE *out)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        const vp_diag_entry *e = &d->entries[i];
        if (e->sev == VP_SEV_WARNING)
            fputs("warning: ", out);
        if (e->file)
            fprintf(out, "%s: ", e->file);
        if (e->path && *e->path)
            fprintf(out, "%s: ", e->path);
        fputs(e->message ? e->message : "out of memory", out);
        if (e->line > 0)
            fprintf(out, " (line %d, column %d)", e->line, e->column);
        fputc('\n', out);
    }
    if (d->truncated)
        fprintf(out, "%s%s... and %zu more problem(s) not shown (the first %d are listed)\n",
                d->n && d->entries[0].file ? d->entries[0].file : "",
                d->n && d->entries[0].file ? ": " : "", d->n_errors + d->n_warnings - d->n,
                VP_DIAG_MAX);
}
