// `gardefou serve --providers FILE` refuses to start on a malformed file, naming the line and
// the field, and creates no database.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

TEST(ServeProviders, AMalformedFileStopsTheServerBeforeItStarts) {
  TempDir dir;
  const auto conf = dir.path() / "providers.conf";
  std::ofstream(conf) << "[albert]\nkind = openai-compatible\nbase_url = albert.example\n";
  const auto db = dir.path() / "gardefou.db";
  const std::string command = std::string(GARDEFOU_BINARY) + " serve --listen 127.0.0.1:0 --db '" +
                              db.string() + "' --providers '" + conf.string() + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 512> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << output;
  EXPECT_NE(output.find("providers.conf:3: field 'base_url' must be an http:// or https:// URL"),
            std::string::npos)
      << output;
  EXPECT_FALSE(std::filesystem::exists(db)) << "nothing was created";
}

}  // namespace
}  // namespace gardefou::testing
