/* cmd_analyze.c — valuepack analyze FILE: the computed model as JSON on stdout. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"

static const char k_help[] =
    "Usage: valuepack analyze FILE [--period P] [--date YYYY-MM-DD] [--locale zh-CN|en]\n"
    "                          [--templates DIR] [--strict] [--pretty]\n"
    "\n"
    "Print the computed model of one account as JSON (SPEC section 4): every KPI's\n"
    "baseline, actual, delta, progress, expected progress and status, the value in\n"
    "money and ROI, the health score, the renewal options and the lifecycle block with\n"
    "the next-best actions. A value that cannot be computed is null.\n"
    "\n"
    "Options:\n"
    "  --period P        report period YYYY-Qn or YYYY-MM (default: the latest with data)\n"
    "  --date D          as-of date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)\n"
    "  --locale L        zh-CN or en for headlines and actions (default: the account's)\n"
    "  --templates DIR   report templates folder (default: the installed ones)\n"
    "  --strict          treat unknown fields in the account file as errors\n"
    "  --pretty          indent the JSON\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 ok, 2 invalid account file, templates or option.\n"
    "Example:\n"
    "  valuepack analyze examples/hdjm-discrete-manufacturing.json --date 2025-10-09 --pretty\n";

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"date", required_argument, NULL, 'd'},
        {"locale", required_argument, NULL, 'l'},
        {"templates", required_argument, NULL, 't'},
        {"strict", no_argument, NULL, 's'},
        {"pretty", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    vp_compute_options co = {0};
    const char *tdir = NULL;
    bool strict = false, pretty = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': co.period = optarg; break;
        case 'd': co.date = optarg; break;
        case 'l': co.locale = optarg; break;
        case 't': tdir = optarg; break;
        case 's': strict = true; break;
        case 'P': pretty = true; break;
        case 'h': fputs(k_help, stdout); return cli_finish(EXIT_OK);
        case ':':
            return cli_usage("analyze", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage("analyze", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("analyze", "missing FILE: name one account file");
    if (optind + 1 < argc)
        return cli_usage("analyze", "one account file at a time (got %d); use 'valuepack batch' for many",
                         argc - optind);
    int status = EXIT_OK;
    vp_templates *tpl = NULL;
    vp_account *acc = NULL;
    vp_report *rep = NULL;
    vp_diag *diag = vp_diag_new();
    char *json = NULL;

    acc = cli_account_load(argv[optind], strict, &status);
    if (!acc)
        goto done;
    tpl = cli_templates_load(tdir, &status);
    if (!tpl)
        goto done;
    int rc = vp_report_compute(&rep, acc, tpl, &co, diag);
    if (rc != VP_OK) {
        vp_diag_print(diag, stderr);
        if (!vp_diag_count(diag))
            cli_error("%s: %s", argv[optind], vp_strerror(rc));
        status = cli_status_for(rc);
        goto done;
    }
    json = vp_report_to_json(rep, pretty);
    if (!json) {
        cli_error("out of memory");
        status = EXIT_FAILED;
        goto done;
    }
    fputs(json, stdout);
    fputc('\n', stdout);
done:
    free(json);
    vp_report_free(rep);
    vp_templates_free(tpl);
    vp_account_free(acc);
    vp_diag_free(diag);
    return cli_finish(status);
}
