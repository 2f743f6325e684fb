// `cmake --install` into a temporary prefix gives a binary that runs from there, finding its
// word lists beside it (PREFIX/share/gardefou); a binary copied alone says what it misses
// and runs once given --data-dir.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"

namespace gardefou::testing {
namespace {

namespace fs = std::filesystem;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

class Installed : public ::testing::Test {
 protected:
  void SetUp() override {
    const RunResult install = RunCommand("cmake --install " GARDEFOU_BUILD_DIR " --prefix " +
                                         Quote(prefix_.path()));
    ASSERT_EQ(install.exit_code, 0) << install.output;
    binary_ = prefix_.path() / "bin" / "gardefou";
    copy_ = prefix_.path() / "copy.txt";
    std::ofstream(copy_) << "Inès Garnier a écrit à ines.garnier@laposte.net ce matin.\n";
  }

  std::string Pseudonymize(const fs::path& binary, const std::string& extra = "") {
    return binary.string() + " pseudonymize --roster " GARDEFOU_SOURCE_DIR
                             "/examples/demo/roster.json --class 3B " + extra + " < " + Quote(copy_);
  }

  TempDir prefix_;
  fs::path binary_;
  fs::path copy_;
};

TEST_F(Installed, PutsTheBinaryAndItsDataWhereAPackageWould) {
  EXPECT_TRUE(fs::is_regular_file(binary_));
  for (const char* file : {"public_figures.txt", "first_names.txt", "french_communes.txt",
                           "LICENSE.faker-js", "LICENSE.etalab"}) {
    EXPECT_TRUE(fs::is_regular_file(prefix_.path() / "share" / "gardefou" / file)) << file;
  }
}

TEST_F(Installed, PseudonymizeRunsFromThePrefix) {
  const RunResult r = RunCommand(Pseudonymize(binary_));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("[ELEVE_"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Garnier"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("laposte"), std::string::npos) << r.output;
}

TEST_F(Installed, ServeRunsFromThePrefixAndAnswersServing) {
  const ServeProcess serve = StartServe(binary_.string(),
                                        {"--db", (prefix_.path() / "g.db").string()},
                                        prefix_.path() / "serve.log");
  ASSERT_GT(serve.port, 0) << "the installed gardefou serve did not start";
  std::string health;
  {
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(serve.port),
                                       grpc::InsecureChannelCredentials());
    ASSERT_TRUE(CheckHealth(channel, &health).ok());
  }
  EXPECT_EQ(health, std::string("\x08\x01", 2));  // HealthCheckResponse{SERVING}
  EXPECT_TRUE(StopServe(serve));
}

TEST_F(Installed, ABinaryCopiedAloneNamesWhatItMissesAndRunsWithDataDir) {
  TempDir elsewhere;
  const fs::path lone = elsewhere.path() / "bin" / "gardefou";
  fs::create_directories(lone.parent_path());
  fs::copy_file(binary_, lone);
  fs::permissions(lone, fs::perms::owner_all);

  const RunResult missing = RunCommand(Pseudonymize(lone));
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("cannot find gardefou's data files"), std::string::npos)
      << missing.output;
  EXPECT_NE(missing.output.find((elsewhere.path() / "share" / "gardefou").string()),
            std::string::npos) << "names where it looked: " << missing.output;
  EXPECT_NE(missing.output.find("--data-dir"), std::string::npos) << missing.output;

  const fs::path db = elsewhere.path() / "g.db";
  const RunResult no_server = RunCommand(lone.string() + " serve --listen 127.0.0.1:0 --dev-headers --db " +
                                         Quote(db));
  EXPECT_EQ(no_server.exit_code, 1) << no_server.output;
  EXPECT_FALSE(fs::exists(db)) << "a server that cannot pseudonymise creates nothing";

  const std::string data_dir = "--data-dir " + Quote(prefix_.path() / "share" / "gardefou");
  const RunResult found = RunCommand(Pseudonymize(lone, data_dir));
  EXPECT_EQ(found.exit_code, 0) << found.output;
  EXPECT_EQ(found.output.find("Garnier"), std::string::npos) << found.output;
  const ServeProcess serve = StartServe(
      lone.string(), {"--db", db.string(), "--data-dir", (prefix_.path() / "share" / "gardefou").string()},
      elsewhere.path() / "serve.log");
  EXPECT_GT(serve.port, 0);
  EXPECT_TRUE(StopServe(serve));

  const RunResult wrong = RunCommand(Pseudonymize(lone, "--data-dir " + Quote(elsewhere.path())));
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.output.find("has no public_figures.txt"), std::string::npos) << wrong.output;
}

}  // namespace
}  // namespace gardefou::testing
