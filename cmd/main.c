/* main.c — the valuepack command: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} k_commands[] = {
    {"validate", cmd_validate, "check account files and list every problem"},
    {"analyze", cmd_analyze, "print the computed model (KPIs, value, health, renewal) as JSON"},
    {"qbr", cmd_qbr, "write the QBR deck (16:9 PDF)"},
    {"annual", cmd_annual, "write the annual value summary (A4 PDF)"},
    {"renewal", cmd_renewal, "write the renewal options sheet (A4 PDF)"},
    {"appendix", cmd_appendix, "write the Excel appendix (XLSX)"},
    {"pack", cmd_pack, "write every document of one account"},
    {"batch", cmd_batch, "write every account's documents in parallel, with a portfolio summary"},
    {"portfolio", cmd_portfolio, "rebuild the portfolio summary from batch manifests (shards)"},
    {NULL, NULL, NULL},
};

static void print_help(FILE *out)
{
    fputs("Usage: valuepack COMMAND [OPTIONS] ...\n"
          "\n"
          "Turn a customer account's record (a JSON file) into the documents a\n"
          "customer-success team brings to the customer.\n"
          "\n"
          "Commands:\n", out);
    for (const struct command *c = k_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fputs("\n"
          "Options:\n"
          "  -h, --help     show this help, or a command's help with COMMAND --help\n"
          "  -V, --version  show the version\n"
          "\n"
          "Examples:\n"
          "  valuepack validate examples/*.json\n"
          "  valuepack analyze examples/hdjm-discrete-manufacturing.json --pretty\n"
          "  valuepack pack examples/hdjm-discrete-manufacturing.json -o out/\n"
          "  valuepack batch examples/ -o out/\n"
          "\n"
          "Exit status: 0 success, 1 output could not be produced, 2 invalid input or usage.\n"
          "Account format: schema/account.schema.json; manual: man valuepack.\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(NULL, "missing command");
    const char *name = argv[1];
    if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (const struct command *c = k_commands; c->name; c++)
                if (!strcmp(c->name, argv[2])) {
                    char *args[] = {argv[2], "--help", NULL};
                    return c->run(2, args);
                }
        }
        print_help(stdout);
        return cli_finish(EXIT_OK);
    }
    if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
        printf("valuepack %s\n", vp_version());
        return cli_finish(EXIT_OK);
    }
    for (const struct command *c = k_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c->run(argc - 1, argv + 1);
    if (name[0] == '-')
        return cli_usage(NULL, "unknown option '%s' (options go after the command)", name);
    return cli_usage(NULL, "unknown command '%s'", name);
}
