// Every command of the gardefou binary: -h/--help prints its usage on stdout and exits 0;
// an unknown option or a missing value prints the problem and the usage on stderr and
// exits 2, with nothing on stdout.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/run_command.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

const std::vector<std::string> kCommands = {
    "", "serve", "pseudonymize", "audit", "audit pubkey", "audit export", "audit verify",
    "audit report"};

std::string Gardefou(const std::string& words) {
  return std::string(GARDEFOU_BINARY) + (words.empty() ? "" : " " + words);
}
// What the command prints on stdout alone, and on stderr alone.
RunResult Stdout(const std::string& command) { return RunCommand("(" + command + " 2>/dev/null)"); }
RunResult Stderr(const std::string& command) {
  return RunCommand("(" + command + " 2>&1 >/dev/null)");
}

TEST(CommandLine, HelpGoesToStdoutWithExitZero) {
  for (const std::string& command : kCommands) {
    for (const char* flag : {"--help", "-h"}) {
      const std::string line = Gardefou(command) + " " + flag;
      const RunResult out = Stdout(line);
      EXPECT_EQ(out.exit_code, 0) << line << "\n" << out.output;
      EXPECT_NE(out.output.find("usage: gardefou " + (command.empty() ? "COMMAND" : command)),
                std::string::npos)
          << line << "\n" << out.output;
      EXPECT_EQ(Stderr(line).output, "") << line;
    }
  }
}

TEST(CommandLine, AnUnknownOptionExitsTwoWithTheUsageOnStderr) {
  for (const std::string& command : kCommands) {
    const std::string line = Gardefou(command) + " --bogus";
    const RunResult err = Stderr(line);
    EXPECT_EQ(err.exit_code, 2) << line;
    EXPECT_NE(err.output.find("--bogus"), std::string::npos) << line << "\n" << err.output;
    EXPECT_NE(err.output.find("usage: gardefou"), std::string::npos) << line << "\n" << err.output;
    EXPECT_EQ(Stdout(line).output, "") << line;
  }
}

TEST(CommandLine, MissingValuesAndOperandsAreMistakes) {
  struct Case {
    std::string words;
    std::string problem;
  };
  const std::vector<Case> cases = {
      {"serve --db", "option --db needs a value (FILE)"},
      {"serve --workers 0", "--workers must be a number from 1 to 256"},
      {"serve --json", "unknown option --json"},
      {"serve extra", "unexpected argument 'extra'"},
      {"pseudonymize --class 3B", "option --roster is required"},
      {"pseudonymize --roster r.json --class 3B --json=yes", "option --json takes no value"},
      {"pseudonymize --roster r.json --class 3B --show-mapping", "--show-mapping needs --json"},
      {"audit pubkey", "--db or --key is required"},
      {"audit export --db x.db", "option --out is required"},
      {"audit verify", "an export directory or --db/--store is required"},
      {"audit verify DIR --db x.db", "give a directory or --db/--store, not both"},
      {"audit verify --db x.db --store sqlite:y.db", "give --db or --store, not both"},
      {"audit verify A B", "too many arguments (at most 1)"},
      {"audit report --db x.db --out r.html --fast-review-seconds -1",
       "--fast-review-seconds must be 0 to 86400"},
      {"audit report --db x.db --db y.db --out r.html", "option --db given twice"},
      {"audit frobnicate", "unknown command 'frobnicate'"},
      {"frobnicate", "unknown command 'frobnicate'"},
  };
  for (const Case& c : cases) {
    const RunResult err = Stderr(Gardefou(c.words));
    EXPECT_EQ(err.exit_code, 2) << c.words << "\n" << err.output;
    EXPECT_NE(err.output.find(c.problem), std::string::npos) << c.words << "\n" << err.output;
  }
}

TEST(CommandLine, TheOverviewListsEveryCommandAndEachUsageEveryOption) {
  const RunResult overview = Stdout(Gardefou("--help"));
  for (const std::string& command : kCommands) {
    if (command.empty() || command == "audit") continue;
    EXPECT_NE(overview.output.find("  " + command + " "), std::string::npos) << command;
  }
  const RunResult serve = Stdout(Gardefou("serve --help"));
  for (const char* option : {"--db FILE", "--listen ADDR", "--workers N", "--providers FILE",
                             "--data-dir DIR", "--signing-key FILE", "--log-origin NAME",
                             "--checkpoint-events N", "--checkpoint-seconds T"}) {
    EXPECT_NE(serve.output.find(option), std::string::npos) << option;
  }
}

TEST(CommandLine, HelpStartsNothing) {
  TempDir dir;
  const RunResult out = Stdout("cd '" + dir.path().string() + "' && " + Gardefou("serve --help"));
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "no database, no key file";
}

}  // namespace
}  // namespace gardefou::testing
