// The one command-line parser of the gardefou binary. Each subcommand describes its options
// once, in a CommandSpec; the parser and the usage text are both made from that table, so
// the help a user reads is the help the parser enforces.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace gardefou::cli {

struct OptionSpec {
  std::string name;        // "db" for --db
  std::string value = {};  // what the value is, "FILE"; empty for a flag that takes none
  std::string help = {};   // one line
  bool required = false;
};

struct CommandSpec {
  std::string path;             // "audit verify"
  std::string operands = {};    // operands as shown in the synopsis, "[DIR]"; "" for none
  int max_operands = 0;         // how many positional operands are accepted
  std::string summary = {};     // one line: what the command does
  std::vector<OptionSpec> options = {};
  std::string notes = {};       // printed after the options: defaults, exit codes
};

struct Args {
  std::map<std::string, std::string> options;  // "--db x" gives {"db", "x"}; a flag gives "true"
  std::vector<std::string> positional;
};

// The value of option `name`, or "" when it was not given.
std::string OptionOr(const Args& args, const std::string& name);

// The usage text of `command`: synopsis, summary, one line per option, notes.
std::string Usage(const CommandSpec& command);

// Parses argv[first..] for `command` ("--name value", "--name=value", flags, operands; "--"
// ends the options). -h or --help anywhere prints the usage on stdout and gives exit code 0.
// An unknown option, a missing value, a value given to a flag, a missing required option or
// too many operands prints "gardefou PATH: problem" and the usage on stderr and gives exit
// code 2. Otherwise the parsed arguments.
std::variant<Args, int> ParseCommandLine(const CommandSpec& command, int argc, char** argv,
                                         int first);

// Prints "gardefou PATH: problem" and the usage on stderr; returns 2, the exit code of a
// command-line mistake found after parsing (e.g. "a directory or --db, not both").
int UsageError(const CommandSpec& command, const std::string& problem);

}  // namespace gardefou::cli
