/* cmd_docs.c — valuepack qbr | annual | renewal | appendix | pack FILE: render documents. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

typedef struct doc_command {
    const char *name;
    unsigned kinds;           /* bit mask of vp_doc_kind */
    const char *what;
} doc_command;

static const doc_command k_qbr = {"qbr", 1u << VP_DOC_QBR,
    "Write the QBR deck (16:9 PDF slides): cover, agenda, executive summary, KPI\n"
    "scorecard, a trend chart per KPI, milestones, adoption, health, support, training,\n"
    "champions, best practices, expansion opportunities and the next-quarter plan."};
static const doc_command k_annual = {"annual", 1u << VP_DOC_ANNUAL,
    "Write the annual value summary (A4 PDF): the year's outcomes against every kick-off\n"
    "KPI, value and ROI, usage, service, training, milestones, next-year plan and an\n"
    "agenda for the executive dialogue."};
static const doc_command k_renewal = {"renewal", 1u << VP_DOC_RENEWAL,
    "Write the renewal options sheet (A4 PDF): A standard, B bundle (when modules are\n"
    "on the table) and C multi-year side by side, with the recommended option marked."};
static const doc_command k_appendix = {"appendix", 1u << VP_DOC_APPENDIX,
    "Write the Excel appendix (XLSX): every figure behind the PDFs as sheets with live\n"
    "formulas and native charts, for finance readers to audit."};
static const doc_command k_pack = {"pack",
    (1u << VP_DOC_QBR) | (1u << VP_DOC_ANNUAL) | (1u << VP_DOC_RENEWAL) | (1u << VP_DOC_APPENDIX),
    "Write every document of the account: QBR deck, annual value summary, renewal\n"
    "options sheet and Excel appendix."};

static void print_help(const doc_command *dc)
{
    printf("Usage: valuepack %s FILE [-o DIR] [--period P] [--date YYYY-MM-DD] [--locale L]\n"
           "                 [--templates DIR] [--font PATH [--font-index N]] [--strict]\n"
           "                 [--check-layout] [--quiet]\n"
           "\n%s\n\n"
           "Files are named <account-id>-<period>-<document>.<pdf|xlsx> and written whole or\n"
           "not at all (a temporary file is renamed into place). Each path is printed.\n"
           "\n"
           "Options:\n"
           "  -o, --output DIR   folder for the documents (default: the current folder;\n"
           "                     created when missing)\n"
           "  --period P         report period YYYY-Qn or YYYY-MM (default: latest with data)\n"
           "  --date D           as-of / generation date YYYY-MM-DD (default:\n"
           "                     SOURCE_DATE_EPOCH when set, else today)\n"
           "  --locale L         zh-CN or en (default: the account's locale)\n"
           "  --templates DIR    report templates folder (default: the installed ones)\n"
           "  --font PATH        TrueType font (.ttf/.ttc) covering the text (default: found\n"
           "                     with fontconfig, e.g. WenQuanYi Micro Hei)\n"
           "  --font-index N     face index inside a .ttc collection (default 0)\n"
           "  --strict           treat unknown fields in the account file as errors\n"
           "  --check-layout     report text that overflowed its box or overlapping boxes,\n"
           "                     and exit 1 if there is any (for template authors)\n"
           "  -q, --quiet        print nothing but errors\n"
           "  -h, --help         show this help\n"
           "\n"
           "Exit status: 0 written, 1 a document could not be written (disk, font),\n"
           "2 invalid account file, templates or option (nothing written).\n"
           "Example:\n"
           "  valuepack %s examples/hdjm-discrete-manufacturing.json -o out/\n",
           dc->name, dc->what, dc->name);
}

static int run(const doc_command *dc, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"period", required_argument, NULL, 'p'},
        {"date", required_argument, NULL, 'd'},
        {"locale", required_argument, NULL, 'l'},
        {"templates", required_argument, NULL, 't'},
        {"font", required_argument, NULL, 'f'},
        {"font-index", required_argument, NULL, 'i'},
        {"strict", no_argument, NULL, 's'},
        {"check-layout", no_argument, NULL, 'c'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_common o = {.outdir = "."};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.outdir = optarg; break;
        case 'p': o.period = optarg; break;
        case 'd': o.date = optarg; break;
        case 'l': o.locale = optarg; break;
        case 't': o.templates_dir = optarg; break;
        case 'f': o.font_path = optarg; break;
        case 'i': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 255)
                return cli_usage(dc->name, "--font-index \"%s\": expected a number 0-255", optarg);
            o.font_index = (int)v;
            break;
        }
        case 's': o.strict = true; break;
        case 'c': o.check_layout = true; break;
        case 'q': o.quiet = true; break;
        case 'h': print_help(dc); return cli_finish(EXIT_OK);
        case ':': return cli_usage(dc->name, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage(dc->name, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage(dc->name, "missing FILE: name one account file");
    if (optind + 1 < argc)
        return cli_usage(dc->name, "one account file at a time (got %d); use 'valuepack batch' for many",
                         argc - optind);
    const char *file = argv[optind];
    int status = EXIT_OK;
    vp_account *acc = NULL;
    vp_templates *tpl = NULL;
    vp_report *rep = NULL;
    vp_fontset *fonts = NULL;
    vp_layout_check *check = NULL;
    vp_diag *diag = vp_diag_new();
    if (!diag)
        return cli_finish(EXIT_FAILED);

    acc = cli_account_load(file, o.strict, &status);
    if (!acc)
        goto done;
    tpl = cli_templates_load(o.templates_dir, &status);
    if (!tpl)
        goto done;
    vp_compute_options co = {.period = o.period, .date = o.date, .locale = o.locale};
    int rc = vp_report_compute(&rep, acc, tpl, &co, diag);
    if (rc != VP_OK) {
        vp_diag_print(diag, stderr);
        if (!vp_diag_errors(diag))
            cli_error("%s: %s", file, vp_strerror(rc));
        status = cli_status_for(rc);
        goto done;
    }
    if (dc->kinds & ~(1u << VP_DOC_APPENDIX)) {
        rc = vp_fontset_load(&fonts, o.font_path, o.font_index, diag);
        if (rc != VP_OK) {
            vp_diag_print(diag, stderr);
            status = o.font_path ? EXIT_USAGE : EXIT_FAILED;
            goto done;
        }
    }
    if (!cli_ensure_dir(o.outdir)) {
        status = EXIT_FAILED;
        goto done;
    }
    if (o.check_layout && !(check = vp_layout_check_new())) {
        status = EXIT_FAILED;
        goto done;
    }
    vp_render_options ro = {.fonts = fonts, .check = check};
    for (int k = 0; k < VP_DOC__COUNT; k++) {
        if (!(dc->kinds & (1u << k)))
            continue;
        char name[256], path[4096];
        if (vp_document_filename(name, sizeof name, rep, (vp_doc_kind)k) < 0 ||
            snprintf(path, sizeof path, "%s/%s", o.outdir, name) >= (int)sizeof path) {
            cli_error("output path too long");
            status = EXIT_FAILED;
            continue;
        }
        vp_diag_clear(diag);
        rc = vp_document_render((vp_doc_kind)k, rep, tpl, &ro, path, diag);
        if (rc != VP_OK) {
            vp_diag_print(diag, stderr);
            if (!vp_diag_errors(diag))
                cli_error("%s: %s", path, vp_strerror(rc));
            int st = cli_status_for(rc);
            if (st > status)
                status = st;
            continue;
        }
        if (!o.quiet)
            printf("%s\n", path);
    }
    if (check) {
        size_t n = vp_layout_check_count(check);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "valuepack: layout: %s\n", vp_layout_check_get(check, i));
        if (n && status == EXIT_OK)
            status = EXIT_FAILED;
    }
done:
    vp_layout_check_free(check);
    vp_fontset_free(fonts);
    vp_report_free(rep);
    vp_templates_free(tpl);
    vp_account_free(acc);
    vp_diag_free(diag);
    return cli_finish(status);
}

int cmd_qbr(int argc, char **argv) { return run(&k_qbr, argc, argv); }
int cmd_annual(int argc, char **argv) { return run(&k_annual, argc, argv); }
int cmd_renewal(int argc, char **argv) { return run(&k_renewal, argc, argv); }
int cmd_appendix(int argc, char **argv) { return run(&k_appendix, argc, argv); }
int cmd_pack(int argc, char **argv) { return run(&k_pack, argc, argv); }
