// The verified identity: the integration from one exact SAN of its client certificate, the
// person from a bearer token that its issuer signed; tenants and roles must be allowed by both.
#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "service/auth/jwks.h"
#include "service/auth/token_bucket.h"
#include "service/common/error_reason.h"
#include "service/common/hashing.h"
#include "service/common/text.h"
#include "service/server/call_metadata.h"
#include "service/server/caller_identity.h"

namespace gardefou::server {
namespace {

using auth::IntegrationSettings;
using auth::TokenIssuerSettings;

constexpr size_t kMaxCachedTokens = 10000;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The token's UAIs: a JSON array of strings or one space-separated string.
std::vector<std::string> TenantsClaim(const nlohmann::json& claims, const std::string& name) {
  std::vector<std::string> out;
  auto it = claims.find(name);
  if (it == claims.end()) return out;
  if (it->is_string()) {
    for (absl::string_view t : absl::StrSplit(it->get<std::string>(), ' ', absl::SkipEmpty())) {
      out.emplace_back(t);
    }
  } else if (it->is_array()) {
    for (const auto& t : *it) {
      if (t.is_string()) out.push_back(t.get<std::string>());
    }
  }
  return out;
}

// A period claim in seconds since the epoch, as microseconds; 0 when absent.
int64_t PeriodClaim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number_integer()) return 0;
  const int64_t seconds = it->get<int64_t>();
  return seconds > 0 && seconds < (int64_t{1} << 40) ? seconds * 1000000 : 0;
}

struct Integration {
  IntegrationSettings settings;
  std::unique_ptr<auth::TokenBucket> bucket;
};

struct Issuer {
  TokenIssuerSettings settings;
  std::unique_ptr<auth::JwksFile> keys;
};

// A verified token, the issuer that signed it, and what its claims grant, read once when the
// token is first verified (the cache keeps all of it).
struct Checked {
  auth::VerifiedToken token;
  const Issuer* issuer = nullptr;
  std::optional<std::string> role;   // nullopt: no role claim (or not a string)
  std::vector<std::string> tenants;  // "*": every tenant of the integration
  bool subject_is_id = false;        // the subject can be recorded as an actor id
  int64_t scope_from_us = 0;
  int64_t scope_until_us = 0;
};

class Verified : public CallerIdentity {
 public:
  absl::Status Load(const auth::AuthConfig& config) {
    for (const auto& s : config.issuers) {
      absl::StatusOr<std::unique_ptr<auth::JwksFile>> keys = auth::JwksFile::Open(s.jwks_file);
      if (!keys.ok()) {
        return absl::Status(keys.status().code(),
                            absl::StrCat("issuer '", s.verify.name, "': ", keys.status().message()));
      }
      issuers_.push_back({s, *std::move(keys)});
    }
    for (const auto& s : config.integrations) {
      integrations_.push_back({s, std::make_unique<auth::TokenBucket>(s.rate_per_second, s.burst)});
    }
    return absl::OkStatus();
  }

  absl::StatusOr<workflow::CallContext> Identify(
      const grpc::ServerContextBase& context) const override {
    const Integration* integration = FindIntegration(context);
    if (integration == nullptr) {
      return absl::UnauthenticatedError(
          "the client certificate names no integration of the auth file");
    }
    const IntegrationSettings& s = integration->settings;
    if (!integration->bucket->TryTake()) {
      return absl::ResourceExhaustedError(
          "this integration's rate limit is reached: retry with backoff");
    }
    workflow::CallContext ctx;
    ctx.identity_mode = "verified";
    ctx.integration = s.name;
    ctx.deadline = context.deadline();
    ctx.cancelled = [&context] { return context.IsCancelled(); };
    absl::StatusOr<std::string> tenant = RequiredHeader(context, kTenantHeader);
    if (!tenant.ok()) return tenant.status();
    ctx.tenant = *std::move(tenant);
    if (!absl::c_linear_search(s.tenants, ctx.tenant)) {
      return common::WithReason(
          absl::PermissionDeniedError("this integration does not serve the tenant named"),
          "TENANT_NOT_ALLOWED");
    }
    const auto& metadata = context.client_metadata();
    auto [begin, end] = metadata.equal_range(kAuthorizationHeader);
    if (begin == end) {
      // The integration itself (an LMS pushing rosters and copies), not a person.
      if (!absl::c_linear_search(s.roles, "lms")) {
        return absl::PermissionDeniedError(
            "this integration's calls must carry a person's bearer token");
      }
      ctx.role = "lms";
      ctx.actor_id = "integration:" + s.name;
      ctx.log_wide = false;
      return ctx;
    }
    if (std::next(begin) != end) {
      return absl::UnauthenticatedError("metadata header authorization is repeated");
    }
    const absl::string_view header(begin->second.data(), begin->second.size());
    if (!absl::StartsWith(header, "Bearer ")) {
      return absl::UnauthenticatedError("metadata header authorization must be `Bearer <token>`");
    }
    absl::StatusOr<std::shared_ptr<const Checked>> checked = Check(header.substr(7));
    if (!checked.ok()) return checked.status();
    if (!absl::c_linear_search(s.issuers, (*checked)->issuer->settings.verify.name)) {
      return absl::UnauthenticatedError("the token's issuer is not trusted for this integration");
    }
    return ForPerson(**checked, *integration, std::move(ctx));
  }

 private:
  const Integration* FindIntegration(const grpc::ServerContextBase& context) const {
    const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
    if (auth == nullptr || !auth->IsPeerAuthenticated()) return nullptr;
    for (const Integration& integration : integrations_) {
      for (const grpc::string_ref& value :
           auth->FindPropertyValues(integration.settings.certificate_property)) {
        if (absl::string_view(value.data(), value.size()) ==
            integration.settings.certificate_value) {
          return &integration;
        }
      }
    }
    return nullptr;
  }

  // A person's verified token: its role and tenants must be allowed for the integration too.
  absl::StatusOr<workflow::CallContext> ForPerson(const Checked& checked,
                                                  const Integration& integration,
                                                  workflow::CallContext ctx) const {
    if (!checked.role) return absl::PermissionDeniedError("the token carries no role");
    ctx.role = *checked.role;
    if (ctx.role == "lms" || !absl::c_linear_search(integration.settings.roles, ctx.role)) {
      return common::WithReason(
          absl::PermissionDeniedError("the token's role is not allowed for this integration"),
          "ROLE_NOT_ALLOWED");
    }
    const bool all_tenants = absl::c_linear_search(checked.tenants, "*");
    if (!all_tenants && !absl::c_linear_search(checked.tenants, ctx.tenant)) {
      return common::WithReason(
          absl::PermissionDeniedError("the token does not grant the tenant named"),
          "TENANT_NOT_ALLOWED");
    }
    if (!checked.subject_is_id) {
      return absl::UnauthenticatedError("the token's subject is not a usable id");
    }
    const auth::VerifiedToken& verified = checked.token;
    ctx.actor_id = verified.subject;
    ctx.issuer = checked.issuer->settings.verify.name;
    ctx.token_id = verified.jti.empty() ? verified.token_sha256 : verified.jti;
    ctx.log_wide = all_tenants && ctx.role != "teacher";
    ctx.scope_from_us = checked.scope_from_us;
    ctx.scope_until_us = checked.scope_until_us;
    return ctx;
  }

  // The token verified by the issuer its `iss` names. Signature checks are cached by the
  // token's hash until it expires.
  absl::StatusOr<std::shared_ptr<const Checked>> Check(absl::string_view token) const {
    const int64_t now = NowSeconds();
    const std::string key = common::Sha256Hex(token);
    {
      absl::MutexLock lock(&mu_);
      auto it = cache_.find(key);
      if (it != cache_.end() && now <= it->second->token.expires_at) return it->second;
    }
    absl::StatusOr<std::string> iss = auth::UnverifiedIssuer(token);
    if (!iss.ok()) return iss.status();
    auto checked = std::make_shared<Checked>();
    for (const Issuer& candidate : issuers_) {
      if (candidate.settings.verify.issuer == *iss) checked->issuer = &candidate;
    }
    if (checked->issuer == nullptr) {
      return absl::UnauthenticatedError("the token's issuer is not trusted for this integration");
    }
    std::shared_ptr<const auth::KeySet> keys = checked->issuer->keys->Current();
    absl::StatusOr<auth::VerifiedToken> verified =
        auth::VerifyJwt(token, checked->issuer->settings.verify, *keys, now);
    if (!verified.ok()) return verified.status();
    checked->token = *std::move(verified);
    const nlohmann::json& claims = checked->token.claims;
    const TokenIssuerSettings& s = checked->issuer->settings;
    if (auto role = claims.find(s.role_claim); role != claims.end() && role->is_string()) {
      checked->role = role->get<std::string>();
    }
    checked->tenants = TenantsClaim(claims, s.tenants_claim);
    checked->subject_is_id = common::CheckId("token subject", checked->token.subject, 128).ok();
    checked->scope_from_us = PeriodClaim(claims, "gardefou_from");
    checked->scope_until_us = PeriodClaim(claims, "gardefou_until");
    absl::MutexLock lock(&mu_);
    if (cache_.size() >= kMaxCachedTokens) {
      for (auto it = cache_.begin(); it != cache_.end();) {
        it = it->second->token.expires_at < now ? cache_.erase(it) : std::next(it);
      }
      if (cache_.size() >= kMaxCachedTokens) cache_.clear();
    }
    cache_.emplace(key, checked);
    return std::shared_ptr<const Checked>(std::move(checked));
  }

  std::vector<Integration> integrations_;
  std::vector<Issuer> issuers_;
  mutable absl::Mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const Checked>> cache_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<CallerIdentity>> VerifiedIdentity(const auth::AuthConfig& config) {
  auto identity = std::make_unique<Verified>();
  if (absl::Status st = identity->Load(config); !st.ok()) return st;
  return std::unique_ptr<CallerIdentity>(std::move(identity));
}

}  // namespace gardefou::server
