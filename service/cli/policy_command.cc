// `gardefou policy check FILE`: the policy file read as `serve --policy` would read it, before
// it is put in force.
#include <iostream>

#include "policy/policy.h"
#include "service/cli/commands.h"

namespace gardefou::cli {

const CommandSpec& PolicyCheckCommand() {
  static const CommandSpec* spec = new CommandSpec{
      .path = "policy check",
      .operands = "FILE",
      .max_operands = 1,
      .summary = "check a policy file (docs/policy.md) before serving with it",
      .notes = "Prints the policy's name and hash. Exit 0 when the file is valid, 2 (with\n"
               "FILE:LINE: field '...' and what is wrong) on the first mistake.\n"};
  return *spec;
}

int RunPolicyCheck(const Args& args) {
  if (args.positional.empty()) return UsageError(PolicyCheckCommand(), "a FILE is required");
  const std::string& path = args.positional[0];
  absl::StatusOr<policy::Policy> policy = policy::LoadPolicyFile(path);
  if (!policy.ok()) {
    std::cerr << "gardefou policy check: " << policy.status().message() << "\n";
    return 2;
  }
  std::cout << path << ": policy " << policy->name() << ", sha256 " << policy->hash()
            << ": valid\n";
  return 0;
}

}  // namespace gardefou::cli
