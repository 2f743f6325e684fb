// Fuzz target: the pseudonymiser over a copy's text (any bytes, not only UTF-8), for a small
// class. Each replaced mention must lie inside the text, in order. One pseudonymiser serves
// 1,000 inputs in a row, as one serves all the texts of a request (a new one costs about
// 10 ms, mostly compiling its RE2 patterns, which would leave the fuzzer at 16 inputs/s).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "fuzz/class_fixture.h"
#include "service/pseudonym/pseudonymizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<gardefou::pseudonym::Pseudonymizer> pseudonymizer;
  static int uses = 0;
  if (uses++ % 1000 == 0) {
    pseudonymizer = std::make_unique<gardefou::pseudonym::Pseudonymizer>(
        gardefou::fuzz::Class(), "s0101", gardefou::fuzz::SharedLexicon());
  }
  const gardefou::pseudonym::Replacement replaced =
      pseudonymizer->Apply(absl::string_view(reinterpret_cast<const char*>(data), size));
  size_t previous_end = 0;
  for (const gardefou::pseudonym::Entity& entity : replaced.entities) {
    if (entity.begin < previous_end || entity.end < entity.begin || entity.end > size ||
        entity.placeholder.empty()) {
      std::abort();
    }
    previous_end = entity.end;
  }
  return 0;
}
