/* cmd_batch.c — valuepack batch (every account's pack, in parallel) and valuepack portfolio
 * (rebuild the portfolio summary from shards' manifests). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

static const char k_batch_help[] =
    "Usage: valuepack batch INPUT... -o OUT [-j N] [--period P] [--date D] [--locale L]\n"
    "                       [--only qbr,annual,renewal,appendix] [--shard K/N]\n"
    "                       [--skip-unchanged] [--no-portfolio] [--templates DIR]\n"
    "                       [--font PATH [--font-index N]] [--strict] [--quiet]\n"
    "\n"
    "Write the documents of every account at quarter end. INPUT is an account file or a\n"
    "folder (every *.json below it). Each account's documents go to OUT/<account-id>/.\n"
    "OUT/manifest.json records every account: status, input and its SHA-256, every\n"
    "output with size and SHA-256, the error if any and the time taken. OUT/portfolio.xlsx\n"
    "and OUT/portfolio.pdf summarise health, value and renewals, at-risk accounts first.\n"
    "A bad account is reported and skipped; the others finish. Files are written whole\n"
    "or not at all, also when the run is interrupted (Ctrl-C stops cleanly; the manifest\n"
    "says what finished).\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT     output folder (required; created when missing)\n"
    "  -j, --jobs N         worker threads (default: the number of cores)\n"
    "  --only LIST          documents to write, comma-separated (default: all four)\n"
    "  --shard K/N          only the accounts whose id hashes to slice K of N (1-based);\n"
    "                       merge the shards afterwards with 'valuepack portfolio'\n"
    "  --skip-unchanged     skip accounts whose input, templates, options and valuepack\n"
    "                       version are unchanged since OUT/manifest.json\n"
    "  --no-portfolio       do not write OUT/portfolio.xlsx and OUT/portfolio.pdf\n"
    "  --period, --date, --locale, --templates, --font, --font-index, --strict\n"
    "                       as for 'valuepack pack'; the date is fixed once for the run\n"
    "  -q, --quiet          no progress, no summary (errors still go to stderr)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Progress: a bar on a terminal; a line every 5 seconds otherwise.\n"
    "Exit status: 0 every account written, 1 some accounts failed (listed at the end),\n"
    "2 usage error, 130 interrupted.\n"
    "Examples:\n"
    "  valuepack batch accounts/ -o out/ -j 8\n"
    "  valuepack batch accounts/ -o out-2/ --shard 2/4 && valuepack portfolio out-*/ -o summary/\n";

static const char k_portfolio_help[] =
    "Usage: valuepack portfolio OUT... [-o DIR] [--date D] [--templates DIR] [--font PATH]\n"
    "\n"
    "Rebuild portfolio.xlsx and portfolio.pdf from the manifests of one or many batch\n"
    "output folders, e.g. the shards of one quarter-end run. An account found in several\n"
    "manifests counts once (the later folder wins).\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR   where to write the portfolio (default: the first OUT)\n"
    "  --date D           count 'renewing in the next 90 days' from D (default: the\n"
    "                     first manifest's run date)\n"
    "  --templates DIR, --font PATH, --font-index N   as for 'valuepack pack'\n"
    "  -q, --quiet        print nothing but errors\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 written, 1 could not be written, 2 usage error or unreadable manifest.\n";

/* ---- signals and temporary files ----------------------------------------------------------
 * First SIGINT/SIGTERM: stop starting accounts (the ones in flight finish, the manifest is
 * written). Second: remove the temporary files in flight and exit at once. The table of
 * temporary paths is filled by worker threads through vp_set_tmpfile_hook and read by the
 * handler without locks (slots are claimed with atomics). */
#define TMP_SLOTS 512
#define TMP_PATH 1024
static volatile sig_atomic_t g_cancel;
static atomic_int g_slot_state[TMP_SLOTS];   /* 0 free, 1 busy, 2 holds a path */
static char g_slot_path[TMP_SLOTS][TMP_PATH];

static void tmpfile_hook(const char *path, bool created)
{
    if (strlen(path) >= TMP_PATH)
        return;
    if (created) {
        for (int i = 0; i < TMP_SLOTS; i++) {
            int expected = 0;
            if (atomic_compare_exchange_strong(&g_slot_state[i], &expected, 1)) {
                memcpy(g_slot_path[i], path, strlen(path) + 1);
                atomic_store(&g_slot_state[i], 2);
                return;
            }
        }
    } else {
        for (int i = 0; i < TMP_SLOTS; i++) {
            int expected = 2;
            if (atomic_load(&g_slot_state[i]) == 2 && strcmp(g_slot_path[i], path) == 0 &&
                atomic_compare_exchange_strong(&g_slot_state[i], &expected, 1)) {
                g_slot_path[i][0] = '\0';
                atomic_store(&g_slot_state[i], 0);
                return;
            }
        }
    }
}

static void on_signal(int sig)
{
    if (!g_cancel) {
        g_cancel = 1;
        static const char msg[] = "\nvaluepack: stopping after the accounts in flight "
                                  "(press Ctrl-C again to stop at once)\n";
        ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)w;
        return;
    }
    for (int i = 0; i < TMP_SLOTS; i++)
        if (atomic_load(&g_slot_state[i]) == 2)
            unlink(g_slot_path[i]);
    _exit(128 + sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    vp_set_tmpfile_hook(tmpfile_hook);
}

/* ---- progress -------------------------------------------------------------------------------- */

typedef struct progress_ui {
    bool tty, quiet;
    double last_line;
} progress_ui;

static void fmt_eta(char *buf, size_t size, double s)
{
    if (s < 0 || s > 360000) {
        snprintf(buf, size, "--:--");
        return;
    }
    int t = (int)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, size, "%d:%02d", t / 60, t % 60);
}

static void on_progress(const vp_batch_progress *p, void *user)
{
    progress_ui *ui = user;
    if (ui->quiet)
        return;
    double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
    char eta[32];
    fmt_eta(eta, sizeof eta, rate > 0 ? (double)(p->total - p->done) / rate : -1);
    if (ui->tty) {
        int width = 28, fill = p->total ? (int)((double)width * (double)p->done / (double)p->total) : width;
        char bar[64];
        for (int i = 0; i < width; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[width] = '\0';
        fprintf(stderr, "\r[%s] %zu/%zu  failed %zu  %.0f/s  ETA %s  ", bar, p->done, p->total,
                p->failed, rate, p->finished ? "0:00" : eta);
        if (p->finished)
            fputc('\n', stderr);
    } else if (p->finished) {
        fprintf(stderr, "valuepack: %zu/%zu accounts, %zu failed, %.0f/s, done in %.1f s\n",
                p->done, p->total, p->failed, rate, p->elapsed);
    } else if (p->elapsed - ui->last_line >= 5.0) {
        ui->last_line = p->elapsed;
        fprintf(stderr, "valuepack: %zu/%zu accounts, %zu failed, %.0f/s, ETA %s\n", p->done,
                p->total, p->failed, rate, eta);
    }
    fflush(stderr);
}

static unsigned parse_only(const char *list, bool *ok)
{
    unsigned kinds = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    *ok = true;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int k = vp_doc_kind_parse(t);
        if (k < 0) {
            *ok = false;
            return 0;
        }
        kinds |= 1u << k;
    }
    *ok = kinds != 0;
    return kinds;
}

int cmd_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"period", required_argument, NULL, 'p'},
        {"date", required_argument, NULL, 'd'},
        {"locale", required_argument, NULL, 'l'},
        {"only", required_argument, NULL, 'O'},
        {"shard", required_argument, NULL, 'S'},
        {"skip-unchanged", no_argument, NULL, 'u'},
        {"no-portfolio", no_argument, NULL, 'n'},
        {"templates", required_argument, NULL, 't'},
        {"font", required_argument, NULL, 'f'},
        {"font-index", required_argument, NULL, 'i'},
        {"strict", no_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    vp_batch_options bo = {.portfolio = true};
    const char *tdir = NULL, *font = NULL;
    int font_index = 0;
    bool quiet = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:qh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o': bo.outdir = optarg; break;
        case 'j': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 256)
                return cli_usage("batch", "-j \"%s\": expected a number of threads 1-256", optarg);
            bo.jobs = (int)v;
            break;
        }
        case 'p': bo.period = optarg; break;
        case 'd': bo.date = optarg; break;
        case 'l': bo.locale = optarg; break;
        case 'O': {
            bool ok;
            bo.kinds = parse_only(optarg, &ok);
            if (!ok)
                return cli_usage("batch", "--only \"%s\": expected a comma-separated list of "
                                 "qbr, annual, renewal, appendix", optarg);
            break;
        }
        case 'S': {
            int k, n;
            char extra;
            if (sscanf(optarg, "%d/%d%c", &k, &n, &extra) != 2 || n < 1 || k < 1 || k > n)
                return cli_usage("batch", "--shard \"%s\": expected K/N with 1 <= K <= N "
                                 "(Kubernetes: $((JOB_COMPLETION_INDEX+1))/N)", optarg);
            bo.shard_index = k;
            bo.shard_count = n;
            break;
        }
        case 'u': bo.skip_unchanged = true; break;
        case 'n': bo.portfolio = false; break;
        case 't': tdir = optarg; break;
        case 'f': font = optarg; break;
        case 'i': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 255)
                return cli_usage("batch", "--font-index \"%s\": expected a number 0-255", optarg);
            font_index = (int)v;
            break;
        }
        case 's': bo.strict = true; break;
        case 'q': quiet = true; break;
        case 'h': fputs(k_batch_help, stdout); return cli_finish(EXIT_OK);
        case ':': return cli_usage("batch", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("batch", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("batch", "missing INPUT: name account files or folders");
    if (!bo.outdir)
        return cli_usage("batch", "missing -o OUT: the folder for the documents and the manifest");
    if (bo.shard_count > 1)
        bo.portfolio = false;   /* a shard's portfolio would be partial: merge with 'portfolio' */
    bo.inputs = (const char *const *)(argv + optind);
    bo.n_inputs = (size_t)(argc - optind);

    int status = EXIT_OK;
    vp_templates *tpl = cli_templates_load(tdir, &status);
    vp_fontset *fonts = NULL;
    vp_diag *diag = vp_diag_new();
    if (!tpl || !diag) {
        if (tpl)
            status = EXIT_FAILED;   /* no memory for the diagnostics */
        goto done;
    }
    unsigned kinds = bo.kinds ? bo.kinds : (1u << VP_DOC__COUNT) - 1;
    if (kinds & ~(1u << VP_DOC_APPENDIX) || bo.portfolio) {
        int rc = vp_fontset_load(&fonts, font, font_index, diag);
        if (rc != VP_OK) {
            vp_diag_print(diag, stderr);
            status = font ? EXIT_USAGE : EXIT_FAILED;
            goto done;
        }
    }
    if (!cli_ensure_dir(bo.outdir)) {
        status = EXIT_FAILED;
        goto done;
    }
    progress_ui ui = {.tty = isatty(STDERR_FILENO), .quiet = quiet};
    bo.templates = tpl;
    bo.fonts = fonts;
    bo.progress = on_progress;
    bo.progress_user = &ui;
    bo.cancel = &g_cancel;
    install_signals();
    vp_batch_result res;
    int rc = vp_batch_run(&bo, &res, diag);
    const vp_batch_progress *t = &res.totals;
    if (rc != VP_OK && rc != VP_ERR_INTERRUPTED) {
        vp_diag_print(diag, stderr);
        status = cli_status_for(rc);
        goto done;
    }
    if (t->failed) {
        fprintf(stderr, "valuepack: %zu account%s failed:\n", t->failed, t->failed == 1 ? "" : "s");
        vp_diag_print(diag, stderr);
        status = EXIT_FAILED;
    }
    if (!quiet) {
        printf("%zu input files: %zu written, %zu unchanged, %zu failed", t->total, t->ok,
               t->unchanged, t->failed);
        if (bo.shard_count > 1)
            printf(", %zu in other shards", t->other_shard);
        if (t->not_accounts)
            printf(", %zu valuepack output file%s skipped", t->not_accounts,
                   t->not_accounts == 1 ? "" : "s");
        printf(" in %.1f s; %.1f MB written to %s\n", t->elapsed,
               (double)t->bytes_written / 1e6, bo.outdir);
    }
    if (rc == VP_ERR_INTERRUPTED) {
        fprintf(stderr, "valuepack: interrupted after %zu of %zu accounts; %s/manifest.json lists "
                "what finished\n", t->done, t->total, bo.outdir);
        status = 130;
    }
done:
    vp_fontset_free(fonts);
    vp_templates_free(tpl);
    vp_diag_free(diag);
    return cli_finish(status);
}

int cmd_portfolio(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"date", required_argument, NULL, 'd'},
        {"templates", required_argument, NULL, 't'},
        {"font", required_argument, NULL, 'f'},
        {"font-index", required_argument, NULL, 'i'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *date = NULL, *tdir = NULL, *font = NULL;
    int font_index = 0;
    bool quiet = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'd': date = optarg; break;
        case 't': tdir = optarg; break;
        case 'f': font = optarg; break;
        case 'i': font_index = atoi(optarg); break;
        case 'q': quiet = true; break;
        case 'h': fputs(k_portfolio_help, stdout); return cli_finish(EXIT_OK);
        case ':': return cli_usage("portfolio", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("portfolio", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("portfolio", "missing OUT: name one or more batch output folders");
    if (!out)
        out = argv[optind];
    int status = EXIT_OK;
    vp_templates *tpl = cli_templates_load(tdir, &status);
    vp_fontset *fonts = NULL;
    vp_diag *diag = vp_diag_new();
    if (!tpl || !diag) {
        if (tpl)
            status = EXIT_FAILED;   /* no memory for the diagnostics */
        goto done;
    }
    int rc = vp_fontset_load(&fonts, font, font_index, diag);
    if (rc == VP_OK && !cli_ensure_dir(out))
        rc = VP_ERR_IO;
    if (rc == VP_OK)
        rc = vp_portfolio_build((const char *const *)(argv + optind), (size_t)(argc - optind), out,
                                tpl, fonts, date, diag);
    vp_diag_print(diag, stderr);
    if (rc != VP_OK) {
        status = rc == VP_ERR_IO || rc == VP_ERR_FONT || rc == VP_ERR_RENDER ? EXIT_FAILED : EXIT_USAGE;
        goto done;
    }
    if (!quiet)
        printf("%s/portfolio.xlsx\n%s/portfolio.pdf\n", out, out);
done:
    vp_fontset_free(fonts);
    vp_templates_free(tpl);
    vp_diag_free(diag);
    return cli_finish(status);
}
