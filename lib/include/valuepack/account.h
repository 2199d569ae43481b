/* account.h — loading and validating an account file (format valuepack/account@1). */
#ifndef VALUEPACK_ACCOUNT_H
#define VALUEPACK_ACCOUNT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The typed account model. Opaque here; lib/model/account.h has the layout. */
typedef struct vp_account vp_account;

typedef struct vp_load_options {
    /* Unknown fields become errors instead of warnings. */
    bool strict;
    /* Name used for the input in messages (default: the path, or "<memory>"). */
    const char *display_name;
} vp_load_options;

/* Documented limits of the account format (README "Limits"). */
#define VP_LIMIT_FILE_BYTES   (8u * 1024u * 1024u)  /* account file size */
#define VP_LIMIT_STRING_BYTES 4096                  /* any one string value */
#define VP_LIMIT_ARRAY_ITEMS  2000                  /* kpis, usage, milestones, ... */
#define VP_LIMIT_ACTUALS      400                   /* actuals of one KPI */
#define VP_LIMIT_DEPTH        32                    /* nesting of arrays/objects */

/*
 * Load and validate the account file at `path`.
 *
 * On success *out owns a new account (free with vp_account_free) and VP_OK is returned;
 * warnings may still have been added to `diag`. On failure *out is NULL, the return is
 * VP_ERR_IO, VP_ERR_PARSE, VP_ERR_LIMIT or VP_ERR_INVALID, and `diag` holds every problem
 * found (up to VP_DIAG_MAX). `opts` and `diag` may be NULL.
 */
int vp_account_load(vp_account **out, const char *path, const vp_load_options *opts,
                    vp_diag *diag);

/* As vp_account_load, from `len` bytes of memory (need not be NUL-terminated). */
int vp_account_load_buffer(vp_account **out, const char *data, size_t len,
                           const vp_load_options *opts, vp_diag *diag);

void vp_account_free(vp_account *a);

/* The account id ([A-Za-z0-9._-]{1,64}), name, and locale ("en" or "zh-CN"). */
const char *vp_account_id(const vp_account *a);
const char *vp_account_name(const vp_account *a);
const char *vp_account_locale(const vp_account *a);

#ifdef __cplusplus
}
#endif
#endif
