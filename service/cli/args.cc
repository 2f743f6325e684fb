// Implementation of the option parser.
#include "service/cli/args.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gardefou::cli {

std::string OptionOr(const Args& args, const std::string& name) {
  auto it = args.options.find(name);
  return it == args.options.end() ? std::string() : it->second;
}

absl::StatusOr<Args> ParseArgs(int argc, char** argv, int first,
                               const std::set<std::string>& known,
                               const std::set<std::string>& flags) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (!absl::StartsWith(arg, "--")) {
      args.positional.push_back(std::move(arg));
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (flags.contains(name)) {
      value = "true";
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("option --", name, " needs a value"));
    }
    if (!known.contains(name) && !flags.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown option --", name));
    }
    args.options[name] = value;
  }
  return args;
}

}  // namespace gardefou::cli
