// `fake_ai_vendor --port N`: an OpenAI-compatible endpoint on loopback for trying
// `make demo PROVIDER_URL=...` by hand without a model. It answers every chat completion with
// a plausible suggestion for the purpose it recognises in the system prompt (half marks on each
// criterion of the rubric found in the user prompt), and logs one line per request.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/http_test_server.h"

namespace {

using nlohmann::json;

json Suggestion(const std::string& system, const std::string& user) {
  if (system.find("critère") != std::string::npos) {
    json criteria = json::array();
    // Rubric lines look like "- c1 (Argumentation, sur 8)".
    static const std::regex line(R"(- (\S+) \(.*, sur ([0-9.]+)\))");
    for (std::sregex_iterator it(user.begin(), user.end(), line), end; it != end; ++it) {
      criteria.push_back({{"criterion_id", (*it)[1].str()},
                          {"proposed_points", std::stod((*it)[2].str()) / 2},
                          {"rationale", "Travail de [ELEVE_1] à consolider sur ce critère."}});
    }
    return {{"summary", "Copie de [ELEVE_1] : des idées, à mieux organiser."}, {"criteria", criteria}};
  }
  if (system.find("remédiation") != std::string::npos) {
    return {{"summary", "Un exercice ciblé."},
            {"extra_work", {{{"item_id", "x1"},
                             {"description", "Réécrire le deuxième paragraphe avec un exemple."},
                             {"rationale", "L'argument manque d'illustration."}}}}};
  }
  return {{"summary", "Quelques points à revoir."},
          {"annotations", {{{"excerpt", ""}, {"comment", "Relire l'orthographe des accords."}}}}};
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8089;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--port") port = std::atoi(argv[i + 1]);
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  gardefou::testing::HttpTestServer server(
      [](const std::string& body) -> gardefou::testing::HttpReply {
        const json request = json::parse(body, nullptr, false);
        if (request.is_discarded() || !request.contains("messages")) {
          return {400, R"({"error": "expected a chat-completions request"})"};
        }
        const std::string system = request["messages"][0].value("content", "");
        const std::string user = request["messages"][1].value("content", "");
        std::cerr << "fake_ai_vendor: " << request.value("model", "?") << ", "
                  << body.size() << " bytes\n";
        const json reply = {
            {"model", request.value("model", "fake")},
            {"choices", {{{"message", {{"role", "assistant"},
                                       {"content", Suggestion(system, user).dump()}}}}}}};
        return {200, reply.dump()};
      },
      port);
  std::cout << "fake_ai_vendor listening on " << server.base_url() << std::endl;
  int signal = 0;
  sigwait(&stop, &signal);
  return 0;
}
