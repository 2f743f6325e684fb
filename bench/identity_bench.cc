// `make bench`, identities: GetDecision latency as a teacher over mutual TLS with a signed
// token, beside the same call over plaintext with development headers, in the same run (best
// of three rounds of each, interleaved, since this machine's neighbours add noise).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "tests/support/test_server.h"
#include "tests/support/verified_server.h"

namespace t = gardefou::testing;
namespace v1 = gardefou::v1;
using Clock = std::chrono::steady_clock;

namespace {

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Microseconds per GetDecision over `calls` sequential calls, with a context from `context`.
template <typename ContextFor>
std::vector<double> Latencies(v1::GradingAssist::Stub& stub, const std::string& copy_id,
                              int calls, ContextFor context) {
  std::vector<double> out;
  v1::GetDecisionRequest get;
  get.set_copy_id(copy_id);
  for (int i = 0; i < calls; ++i) {
    auto c = context(i);
    v1::Decision decision;
    const auto start = Clock::now();
    const grpc::Status status = stub.GetDecision(c.get(), get, &decision);
    out.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (!status.ok()) {
      std::fprintf(stderr, "identity_bench: GetDecision failed: %s\n",
                   status.error_message().c_str());
      std::exit(1);
    }
  }
  return out;
}

struct Best {
  double p50 = 1e18, p99 = 1e18;
  void Keep(const std::vector<double>& v) {
    p50 = std::min(p50, Percentile(v, 0.50));
    p99 = std::min(p99, Percentile(v, 0.99));
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::max(100, std::atoi(argv[1])) : 2000;
  t::TestServer dev;
  t::VerifiedServer verified;
  const t::Scenario ds = t::BuildScenario(dev.grading());
  const t::Scenario vs = t::BuildScenario(verified.grading(), true, true, t::kTenant,
                                          [&](const t::Caller& c) { return verified.Context(c); });
  v1::Decision decision;
  if (!dev.grading().SignOff(t::TestServer::Context(t::Teacher()).get(), t::ValidSignOff(ds),
                             &decision).ok() ||
      !verified.grading().SignOff(verified.Context(t::Teacher()).get(), t::ValidSignOff(vs),
                                  &decision).ok()) {
    std::fprintf(stderr, "identity_bench: the scenario could not be signed off\n");
    return 1;
  }
  const std::string token = verified.credentials().Token(t::kTeacher, "teacher", {t::kTenant});
  std::vector<std::string> fresh;
  for (int i = 0; i < calls; ++i) {
    fresh.push_back(verified.credentials().Token(t::kTeacher, "teacher", {t::kTenant}));
  }
  Best plain, mtls, cert_only, cold;
  for (int round = 0; round < 3; ++round) {
    plain.Keep(Latencies(dev.grading(), ds.copy.copy_id(), calls,
                         [](int) { return t::TestServer::Context(t::Teacher()); }));
    mtls.Keep(Latencies(verified.grading(), vs.copy.copy_id(), calls, [&](int) {
      return t::VerifiedServer::WithToken(t::kTenant, token);
    }));
    cert_only.Keep(Latencies(verified.grading(), vs.copy.copy_id(), calls, [&](int) {
      return t::VerifiedServer::WithToken(t::kTenant, "");
    }));
  }
  // A new token on every call: the signature is checked each time (no cache hit).
  cold.Keep(Latencies(verified.grading(), vs.copy.copy_id(), calls, [&](int i) {
    return t::VerifiedServer::WithToken(t::kTenant, fresh[static_cast<size_t>(i)]);
  }));

  std::printf("\nidentity benchmark (GetDecision as a teacher, %d calls, best of 3 rounds)\n\n",
              calls);
  std::printf("%-52s %9.0f us %10s\n", "reference: plaintext, development headers, p50",
              plain.p50, "1.00");
  std::printf("%-52s %9.0f us %10s\n", "reference: plaintext, development headers, p99",
              plain.p99, "1.00");
  std::printf("%-52s %9.0f us %9.2fx\n", "mTLS + EdDSA token (verification cached), p50",
              mtls.p50, mtls.p50 / plain.p50);
  std::printf("%-52s %9.0f us %9.2fx\n", "mTLS + EdDSA token (verification cached), p99",
              mtls.p99, mtls.p99 / plain.p99);
  std::printf("%-52s %9.0f us %9.2fx\n", "mTLS, the integration itself (no token), p50",
              cert_only.p50, cert_only.p50 / plain.p50);
  std::printf("%-52s %9.0f us %9.2fx\n", "mTLS + a new token every call, p50 (one round)",
              cold.p50, cold.p50 / plain.p50);
  return 0;
}
