/* batch.c — quarter-end batch (SPEC §6): every account's documents, in parallel.
 *
 * Shape: the calling thread enumerates the inputs, sorts them and moves their paths to a
 * scratch file (accounts are streamed, never all held), starts N workers and then watches
 * progress. Each worker takes the next input, reads and hashes it, loads, computes and
 * renders the account into OUT/<id>/ with its own reusable buffers, and appends one
 * manifest line to a shared temporary file. Templates and the font face are shared
 * read-only. At the end the manifest lines are copied in input order into
 * OUT/manifest.json and the portfolio is written from the summaries in those lines
 * (portfolio.h). What the run holds per account is ~60 bytes (run_state): memory stays
 * flat as the portfolio grows.
 *
 * Isolation: a bad account is recorded (status "failed", the reason) and skipped. Every
 * document goes through lib/util/fs.h's temp-file-and-rename, so no half-written file
 * appears under a final name; a cancel (SIGINT/SIGTERM via opts->cancel) stops new work,
 * lets the accounts in flight finish, and still writes the manifest. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "valuepack.h"
#include "../compute/report.h"
#include "../model/account.h"
#include "../util/alloc.h"
#include "../util/decimal.h"
#include "../util/fs.h"
#include "../util/jsonw.h"
#include "../util/strbuf.h"
#include "manifest.h"
#include "portfolio.h"
#include "vp_config.h"

#define WORKER_STACK (8u * 1024u * 1024u)   /* libharu puts 128 KiB arrays on the stack */

/* ---- small helpers --------------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hex(const uint8_t *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t dg[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof dg, dg);
    hex(dg, sizeof dg, out);
}

/* SHA-256 and size of a file; false when it cannot be read. */
static bool sha256_file(const char *path, char out[65], uint64_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    uint8_t buf[65536];
    size_t n;
    *size = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        sha256_update(&ctx, n, buf);
        *size += n;
    }
    bool ok = !ferror(fp);
    fclose(fp);
    uint8_t dg[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof dg, dg);
    hex(dg, sizeof dg, out);
    return ok;
}

int vp_shard_of(const char *account_id, int n)
{
    if (n <= 1)
        return 1;
    struct sha256_ctx ctx;
    uint8_t dg[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(account_id), (const uint8_t *)account_id);
    sha256_digest(&ctx, sizeof dg, dg);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | dg[i];
    return (int)(v % (uint64_t)n) + 1;
}

/* ---- inputs ---------------------------------------------------------------------------- */

/* The input paths, in one arena (no allocation per path: 10,000 accounts cost ~0.5 MB). */
typedef struct path_list {
    char **items;
    size_t n, cap;
    vp_arena pool;
} path_list;

static bool path_push(path_list *l, const char *p)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        char **ni = vp_realloc(l->items, ncap * sizeof *ni);
        if (!ni)
            return false;
        l->items = ni;
        l->cap = ncap;
    }
    if (!l->pool.chunk_size)
        vp_arena_init(&l->pool, 64 * 1024);
    return (l->items[l->n++] = vp_arena_strdup(&l->pool, p)) != NULL;
}

static void path_list_free(path_list *l)
{
    vp_free(l->items);
    vp_arena_destroy(&l->pool);
    memset(l, 0, sizeof *l);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_json_ext(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Every *.json below `dir` (hidden entries and the output folder skipped), in name order. */
static int scan_dir(path_list *out, const char *dir, const char *skip_real, int depth,
                    vp_diag *diag)
{
    if (depth > 32)
        return VP_OK;
    DIR *d = opendir(dir);
    if (!d) {
        vp_diag_add(diag, VP_SEV_ERROR, dir, NULL, 0, 0, "cannot read folder: %s", strerror(errno));
        return VP_ERR_IO;
    }
    path_list names = {0};
    struct dirent *de;
    int rc = VP_OK;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (!path_push(&names, de->d_name)) {
            rc = VP_ERR_NOMEM;
            break;
        }
    }
    closedir(d);
    if (names.n)
        qsort(names.items, names.n, sizeof *names.items, cmp_cstr);
    for (size_t i = 0; i < names.n && rc == VP_OK; i++) {
        char p[PATH_MAX];
        if (snprintf(p, sizeof p, "%s/%s", dir, names.items[i]) >= (int)sizeof p)
            continue;
        struct stat st;
        if (stat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            char real[PATH_MAX];
            if (skip_real && realpath(p, real) && strcmp(real, skip_real) == 0)
                continue;
            rc = scan_dir(out, p, skip_real, depth + 1, diag);
        } else if (S_ISREG(st.st_mode) && has_json_ext(names.items[i])) {
            if (!path_push(out, p))
                rc = VP_ERR_NOMEM;
        }
    }
    path_list_free(&names);
    return rc;
}

static int collect_inputs(path_list *out, const vp_batch_options *o, vp_diag *diag)
{
    char skip_real[PATH_MAX];
    const char *skip = realpath(o->outdir, skip_real) ? skip_real : NULL;
    for (size_t i = 0; i < o->n_inputs; i++) {
        struct stat st;
        const char *in = o->inputs[i];
        if (stat(in, &st) != 0) {
            vp_diag_add(diag, VP_SEV_ERROR, in, NULL, 0, 0, "no such file or folder");
            return VP_ERR_USAGE;
        }
        int rc = VP_OK;
        if (S_ISDIR(st.st_mode))
            rc = scan_dir(out, in, skip, 0, diag);
        else if (!path_push(out, in))
            rc = VP_ERR_NOMEM;
        if (rc != VP_OK)
            return rc;
    }
    return VP_OK;
}

/* ---- the previous manifest (for --skip-unchanged) ---------------------------------------- */

/* What the previous run wrote, kept small: the header, and per account only a hash of its
 * input path and where its line is (manifest.h); the entry itself is read back when that
 * input comes up. */
typedef struct prev_manifest {
    vp_manifest_reader r;
    bool open;
    const char *templates_hash, *version;
    struct prev_slot { uint64_t hash; long offset; } *slots;   /* sorted by hash */
    size_t n;
    pthread_mutex_t lock;          /* the reader's file position */
    bool lock_init;
} prev_manifest;

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* FNV-1a of a string: for the in-memory tables below (not stable across versions, unlike
 * vp_shard_of's SHA-256). */
static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

static int cmp_slot(const void *a, const void *b)
{
    uint64_t x = ((const struct prev_slot *)a)->hash, y = ((const struct prev_slot *)b)->hash;
    return (x > y) - (x < y);
}

static void prev_load(prev_manifest *pm, const char *outdir)
{
    memset(pm, 0, sizeof *pm);
    pthread_mutex_init(&pm->lock, NULL);
    pm->lock_init = true;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/manifest.json", outdir);
    if (vp_manifest_open(&pm->r, path, NULL) != VP_OK)
        return;
    pm->open = true;
    pm->templates_hash = jstr(pm->r.head, "templates_sha256");
    pm->version = jstr(pm->r.head, "valuepack");
    size_t cap = 0;
    long off;
    cJSON *e;
    while ((e = vp_manifest_next(&pm->r, &off))) {
        const char *in = jstr(e, "input");
        if (in) {
            if (pm->n == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                struct prev_slot *ns = vp_realloc(pm->slots, ncap * sizeof *ns);
                if (!ns) {
                    cJSON_Delete(e);
                    break;
                }
                pm->slots = ns;
                cap = ncap;
            }
            pm->slots[pm->n++] = (struct prev_slot){str_hash(in), off};
        }
        cJSON_Delete(e);
    }
    if (pm->n)
        qsort(pm->slots, pm->n, sizeof *pm->slots, cmp_slot);
}

/* The previous entry of `input` (caller deletes), or NULL. */
static cJSON *prev_find(prev_manifest *pm, const char *input)
{
    if (!pm->n)
        return NULL;
    struct prev_slot key = {str_hash(input), 0};
    struct prev_slot *hit = bsearch(&key, pm->slots, pm->n, sizeof *pm->slots, cmp_slot);
    if (!hit)
        return NULL;
    /* equal hashes sit side by side: try each */
    while (hit > pm->slots && hit[-1].hash == key.hash)
        hit--;
    for (; hit < pm->slots + pm->n && hit->hash == key.hash; hit++) {
        pthread_mutex_lock(&pm->lock);
        cJSON *e = vp_manifest_read_at(&pm->r, hit->offset);
        pthread_mutex_unlock(&pm->lock);
        const char *in = jstr(e, "input");
        if (in && !strcmp(in, input))
            return e;
        cJSON_Delete(e);
    }
    return NULL;
}

static void prev_free(prev_manifest *pm)
{
    if (pm->open)
        vp_manifest_close(&pm->r);
    vp_free(pm->slots);
    if (pm->lock_init)
        pthread_mutex_destroy(&pm->lock);
    memset(pm, 0, sizeof *pm);
}

/* ---- the run ----------------------------------------------------------------------------- */

typedef struct run_state {
    const vp_batch_options *o;
    size_t n_inputs;
    /* The input paths, sorted (the manifest's order), in a scratch file: path i is bytes
     * [path_at[i], path_at[i + 1]) of `paths`. A worker reads its path when it takes the
     * input, so 10,000 paths cost 4 bytes each in memory, not ~40. */
    uint32_t *path_at;
    FILE *paths;
    prev_manifest prev;
    char options_key[65];
    char date[11];
    unsigned kinds;

    atomic_size_t next;
    atomic_size_t done, ok, failed, unchanged, other_shard, not_accounts;
    _Atomic uint64_t bytes;

    pthread_mutex_t lock;          /* guards everything below */
    FILE *lines;                   /* scratch: manifest lines, one JSON object per line */
    /* Per input: the offset of its line in the lines file (-1: none; a line ends at its
     * newline, JSON escapes any in the text) and the 64-bit hash of the account id it
     * claimed (0: none). */
    struct input_state { int64_t line; uint64_t id_hash; } *in;
    /* Per ok/unchanged account, for the portfolio: where its line (with its summary) is
     * in the lines file and what it is sorted by (portfolio.h). The ids are read back
     * from the lines at the end (ids_arena), not held while the accounts run. */
    vp_portfolio_key *keys;
    size_t n_keys, cap_keys;
    vp_arena ids_arena;
    /* Account ids claimed so far, to catch two files with one id: an open-addressing set
     * of the inputs that claimed them (index + 1; 0 empty), probed by the 64-bit hash of
     * the id (in[].id_hash), at most 3/4 full. Two different ids sharing a 64-bit hash
     * would read as a duplicate: about one chance in 10^11 for 10,000 accounts. */
    uint32_t *ids;
    size_t cap_ids;                /* a power of two, >= 4/3 of the inputs */
    vp_diag *diag;                 /* failures, "FILE: reason" */
    int fatal;                     /* an error that stops the run (e.g. OUT unwritable) */
} run_state;

/* Input i's path into buf; 0, or an errno value when it cannot be read back. */
static int input_path(const run_state *st, size_t i, char *buf, size_t size)
{
    size_t n = st->path_at[i + 1] - st->path_at[i];
    if (n >= size)
        return ENAMETOOLONG;
    ssize_t got = pread(fileno(st->paths), buf, n, (off_t)st->path_at[i]);
    if (got < 0)
        return errno ? errno : EIO;
    if ((size_t)got != n)
        return EIO;
    buf[n] = '\0';
    return 0;
}

/* A scratch file in OUT that nothing else sees: created under a hidden unique name and
 * unlinked at once, so nothing is left behind however the run ends and no account's
 * output folder can be in its way. NULL (message in diag) when it cannot be created. */
static FILE *scratch_open(const char *outdir, vp_diag *diag)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/.valuepack-scratch-XXXXXX", outdir);
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    int err = errno;
    if (fd >= 0)
        unlink(path);
    if (!f) {
        if (fd >= 0)
            close(fd);
        vp_diag_add(diag, VP_SEV_ERROR, outdir, NULL, 0, 0, "cannot create a scratch file: %s",
                    strerror(err));
    }
    return f;
}

/* Claim an account id for input `idx`; false when it is taken (*other: the input that
 * has it). The set is sized for every input before the workers start (at most 3/4 full
 * then), so it never grows. Called with st->lock held. */
static bool claim_id(run_state *st, const char *id, size_t idx, size_t *other)
{
    uint64_t h = str_hash(id);
    if (!h)
        h = 1;                             /* 0 marks an input without an id */
    size_t j = h & (st->cap_ids - 1);
    while (st->ids[j]) {
        if (st->in[st->ids[j] - 1].id_hash == h) {
            *other = st->ids[j] - 1;
            return false;
        }
        j = (j + 1) & (st->cap_ids - 1);
    }
    st->ids[j] = (uint32_t)(idx + 1);
    st->in[idx].id_hash = h;
    return true;
}

/* Append one finished account: its manifest line and (when ok) its portfolio key. */
static void record(run_state *st, size_t idx, const vp_strbuf *line,
                   const vp_account_summary *row)
{
    pthread_mutex_lock(&st->lock);
    long off = ftell(st->lines);
    if (fwrite(line->data, 1, line->len, st->lines) != line->len || fputc('\n', st->lines) == EOF) {
        if (!st->fatal) {
            vp_diag_add(st->diag, VP_SEV_ERROR, st->o->outdir, NULL, 0, 0,
                        "cannot write the manifest: %s", strerror(errno));
            st->fatal = VP_ERR_IO;
        }
    }
    st->in[idx].line = off;
    /* keys has room for every input (allocated before the workers start). */
    if (row && st->o->portfolio && st->n_keys < st->cap_keys)
        vp_portfolio_key_set(&st->keys[st->n_keys++], row, NULL, 0, off);
    pthread_mutex_unlock(&st->lock);
}

/* Per-worker state reused from account to account. */
typedef struct worker {
    run_state *st;
    pthread_t thread;
    vp_diag *diag;
    vp_strbuf line;
    vp_arena arena;
} worker;

/* What one account produced, written as its manifest line once it is finished. */
typedef struct entry {
    size_t idx;                   /* of the input */
    const char *input;
    const char *sha;              /* NULL when the file could not be read */
    const char *id;               /* NULL when the account did not load */
    struct { const char *kind; char path[PATH_MAX]; uint64_t size; char sha[65]; } out[VP_DOC__COUNT];
    int n_out;
    char reason[8192];            /* empty = ok */
    const vp_account_summary *summary;
    double seconds;
} entry;

static void write_entry(vp_jsonw *w, const run_state *st, const entry *e)
{
    vp_jsonw_object_begin(w);
    vp_jsonw_kstring(w, "input", e->input);
    vp_jsonw_kstring(w, "input_sha256", e->sha);
    vp_jsonw_kstring(w, "status", e->reason[0] ? "failed" : "ok");
    vp_jsonw_kstring(w, "id", e->id);
    vp_jsonw_kstring(w, "options", st->options_key);
    vp_jsonw_key(w, "outputs");
    vp_jsonw_array_begin(w);
    for (int i = 0; i < e->n_out; i++) {
        vp_jsonw_object_begin(w);
        vp_jsonw_kstring(w, "kind", e->out[i].kind);
        vp_jsonw_kstring(w, "path", e->out[i].path);
        vp_jsonw_kint(w, "size", (int64_t)e->out[i].size);
        vp_jsonw_kstring(w, "sha256", e->out[i].sha);
        vp_jsonw_object_end(w);
    }
    vp_jsonw_array_end(w);
    if (e->reason[0])
        vp_jsonw_kstring(w, "error", e->reason);
    if (e->summary) {
        vp_jsonw_key(w, "summary");
        vp_summary_write(w, e->summary);
    }
    vp_jsonw_knumber(w, "seconds", vp_round_half_away(e->seconds, 4));
    vp_jsonw_object_end(w);
}

/* The first error of a diag as one line. */
static void diag_first(const vp_diag *d, char *buf, size_t size, int rc)
{
    const char *path = NULL, *msg = NULL;
    int line = 0, col = 0;
    for (size_t i = 0; i < vp_diag_count(d); i++) {
        vp_severity sev;
        vp_diag_get(d, i, &sev, NULL, &path, &line, &col, &msg);
        if (sev == VP_SEV_ERROR)
            break;
        msg = NULL;
        path = NULL;
    }
    if (!msg)
        msg = vp_strerror(rc);
    if (path && *path && line > 0)
        snprintf(buf, size, "%s: %s (line %d, column %d)", path, msg, line, col);
    else if (path && *path)
        snprintf(buf, size, "%s: %s", path, msg);
    else
        snprintf(buf, size, "%s", msg);
    size_t extra = vp_diag_errors(d);
    if (extra > 1) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, " (and %zu more problem%s)", extra - 1, extra > 2 ? "s" : "");
    }
}

/* Try to carry an account forward unchanged from the previous manifest. */
static bool carry_forward(worker *wk, size_t idx, const char *input, const char *sha)
{
    run_state *st = wk->st;
    prev_manifest *pm = &st->prev;
    if (!st->o->skip_unchanged || !pm->open || !pm->version || !pm->templates_hash ||
        strcmp(pm->version, VP_VERSION) || strcmp(pm->templates_hash, vp_templates_hash(st->o->templates)))
        return false;
    cJSON *e = prev_find(pm, input);
    bool ok = false;
    const char *status = e ? jstr(e, "status") : NULL;
    if (!e || !status || (strcmp(status, "ok") && strcmp(status, "unchanged")) ||
        !jstr(e, "input_sha256") || strcmp(jstr(e, "input_sha256"), sha) ||
        !jstr(e, "options") || strcmp(jstr(e, "options"), st->options_key))
        goto done;
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(e, "outputs"), *out;
    cJSON_ArrayForEach(out, outs) {
        const char *p = jstr(out, "path");
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(out, "size");
        char full[PATH_MAX];
        struct stat sb;
        if (!p || !cJSON_IsNumber(size) ||
            snprintf(full, sizeof full, "%s/%s", st->o->outdir, p) >= (int)sizeof full ||
            stat(full, &sb) != 0 || (double)sb.st_size != size->valuedouble)
            goto done;
    }
    vp_account_summary row;
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(e, "summary");
    vp_arena_reset(&wk->arena);
    if (!sum || !vp_summary_read(&row, sum, &wk->arena))
        goto done;
    /* The previous entry, with status "unchanged". */
    cJSON *st_item = cJSON_CreateString("unchanged");
    if (!st_item || !cJSON_ReplaceItemInObjectCaseSensitive(e, "status", st_item))
        goto done;
    char *text = cJSON_PrintUnformatted(e);
    if (!text)
        goto done;
    vp_strbuf_clear(&wk->line);
    vp_strbuf_puts(&wk->line, text);
    cJSON_free(text);
    if (vp_strbuf_failed(&wk->line))
        goto done;
    /* Claim the id last: after this nothing can fail, so the normal path never meets a
     * claim of its own. A duplicate goes that way and is reported there. */
    size_t other;
    pthread_mutex_lock(&st->lock);
    bool claimed = claim_id(st, row.id, idx, &other);
    pthread_mutex_unlock(&st->lock);
    if (!claimed)
        goto done;
    record(st, idx, &wk->line, &row);
    atomic_fetch_add(&st->unchanged, 1);
    ok = true;
done:
    cJSON_Delete(e);
    return ok;
}

/* valuepack's own JSON outputs (analyze, manifest) start with their schema: a folder of
 * accounts that also holds them (examples/golden) is not an error. */
static bool is_valuepack_output(const char *buf, size_t len)
{
    size_t n = len < 256 ? len : 256;
    static const char *const outputs[] = {"\"valuepack/analyze@", "\"valuepack/manifest@"};
    for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++) {
        size_t k = strlen(outputs[i]);
        for (size_t j = 0; j + k <= n; j++)
            if (memcmp(buf + j, outputs[i], k) == 0)
                return true;
    }
    return false;
}

static void finish(worker *wk, entry *e, double t0)
{
    run_state *st = wk->st;
    vp_jsonw w;
    e->seconds = now_seconds() - t0;
    vp_strbuf_clear(&wk->line);
    vp_jsonw_init(&w, &wk->line, false);
    write_entry(&w, st, e);
    record(st, e->idx, &wk->line, e->reason[0] ? NULL : e->summary);
    if (e->reason[0]) {
        pthread_mutex_lock(&st->lock);
        vp_diag_add(st->diag, VP_SEV_ERROR, e->input, NULL, 0, 0, "%s", e->reason);
        pthread_mutex_unlock(&st->lock);
        atomic_fetch_add(&st->failed, 1);
    } else {
        atomic_fetch_add(&st->ok, 1);
    }
}

static void process(worker *wk, size_t idx, const char *input)
{
    run_state *st = wk->st;
    const vp_batch_options *o = st->o;
    double t0 = now_seconds();
    char *buf = NULL;
    size_t len = 0;
    char sha[65];
    vp_account *acc = NULL;
    vp_report *rep = NULL;
    vp_account_summary row;
    entry e;
    memset(&e, 0, sizeof e);
    e.idx = idx;
    e.input = input;
    vp_diag_clear(wk->diag);

    int rc = vp_file_read(input, VP_LIMIT_FILE_BYTES, &buf, &len, wk->diag, input);
    if (rc != VP_OK) {
        diag_first(wk->diag, e.reason, sizeof e.reason, rc);
        goto finish;
    }
    if (is_valuepack_output(buf, len)) {
        atomic_fetch_add(&st->not_accounts, 1);
        goto done;
    }
    sha256_hex(buf, len, sha);
    e.sha = sha;
    if (carry_forward(wk, idx, input, sha))
        goto done;
    vp_load_options lo = {.strict = o->strict, .display_name = input};
    rc = vp_account_load_buffer(&acc, buf, len, &lo, wk->diag);
    if (rc != VP_OK) {
        diag_first(wk->diag, e.reason, sizeof e.reason, rc);
        goto finish;
    }
    if (o->shard_count > 1 && vp_shard_of(acc->id, o->shard_count) != o->shard_index) {
        atomic_fetch_add(&st->other_shard, 1);
        goto done;
    }
    e.id = acc->id;
    size_t other;
    pthread_mutex_lock(&st->lock);
    bool claimed = claim_id(st, acc->id, idx, &other);
    pthread_mutex_unlock(&st->lock);
    if (!claimed) {
        char other_path[PATH_MAX];
        if (input_path(st, other, other_path, sizeof other_path))
            snprintf(other_path, sizeof other_path, "another file");
        snprintf(e.reason, sizeof e.reason, "account id \"%s\" is also used by %s; ids name the "
                 "output folder and must be unique", acc->id, other_path);
        goto finish;
    }
    vp_compute_options co = {.period = o->period, .date = st->date, .locale = o->locale};
    vp_diag_clear(wk->diag);
    rc = vp_report_compute(&rep, acc, o->templates, &co, wk->diag);
    if (rc != VP_OK) {
        diag_first(wk->diag, e.reason, sizeof e.reason, rc);
        goto finish;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s", o->outdir, acc->id);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(e.reason, sizeof e.reason, "cannot create %s: %s", dir, strerror(errno));
        goto finish;
    }
    vp_render_options ro = {.fonts = o->fonts};
    for (int k = 0; k < VP_DOC__COUNT; k++) {
        if (!(st->kinds & (1u << k)))
            continue;
        char name[256], path[PATH_MAX + 256];
        vp_document_filename(name, sizeof name, rep, (vp_doc_kind)k);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        vp_diag_clear(wk->diag);
        rc = vp_document_render((vp_doc_kind)k, rep, o->templates, &ro, path, wk->diag);
        if (rc != VP_OK) {
            if (!e.reason[0]) {
                char first[900];
                diag_first(wk->diag, first, sizeof first, rc);
                snprintf(e.reason, sizeof e.reason, "%s: %s", vp_doc_kind_name((vp_doc_kind)k), first);
            }
            continue;
        }
        int i = e.n_out;
        if (!sha256_file(path, e.out[i].sha, &e.out[i].size)) {
            snprintf(e.reason, sizeof e.reason, "cannot read back %s", path);
            continue;
        }
        atomic_fetch_add(&st->bytes, e.out[i].size);
        e.out[i].kind = vp_doc_kind_name((vp_doc_kind)k);
        snprintf(e.out[i].path, sizeof e.out[i].path, "%s/%s", acc->id, name);
        e.n_out++;
    }
    if (!e.reason[0]) {
        vp_arena_reset(&wk->arena);
        vp_summary_from_report(&row, rep, &wk->arena);
        e.summary = &row;
    }
finish:
    finish(wk, &e, t0);
done:
    vp_report_free(rep);
    vp_account_free(acc);
    vp_free(buf);
    atomic_fetch_add(&st->done, 1);
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    run_state *st = wk->st;
    for (;;) {
        if (st->o->cancel && *st->o->cancel)
            break;
        pthread_mutex_lock(&st->lock);
        bool stop = st->fatal != 0;
        pthread_mutex_unlock(&st->lock);
        if (stop)
            break;
        size_t i = atomic_fetch_add(&st->next, 1);
        if (i >= st->n_inputs)
            break;
        char input[PATH_MAX];
        int err = input_path(st, i, input, sizeof input);
        if (err) {
            pthread_mutex_lock(&st->lock);
            if (!st->fatal) {
                vp_diag_add(st->diag, VP_SEV_ERROR, st->o->outdir, NULL, 0, 0,
                            "cannot read back the list of inputs: %s", strerror(err));
                st->fatal = VP_ERR_IO;
            }
            pthread_mutex_unlock(&st->lock);
            atomic_fetch_add(&st->done, 1);
            break;
        }
        process(wk, i, input);
    }
    return NULL;
}

/* The as-of date, resolved once for the whole run (a run crossing midnight must not mix
 * two dates): --date, else SOURCE_DATE_EPOCH, else today (UTC). */
static bool resolve_date(const char *given, char out[11])
{
    vp_date d;
    if (given) {
        if (!vp_date_parse(given, &d))
            return false;
    } else {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        char *end = NULL;
        long long t = sde && *sde ? strtoll(sde, &end, 10) : 0;
        d = vp_date_from_unix(sde && *sde && end && !*end ? t : (long long)time(NULL));
    }
    vp_date_format_iso(d, out);
    return true;
}

/* OUT/manifest.json from the lines file, accounts in input order (sorted by path). */
static int write_manifest(run_state *st, const vp_batch_result *res, double seconds)
{
    const vp_batch_options *o = st->o;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/manifest.json", o->outdir);
    vp_atomic_file af;
    int rc = vp_atomic_open(&af, path, st->diag);
    if (rc != VP_OK)
        return rc;
    vp_strbuf head = VP_STRBUF_INIT;
    vp_jsonw w;
    vp_jsonw_init(&w, &head, true);
    vp_jsonw_object_begin(&w);
    vp_jsonw_kstring(&w, "schema", "valuepack/manifest@1");
    vp_jsonw_kstring(&w, "valuepack", VP_VERSION);
    vp_jsonw_kstring(&w, "templates", vp_templates_dir(o->templates));
    vp_jsonw_kstring(&w, "templates_sha256", vp_templates_hash(o->templates));
    vp_jsonw_kstring(&w, "options", st->options_key);
    vp_jsonw_kstring(&w, "date", st->date);
    vp_jsonw_kstring(&w, "period", o->period);
    vp_jsonw_kstring(&w, "locale", o->locale);
    vp_jsonw_key(&w, "documents");
    vp_jsonw_array_begin(&w);
    for (int k = 0; k < VP_DOC__COUNT; k++)
        if (st->kinds & (1u << k))
            vp_jsonw_string(&w, vp_doc_kind_name((vp_doc_kind)k));
    vp_jsonw_array_end(&w);
    if (o->shard_count > 1) {
        char sh[32];
        snprintf(sh, sizeof sh, "%d/%d", o->shard_index, o->shard_count);
        vp_jsonw_kstring(&w, "shard", sh);
    } else {
        vp_jsonw_knull(&w, "shard");
    }
    vp_jsonw_kbool(&w, "cancelled", res->cancelled);
    vp_jsonw_key(&w, "totals");
    vp_jsonw_object_begin(&w);
    const vp_batch_progress *t = &res->totals;
    vp_jsonw_kint(&w, "inputs", (int64_t)t->total);
    vp_jsonw_kint(&w, "processed", (int64_t)t->done);
    vp_jsonw_kint(&w, "ok", (int64_t)t->ok);
    vp_jsonw_kint(&w, "failed", (int64_t)t->failed);
    vp_jsonw_kint(&w, "unchanged", (int64_t)t->unchanged);
    vp_jsonw_kint(&w, "other_shard", (int64_t)t->other_shard);
    vp_jsonw_kint(&w, "not_accounts", (int64_t)t->not_accounts);
    vp_jsonw_kint(&w, "not_started", (int64_t)(t->total - t->done));
    vp_jsonw_kint(&w, "bytes_written", (int64_t)t->bytes_written);
    vp_jsonw_knumber(&w, "seconds", vp_round_half_away(seconds, 3));
    vp_jsonw_object_end(&w);
    vp_jsonw_key(&w, "accounts");
    vp_jsonw_array_begin(&w);
    /* Close the array and object by hand: the entries are copied from the lines file. */
    fputs(vp_strbuf_cstr(&head), af.fp);
    vp_strbuf_free(&head);
    /* A buffer of lines stdio failed to write is dropped without a word: check. */
    bool read_ok = fflush(st->lines) == 0 && !ferror(st->lines);
    size_t written = 0;
    for (size_t i = 0; i < st->n_inputs && read_ok; i++) {
        if (st->in[i].line < 0)
            continue;
        fputs(written++ ? ",\n    " : "\n    ", af.fp);
        read_ok = fseek(st->lines, (long)st->in[i].line, SEEK_SET) == 0;
        char chunk[8192];
        bool eol = false;
        while (read_ok && !eol && fgets(chunk, sizeof chunk, st->lines)) {
            size_t n = strlen(chunk);
            eol = n && chunk[n - 1] == '\n';
            fwrite(chunk, 1, eol ? n - 1 : n, af.fp);
        }
        read_ok = read_ok && eol;
    }
    if (!read_ok) {
        vp_diag_add(st->diag, VP_SEV_ERROR, path, NULL, 0, 0,
                    "cannot write or read back the manifest lines (a scratch file in OUT): %s",
                    strerror(errno ? errno : EIO));
        vp_atomic_abort(&af);
        return VP_ERR_IO;
    }
    fputs(written ? "\n  ]\n}\n" : "]\n}\n", af.fp);
    return vp_atomic_commit(&af, st->diag);
}

/* Sort the inputs (the manifest's order) and move their paths to a scratch file in OUT,
 * keeping only where each starts (run_state.path_at). */
static int store_inputs(run_state *st, path_list *l, vp_diag *diag)
{
    if (l->n)
        qsort(l->items, l->n, sizeof *l->items, cmp_cstr);
    st->path_at = vp_malloc((l->n + 1) * sizeof *st->path_at);
    if (!st->path_at) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "out of memory");
        return VP_ERR_NOMEM;
    }
    st->paths = scratch_open(st->o->outdir, diag);
    if (!st->paths)
        return VP_ERR_IO;
    uint64_t at = 0;
    bool ok = true;
    for (size_t i = 0; i < l->n && ok; i++) {
        size_t n = strlen(l->items[i]);
        if (at + n > UINT32_MAX) {
            vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                        "%zu inputs: their paths are over 4 GB together", l->n);
            return VP_ERR_LIMIT;
        }
        st->path_at[i] = (uint32_t)at;
        ok = fwrite(l->items[i], 1, n, st->paths) == n;
        at += n;
    }
    st->path_at[l->n] = (uint32_t)at;
    /* Every write checked: stdio drops a buffer it failed to write and goes on. */
    if (!ok || fflush(st->paths) != 0 || ferror(st->paths)) {
        vp_diag_add(diag, VP_SEV_ERROR, st->o->outdir, NULL, 0, 0,
                    "cannot write the list of inputs to a scratch file: %s", strerror(errno));
        return VP_ERR_IO;
    }
    st->n_inputs = l->n;
    return VP_OK;
}

/* The portfolio keys' ids, read back from their lines (they are not held while the
 * accounts run: only the portfolio's order needs them). */
static int keys_read_ids(run_state *st, vp_manifest_reader *lines)
{
    for (size_t i = 0; i < st->n_keys; i++) {
        cJSON *e = vp_manifest_read_at(lines, (long)st->keys[i].offset);
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(e, "summary");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(sum, "id");
        st->keys[i].id = cJSON_IsString(id) ? vp_arena_strdup(&st->ids_arena, id->valuestring) : NULL;
        cJSON_Delete(e);
        if (!st->keys[i].id) {
            vp_diag_add(st->diag, VP_SEV_ERROR, st->o->outdir, NULL, 0, 0,
                        st->ids_arena.failed ? "out of memory"
                                             : "cannot read back the manifest lines for the portfolio");
            return st->ids_arena.failed ? VP_ERR_NOMEM : VP_ERR_IO;
        }
    }
    return VP_OK;
}

static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int vp_batch_run(const vp_batch_options *o, vp_batch_result *res, vp_diag *diag)
{
    memset(res, 0, sizeof *res);
    if (!o || !o->outdir || !o->templates || !o->n_inputs)
        return VP_ERR_USAGE;
    run_state st;
    memset(&st, 0, sizeof st);
    st.o = o;
    st.diag = diag;
    st.kinds = o->kinds ? o->kinds : (1u << VP_DOC__COUNT) - 1;
    if ((st.kinds & ~(1u << VP_DOC_APPENDIX)) && !o->fonts) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "PDF documents need a font set");
        return VP_ERR_USAGE;
    }
    if (o->shard_count > 1 && (o->shard_index < 1 || o->shard_index > o->shard_count)) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "shard %d/%d: expected 1 <= K <= N",
                    o->shard_index, o->shard_count);
        return VP_ERR_USAGE;
    }
    if (!resolve_date(o->date, st.date)) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                    "--date \"%s\": expected an existing date YYYY-MM-DD", o->date);
        return VP_ERR_USAGE;
    }
    {
        char key[256];
        snprintf(key, sizeof key, "period=%s;date=%s;locale=%s;kinds=%u;strict=%d",
                 o->period ? o->period : "", st.date, o->locale ? o->locale : "", st.kinds,
                 o->strict);
        sha256_hex(key, strlen(key), st.options_key);
        st.options_key[16] = '\0';
    }
    int rc = vp_mkdir_p(o->outdir, diag);
    if (rc != VP_OK)
        return rc;
    path_list inputs = {0};
    rc = collect_inputs(&inputs, o, diag);
    if (rc != VP_OK) {
        path_list_free(&inputs);
        return rc;
    }
    pthread_mutex_init(&st.lock, NULL);
    vp_arena_init(&st.ids_arena, 16 * 1024);
    rc = store_inputs(&st, &inputs, diag);
    path_list_free(&inputs);
#ifdef __GLIBC__
    malloc_trim(0);      /* what listing the inputs took, before the accounts run */
#endif
    if (rc != VP_OK)
        goto cleanup;
    /* Room for every input up front: no array grows (and is copied) while accounts run. */
    {
        size_t n = st.n_inputs ? st.n_inputs : 1, cap = 1024;
        while (4 * n > 3 * cap)
            cap *= 2;
        st.in = vp_malloc(n * sizeof *st.in);
        st.keys = o->portfolio ? vp_calloc(n, sizeof *st.keys) : NULL;
        st.ids = vp_calloc(cap, sizeof *st.ids);
        st.cap_keys = st.keys ? n : 0;
        st.cap_ids = st.ids ? cap : 0;
        if (!st.in || (o->portfolio && !st.keys) || !st.ids) {
            vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "out of memory");
            rc = VP_ERR_NOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++)
            st.in[i] = (struct input_state){.line = -1, .id_hash = 0};
    }
    if (o->skip_unchanged)
        prev_load(&st.prev, o->outdir);
    /* The manifest lines go to a scratch file, read back when the manifest is assembled. */
    st.lines = scratch_open(o->outdir, diag);
    if (!st.lines) {
        rc = VP_ERR_IO;
        goto cleanup;
    }

    unsigned jobs = o->jobs > 0 ? (unsigned)o->jobs : default_jobs();
    if (jobs > 256)
        jobs = 256;
    if (jobs > st.n_inputs && st.n_inputs)
        jobs = (unsigned)st.n_inputs;
    worker *workers = vp_calloc(jobs, sizeof *workers);
    if (!workers) {
        rc = VP_ERR_NOMEM;
        goto cleanup;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    double t0 = now_seconds();
    unsigned started = 0;
    for (unsigned i = 0; i < jobs; i++) {
        workers[i].st = &st;
        workers[i].diag = vp_diag_new();
        vp_arena_init(&workers[i].arena, 4096);
        if (!workers[i].diag || pthread_create(&workers[i].thread, &attr, worker_main, &workers[i]) != 0) {
            vp_diag_free(workers[i].diag);
            workers[i].diag = NULL;
            break;
        }
        started++;
    }
    pthread_attr_destroy(&attr);
    if (!started) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "cannot start worker threads");
        vp_free(workers);
        rc = VP_ERR_NOMEM;
        goto cleanup;
    }
    /* Watch: report progress about every 100 ms until every input is done or we stop. */
    for (;;) {
        vp_batch_progress p = {
            .total = st.n_inputs, .done = atomic_load(&st.done), .ok = atomic_load(&st.ok),
            .failed = atomic_load(&st.failed), .unchanged = atomic_load(&st.unchanged),
            .other_shard = atomic_load(&st.other_shard), .bytes_written = atomic_load(&st.bytes),
            .not_accounts = atomic_load(&st.not_accounts), .elapsed = now_seconds() - t0};
        bool cancelled = o->cancel && *o->cancel;
        pthread_mutex_lock(&st.lock);
        bool fatal = st.fatal != 0;
        pthread_mutex_unlock(&st.lock);
        if (p.done >= st.n_inputs || cancelled || fatal)
            break;
        if (o->progress)
            o->progress(&p, o->progress_user);
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
        vp_diag_free(workers[i].diag);
        vp_strbuf_free(&workers[i].line);
        vp_arena_destroy(&workers[i].arena);
    }
    vp_free(workers);
#ifdef __GLIBC__
    /* The workers' malloc arenas keep what they freed as resident memory; give it back
     * before the portfolio is written, so that stage does not add its memory on top of
     * theirs (peak RSS of 10,000 accounts stays within 10% of 100's). */
    malloc_trim(0);
#endif
    double seconds = now_seconds() - t0;
    res->totals = (vp_batch_progress){
        .total = st.n_inputs, .done = atomic_load(&st.done), .ok = atomic_load(&st.ok),
        .failed = atomic_load(&st.failed), .unchanged = atomic_load(&st.unchanged),
        .other_shard = atomic_load(&st.other_shard), .bytes_written = atomic_load(&st.bytes),
        .not_accounts = atomic_load(&st.not_accounts), .elapsed = seconds, .finished = true};
    res->cancelled = (o->cancel && *o->cancel) || res->totals.done < st.n_inputs;
    if (st.fatal) {
        rc = st.fatal;
        goto cleanup;
    }
    rc = write_manifest(&st, res, seconds);
    if (rc == VP_OK && o->portfolio && !res->cancelled) {
        /* What only the accounts' processing and the manifest needed goes before the
         * portfolio stage, so its memory does not come on top of theirs. */
        vp_free(st.ids);
        st.ids = NULL;
        vp_free(st.in);
        st.in = NULL;
        prev_free(&st.prev);
#ifdef __GLIBC__
        malloc_trim(0);
#endif
        /* The rows are read back from the lines file, one at a time; first their ids. */
        vp_manifest_reader lines = {.fp = st.lines};
        rc = keys_read_ids(&st, &lines);
        if (rc == VP_OK) {
            vp_portfolio_keys_sort(st.keys, st.n_keys);
            vp_date as_of;
            vp_date_parse(st.date, &as_of);
            vp_portfolio_source src = {.readers = &lines, .n = 1};
            rc = vp_portfolio_write(st.keys, st.n_keys, &src, o->outdir, o->templates,
                                    o->fonts, as_of, diag);
        }
        vp_manifest_detach(&lines);
    }
    if (o->progress)
        o->progress(&res->totals, o->progress_user);
    if (rc == VP_OK && res->cancelled)
        rc = VP_ERR_INTERRUPTED;
cleanup:
    if (st.lines)
        fclose(st.lines);
    prev_free(&st.prev);
    vp_free(st.ids);
    vp_free(st.in);
    vp_free(st.keys);
    vp_arena_destroy(&st.ids_arena);
    vp_free(st.path_at);
    if (st.paths)
        fclose(st.paths);
    pthread_mutex_destroy(&st.lock);
    return rc;
}
