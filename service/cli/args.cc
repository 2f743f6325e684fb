// Implementation of the option parser and of the usage text made from the option table.
#include "service/cli/args.h"

#include <algorithm>
#include <iostream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gardefou::cli {
namespace {

const OptionSpec* Find(const CommandSpec& command, const std::string& name) {
  for (const OptionSpec& option : command.options) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

std::string OptionForm(const OptionSpec& option) {
  return option.value.empty() ? absl::StrCat("--", option.name)
                              : absl::StrCat("--", option.name, " ", option.value);
}

std::variant<Args, std::string> Parse(const CommandSpec& command, int argc, char** argv,
                                      int first) {
  Args args;
  bool options_ended = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_ended || arg == "-" || !absl::StartsWith(arg, "-")) {
      args.positional.push_back(std::move(arg));
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) return absl::StrCat("unknown option ", arg);
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    const OptionSpec* option = Find(command, name);
    if (option == nullptr) return absl::StrCat("unknown option --", name);
    if (option->value.empty()) {
      if (has_value) return absl::StrCat("option --", name, " takes no value");
      value = "true";
    } else if (!has_value) {
      if (i + 1 >= argc) return absl::StrCat("option --", name, " needs a value (", option->value, ")");
      value = argv[++i];
    }
    if (args.options.contains(name)) return absl::StrCat("option --", name, " given twice");
    args.options[name] = std::move(value);
  }
  for (const OptionSpec& option : command.options) {
    if (option.required && !args.options.contains(option.name)) {
      return absl::StrCat("option --", option.name, " is required");
    }
  }
  if (static_cast<int>(args.positional.size()) > command.max_operands) {
    return command.max_operands == 0
               ? absl::StrCat("unexpected argument '", args.positional[command.max_operands], "'")
               : absl::StrCat("too many arguments (at most ", command.max_operands, ")");
  }
  return args;
}

}  // namespace

std::string OptionOr(const Args& args, const std::string& name) {
  auto it = args.options.find(name);
  return it == args.options.end() ? std::string() : it->second;
}

std::string Usage(const CommandSpec& command) {
  // The synopsis, wrapped at 80 columns under the first option.
  std::string synopsis = absl::StrCat("usage: gardefou ", command.path);
  const size_t indent = synopsis.size() + 1;
  size_t line_start = 0;
  std::vector<std::string> parts;
  for (const OptionSpec& option : command.options) {
    parts.push_back(option.required ? OptionForm(option) : absl::StrCat("[", OptionForm(option), "]"));
  }
  if (!command.operands.empty()) parts.push_back(command.operands);
  for (const std::string& part : parts) {
    if (synopsis.size() - line_start + 1 + part.size() > 80 && synopsis.size() - line_start > indent) {
      line_start = synopsis.size() + 1;
      absl::StrAppend(&synopsis, "\n", std::string(indent - 1, ' '));
    }
    absl::StrAppend(&synopsis, " ", part);
  }
  std::string text = absl::StrCat(synopsis, "\n", command.summary, "\n");
  size_t width = std::string("-h, --help").size();
  for (const OptionSpec& option : command.options) width = std::max(width, OptionForm(option).size());
  absl::StrAppend(&text, "\noptions:\n");
  for (const OptionSpec& option : command.options) {
    const std::string form = OptionForm(option);
    absl::StrAppend(&text, "  ", form, std::string(width - form.size() + 2, ' '), option.help,
                    option.required ? " (required)" : "", "\n");
  }
  absl::StrAppend(&text, "  -h, --help", std::string(width - 10 + 2, ' '),
                  "print this help and exit\n");
  if (!command.notes.empty()) absl::StrAppend(&text, "\n", command.notes);
  return text;
}

std::variant<Args, int> ParseCommandLine(const CommandSpec& command, int argc, char** argv,
                                         int first) {
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg == "-h" || arg == "--help") {
      std::cout << Usage(command);
      return 0;
    }
  }
  std::variant<Args, std::string> parsed = Parse(command, argc, argv, first);
  if (auto* problem = std::get_if<std::string>(&parsed)) return UsageError(command, *problem);
  return std::get<Args>(std::move(parsed));
}

int UsageError(const CommandSpec& command, const std::string& problem) {
  std::cerr << "gardefou " << command.path << ": " << problem << "\n" << Usage(command);
  return 2;
}

}  // namespace gardefou::cli
