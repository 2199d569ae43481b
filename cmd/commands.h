/* commands.h — one entry point per subcommand (cmd_<name>.c). Each receives argv with
 * argv[0] = the command name, parses its own options and returns the exit status. */
#ifndef VP_COMMANDS_H
#define VP_COMMANDS_H

int cmd_validate(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_qbr(int argc, char **argv);
int cmd_annual(int argc, char **argv);
int cmd_renewal(int argc, char **argv);
int cmd_appendix(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_portfolio(int argc, char **argv);

#endif
