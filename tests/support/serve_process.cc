// fork/exec of `gardefou serve`, and the wait for its port on the log.
#include "tests/support/serve_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>

namespace gardefou::testing {

ServeProcess StartServe(const std::string& binary, const std::vector<std::string>& args,
                        const std::filesystem::path& log) {
  std::vector<std::string> words = {binary, "serve", "--listen", "127.0.0.1:0"};
  words.insert(words.end(), args.begin(), args.end());
  // Header identities unless the test brings an auth file.
  if (std::find(args.begin(), args.end(), "--auth") == args.end()) words.push_back("--dev-headers");
  ServeProcess process;
  process.pid = fork();
  if (process.pid == 0) {
    // Never outlive the test (a crashed test leaves no server behind), and hold none of its
    // descriptors (a lock file the test runner holds stays its own).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close_range(3, ~0U, 0);
    if (freopen(log.c_str(), "w", stdout) == nullptr) _exit(127);
    dup2(fileno(stdout), STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  const std::regex listening("listening on port ([0-9]+)");
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(log);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_search(line, m, listening)) {
        process.port = std::stoi(m[1]);
        return process;
      }
    }
    int status = 0;
    if (waitpid(process.pid, &status, WNOHANG) == process.pid) {  // it gave up
      process.pid = -1;
      return process;
    }
    usleep(50 * 1000);
  }
  return process;
}

bool StopServe(const ServeProcess& process) {
  if (process.pid <= 0) return false;
  kill(process.pid, SIGTERM);
  int status = 0;
  waitpid(process.pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace gardefou::testing
