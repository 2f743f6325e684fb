// Fuzz target: the pseudonymiser over a copy's text (any bytes, not only UTF-8), for a small
// class. Each replaced mention must lie inside the text, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz/class_fixture.h"
#include "service/pseudonym/pseudonymizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  gardefou::pseudonym::Pseudonymizer pseudonymizer(gardefou::fuzz::Class(), "s0101",
                                                   gardefou::fuzz::SharedLexicon());
  const gardefou::pseudonym::Replacement replaced = pseudonymizer.Apply(text);
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
