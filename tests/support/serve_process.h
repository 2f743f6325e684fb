// Test support: `gardefou serve` as a real child process on a free loopback port, for the
// tests of the binary itself (durability after SIGKILL, the installed binary).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace gardefou::testing {

struct ServeProcess {
  pid_t pid = -1;
  int port = 0;  // 0 when the server did not say it was listening within 10 s
};

// Runs `binary serve --listen 127.0.0.1:0 ARGS...` with its stdout and stderr in `log`,
// and waits for its "listening on port N" line.
ServeProcess StartServe(const std::string& binary, const std::vector<std::string>& args,
                        const std::filesystem::path& log);

// Sends SIGTERM and waits; true when the process exited with code 0 (a clean stop).
bool StopServe(const ServeProcess& process);

}  // namespace gardefou::testing
