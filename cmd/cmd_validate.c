/* cmd_validate.c — valuepack validate FILE... */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "commands.h"

static const char k_help[] =
    "Usage: valuepack validate [--strict] FILE...\n"
    "\n"
    "Check account files (format valuepack/account@1) and list every problem found in\n"
    "each, up to 50 per file, as\n"
    "    FILE: JSON.path: what is wrong, what was expected (line L, column C)\n"
    "A file without problems prints \"FILE: ok\".\n"
    "\n"
    "Options:\n"
    "  --strict     treat unknown fields as errors (default: a warning)\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 every file is valid, 2 at least one is not (or a usage error).\n"
    "Example:\n"
    "  valuepack validate examples/*.json\n";

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"strict", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool strict = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 's': strict = true; break;
        case 'h': fputs(k_help, stdout); return cli_finish(EXIT_OK);
        default:
            return cli_usage("validate", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("validate", "missing FILE: name one or more account files");
    int status = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        int st = EXIT_OK;
        vp_account *a = cli_account_load(argv[i], strict, &st);
        if (a) {
            printf("%s: ok\n", argv[i]);
            vp_account_free(a);
        } else if (st > status) {
            status = st;
        }
        fflush(stdout);
    }
    return cli_finish(status);
}
