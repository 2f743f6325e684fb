// make_test_credentials DIR: writes the verified test deployment's files (see
// verified_server.h) into DIR, and tokens valid for 1 h for the clients of other languages:
// teacher.token (t-1), inspector.token (insp-1), both for tenant 0999001A.
#include <cstdio>
#include <filesystem>

#include "tests/support/test_server.h"
#include "tests/support/verified_server.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_test_credentials DIR\n");
    return 2;
  }
  namespace t = gardefou::testing;
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  const t::Credentials credentials(dir);
  t::WriteSecretFile(dir / "teacher.token",
                     credentials.Token(t::kTeacher, "teacher", {t::kTenant}));
  t::WriteSecretFile(dir / "inspector.token",
                     credentials.Token("insp-1", "inspector", {t::kTenant}));
  return 0;
}
