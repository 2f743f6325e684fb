// Fuzz target: the leak gate's scan of a payload about to leave for a provider (any bytes), for
// a small class.
#include <cstddef>
#include <cstdint>

#include "fuzz/class_fixture.h"
#include "service/pseudonym/leak_gate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gardefou::pseudonym::LeakGate gate(gardefou::fuzz::Class(),
                                                  gardefou::fuzz::SharedLexicon());
  (void)gate.Scan(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
