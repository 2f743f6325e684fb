// `gardefou serve` refuses unsafe transports and bad auth files before creating anything: no
// plaintext beyond loopback, development headers on loopback only and only when asked, an
// auth file only with TLS and a client CA, and auth-file mistakes named by line and field.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_server.h"
#include "tests/support/verified_server.h"

namespace gardefou::testing {
namespace {

class ServeTransport : public ::testing::Test {
 protected:
  // Runs `gardefou serve --db DB ARGS` (which must fail before listening).
  RunResult Serve(const std::string& args) {
    return RunCommand(std::string(GARDEFOU_BINARY) + " serve --db '" + db_.string() + "' " +
                      args + " </dev/null");
  }
  std::string File(const char* name) { return "'" + (dir_.path() / name).string() + "'"; }

  TempDir dir_;
  Credentials credentials_{dir_.path()};
  std::filesystem::path db_ = dir_.path() / "gardefou.db";
};

TEST_F(ServeTransport, UnsafeCombinationsExitTwoAndCreateNothing) {
  const std::string tls = "--tls-cert " + File("server.pem") + " --tls-key " + File("server.key");
  const struct {
    std::string args;
    const char* says;
  } cases[] = {
      {"--listen 0.0.0.0:0 --dev-headers", "without TLS"},
      {"--listen 192.0.2.1:0 --auth " + File("auth.conf"), "without TLS"},
      {"--listen 127.0.0.1:0", "say who may call"},
      {"--listen 0.0.0.0:0 " + tls + " --dev-headers", "refused on a non-loopback address"},
      {"--listen 127.0.0.1:0 " + tls + " --auth " + File("auth.conf"), "--client-ca"},
      {"--listen 127.0.0.1:0 --tls-cert " + File("server.pem") + " --dev-headers", "go together"},
      {"--listen 127.0.0.1:0 --dev-headers --auth " + File("auth.conf"), "say who may call"},
      {"--listen 127.0.0.1:0 --dev-headers --store sqlite:/elsewhere.db", "--db or --store"},
      {"--listen 127.0.0.1:0 --dev-headers --tls-cert " + File("nowhere.pem") + " --tls-key " +
           File("server.key"),
       "cannot read"},
      {"--listen 127.0.0.1:0 --dev-headers --tls-cert " + File("server.pem") + " --tls-key " +
           File("ent-a.key"),
       "--tls-key is not the key of --tls-cert"},
      {"--listen 127.0.0.1:0 --dev-headers --tls-cert " + File("auth.conf") + " --tls-key " +
           File("server.key"),
       "--tls-cert holds no PEM certificate"},
      {"--listen 127.0.0.1:0 " + tls + " --client-ca " + File("idp.jwks.json") + " --auth " +
           File("auth.conf"),
       "--client-ca holds no PEM certificate"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const RunResult r = Serve(c.args);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(db_)) << "nothing was created";
  }
}

TEST_F(ServeTransport, AuthFileMistakesNameTheLineAndTheField) {
  const struct {
    const char* text;
    const char* says;
  } cases[] = {
      {"[integration a]\ncertificate_uri = spiffe://a\ntenants = 0999001A\nroles = lms root\n",
       "auth.conf:4: field 'roles' lists 'root'"},
      {"[integration a]\ntenants = 0999001A\nroles = lms\n",
       "auth.conf:1: field 'certificate_uri' (or certificate_dns) is missing in [integration a]"},
      {"[integration a]\ncertificate_uri = spiffe://a\ntenants = 0999001A\nroles = teacher\n",
       "auth.conf:1: field 'issuers' is needed"},
      {"[integration a]\ncertificate_uri = spiffe://a\ntenants = 0999001A\nroles = teacher\n"
       "issuers = idp\n",
       "auth.conf:5: field 'issuers' names 'idp', which is not defined"},
      {"[issuer idp]\nissuer = x\naudience = g\nalgorithms = HS256\n",
       "auth.conf:4: field 'algorithms' lists 'HS256'"},
      {"[integration a]\ncertificate_uri = spiffe://a\ncertificate_uri = spiffe://b\n",
       "auth.conf:3: field 'certificate_uri' is given twice"},
      {"[integration a]\ncertificate_uri = spiffe://a\ntenants = 0999001A\nroles = lms\nrate = 5\n",
       "auth.conf:5: field 'rate' is unknown"},
      {"roles = lms\n", "auth.conf:1: field 'roles' is outside any"},
      {"[integration a]\ncertificate_uri = spiffe://a\ntenants = 0999001A\nroles = teacher\n"
       "issuers = idp\n[issuer idp]\nissuer = x\naudience = g\nalgorithms = EdDSA\n"
       "jwks_file = missing.json\n",
       "issuer 'idp'"},
  };
  const std::string tls = "--tls-cert " + File("server.pem") + " --tls-key " +
                          File("server.key") + " --client-ca " + File("ca.pem");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::ofstream(dir_.path() / "auth.conf") << c.text;
    const RunResult r = Serve("--listen 127.0.0.1:0 " + tls + " --auth " + File("auth.conf"));
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(db_)) << "nothing was created";
  }
}

TEST(ServeStore, AStoreIsNamedByItsEngine) {
  TempDir dir;
  const std::filesystem::path db = dir.path() / "named.db";
  const ServeProcess server =
      StartServe(GARDEFOU_BINARY, {"--store", "sqlite:" + db.string()}, dir.path() / "log");
  ASSERT_NE(server.port, 0);
  EXPECT_TRUE(std::filesystem::exists(db));
  EXPECT_TRUE(StopServe(server));
  const RunResult unknown = RunCommand(std::string(GARDEFOU_BINARY) +
                                       " serve --dev-headers --store mysql://localhost/g");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("--store must be sqlite:FILE or postgresql://"),
            std::string::npos)
      << unknown.output;
  // PostgreSQL needs the log's key named: every instance must share it.
  const RunResult keyless = RunCommand(
      std::string(GARDEFOU_BINARY) + " serve --dev-headers --store postgresql://u@localhost/g");
  EXPECT_EQ(keyless.exit_code, 2) << keyless.output;
  EXPECT_NE(keyless.output.find("needs --signing-key"), std::string::npos) << keyless.output;
  // A database that cannot be reached: exit 1, and the password is never repeated.
  const RunResult unreachable = RunCommand(
      std::string(GARDEFOU_BINARY) + " serve --dev-headers --signing-key '" +
      (dir.path() / "k").string() +
      "' --store 'postgresql://u:S3cretPassw0rd@/g?host=" + dir.path().string() + "&port=1'");
  EXPECT_EQ(unreachable.exit_code, 1) << unreachable.output;
  EXPECT_NE(unreachable.output.find("cannot connect to PostgreSQL"), std::string::npos)
      << unreachable.output;
  EXPECT_EQ(unreachable.output.find("S3cretPassw0rd"), std::string::npos) << unreachable.output;
  // libpq's key=value form is not taken for a file name (which would be created, and quoted).
  const RunResult conninfo = RunCommand("cd '" + dir.path().string() + "' && " + GARDEFOU_BINARY +
                                        " store migrate --store 'dbname=g user=u password=Hunter22'");
  EXPECT_EQ(conninfo.exit_code, 2) << conninfo.output;
  EXPECT_NE(conninfo.output.find("key=value"), std::string::npos) << conninfo.output;
  EXPECT_EQ(conninfo.output.find("Hunter22"), std::string::npos) << conninfo.output;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find("dbname"), std::string::npos)
        << "a file was created: " << entry.path();
  }
}

}  // namespace
}  // namespace gardefou::testing
