// A minimal parser for "--name value" command-line options of the gardefou subcommands.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gardefou::cli {

struct Args {
  std::map<std::string, std::string> options;  // "--db x" gives {"db", "x"}
  std::vector<std::string> positional;
};

// The value of option `name`, or "" when it was not given.
std::string OptionOr(const Args& args, const std::string& name);

// Parses argv[first..]. `known` lists the accepted option names (without "--"); `flags`
// those that take no value. INVALID_ARGUMENT names an unknown or incomplete option.
absl::StatusOr<Args> ParseArgs(int argc, char** argv, int first, const std::set<std::string>& known,
                               const std::set<std::string>& flags = {});

}  // namespace gardefou::cli
