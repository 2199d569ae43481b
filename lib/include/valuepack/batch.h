/* batch.h — quarter-end batch: every account's documents in parallel, a manifest, and the
 * portfolio summary (SPEC §6). */
#ifndef VALUEPACK_BATCH_H
#define VALUEPACK_BATCH_H

#include <signal.h>
#include <stdint.h>

#include "common.h"
#include "documents.h"
#include "templates.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counters of a running batch, passed to the progress callback. */
typedef struct vp_batch_progress {
    size_t total;          /* input files found (in every shard) */
    size_t done;           /* processed so far: ok + failed + unchanged + other_shard + not_accounts */
    size_t ok, failed, unchanged, other_shard;
    size_t not_accounts;   /* JSON files found in folders that are valuepack's own outputs
                              (analyze / manifest JSON), skipped */
    uint64_t bytes_written;
    double elapsed;        /* seconds since the start */
    bool finished;         /* the last call */
} vp_batch_progress;

typedef struct vp_batch_options {
    const char *const *inputs;   /* account files and folders (every *.json below them) */
    size_t n_inputs;
    const char *outdir;          /* OUT: OUT/<account-id>/..., OUT/manifest.json, OUT/portfolio.* */
    int jobs;                    /* worker threads; <= 0 = the number of cores */
    const char *period, *date, *locale;   /* as vp_compute_options */
    unsigned kinds;              /* bit mask of (1u << vp_doc_kind); 0 = every document */
    int shard_index, shard_count;    /* process slice K (1-based) of N; 0/0 = everything */
    bool skip_unchanged;         /* skip accounts whose input, templates, options and version
                                    match OUT/manifest.json and whose outputs still exist */
    bool strict;                 /* unknown fields are errors */
    bool portfolio;              /* write OUT/portfolio.xlsx and OUT/portfolio.pdf */
    const vp_templates *templates;   /* shared read-only by every worker */
    const vp_fontset *fonts;         /* shared read-only; required for PDF kinds */
    /* Called about every 100 ms from the calling thread, and once at the end. */
    void (*progress)(const vp_batch_progress *p, void *user);
    void *progress_user;
    /* Set (e.g. from a signal handler) to stop: no new account is started, the ones in
     * flight finish, the manifest records what finished. */
    volatile sig_atomic_t *cancel;
} vp_batch_options;

typedef struct vp_batch_result {
    vp_batch_progress totals;
    bool cancelled;
} vp_batch_result;

/*
 * Run the batch. Accounts that fail are recorded in the manifest (and listed in `diag`
 * as "FILE: reason") and skipped; the others finish. Returns VP_OK when the run itself
 * worked (check result->totals.failed), VP_ERR_USAGE/VP_ERR_IO when it could not start
 * (bad options, unwritable OUT), VP_ERR_INTERRUPTED when cancelled.
 */
int vp_batch_run(const vp_batch_options *opts, vp_batch_result *result, vp_diag *diag);

/*
 * Rebuild OUT/portfolio.xlsx and OUT/portfolio.pdf from the manifests of one or many
 * batch output folders (e.g. the shards of one run). `fonts` is needed for the PDF.
 * Accounts found in several manifests count once (the latest entry wins).
 */
int vp_portfolio_build(const char *const *dirs, size_t n_dirs, const char *outdir,
                       const vp_templates *tpl, const vp_fontset *fonts, const char *date,
                       vp_diag *diag);

/* The shard (1..n) an account id belongs to: a stable hash (SHA-256 of the id). */
int vp_shard_of(const char *account_id, int n);

#ifdef __cplusplus
}
#endif
#endif
