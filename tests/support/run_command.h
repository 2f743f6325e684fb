// Runs a shell command for the CLI tests: its exit code and what it printed (stdout + stderr).
#pragma once

#include <string>

namespace gardefou::testing {

struct RunResult {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string output;
};

// `command` runs under /bin/sh with stderr joined to stdout.
RunResult RunCommand(const std::string& command);

}  // namespace gardefou::testing
