// Fuzz target: the parser of an AI vendor's chat-completions reply. The first byte chooses the
// purpose (its value modulo 4: correction, evaluation, extra work, AI detection), the rest is
// the HTTP body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "plugins/openai_compatible.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto purpose = static_cast<gardefou::model::Purpose>(data[0] % 4 + 1);
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)gardefou::plugins::ParseChatCompletion(body, purpose, "albert-large");
  return 0;
}
