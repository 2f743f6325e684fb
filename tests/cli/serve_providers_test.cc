// `gardefou serve --providers FILE` refuses to start on a malformed file, naming the line and
// the field, and creates no database.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/support/run_command.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

TEST(ServeProviders, AMalformedFileStopsTheServerBeforeItStarts) {
  TempDir dir;
  const auto conf = dir.path() / "providers.conf";
  std::ofstream(conf) << "[albert]\nkind = openai-compatible\nbase_url = albert.example\n";
  const auto db = dir.path() / "gardefou.db";
  const RunResult r = RunCommand(std::string(GARDEFOU_BINARY) +
                                 " serve --listen 127.0.0.1:0 --db '" + db.string() +
                                 "' --providers '" + conf.string() + "'");
  const std::string& output = r.output;
  EXPECT_EQ(r.exit_code, 2) << output;
  EXPECT_NE(output.find("providers.conf:3: field 'base_url' must be an http:// or https:// URL"),
            std::string::npos)
      << output;
  EXPECT_FALSE(std::filesystem::exists(db)) << "nothing was created";
}

}  // namespace
}  // namespace gardefou::testing
