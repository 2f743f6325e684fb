// Header reading, and the development identity that trusts x-gardefou-* headers as sent.
#include "service/server/call_metadata.h"

#include "absl/strings/str_cat.h"
#include "service/common/roles.h"
#include "service/common/text.h"
#include "service/server/caller_identity.h"

namespace gardefou::server {

absl::StatusOr<std::optional<std::string>> OptionalHeader(const grpc::ServerContextBase& context,
                                                          const char* name, size_t max_len) {
  const auto& metadata = context.client_metadata();
  auto [begin, end] = metadata.equal_range(name);
  if (begin == end) return std::nullopt;
  if (std::next(begin) != end) {
    return absl::UnauthenticatedError(absl::StrCat("metadata header ", name, " is repeated"));
  }
  std::string value(begin->second.data(), begin->second.size());
  if (absl::Status st = common::CheckId(name, value, max_len); !st.ok()) {
    return absl::UnauthenticatedError(st.message());
  }
  return value;
}

absl::StatusOr<std::string> RequiredHeader(const grpc::ServerContextBase& context,
                                           const char* name, size_t max_len) {
  absl::StatusOr<std::optional<std::string>> value = OptionalHeader(context, name, max_len);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::UnauthenticatedError(absl::StrCat("metadata header ", name, " is missing"));
  }
  return **std::move(value);
}

namespace {

class DevHeaders : public CallerIdentity {
 public:
  absl::StatusOr<workflow::CallContext> Identify(
      const grpc::ServerContextBase& context) const override {
    workflow::CallContext ctx;
    absl::StatusOr<std::string> tenant = RequiredHeader(context, kTenantHeader);
    if (!tenant.ok()) return tenant.status();
    absl::StatusOr<std::string> actor = RequiredHeader(context, kActorHeader);
    if (!actor.ok()) return actor.status();
    absl::StatusOr<std::string> role = RequiredHeader(context, kRoleHeader);
    if (!role.ok()) return role.status();
    if (!common::IsRole(*role)) {
      return absl::UnauthenticatedError(absl::StrCat(
          "metadata header x-gardefou-role must be one of ", common::kRoleList));
    }
    ctx.tenant = *std::move(tenant);
    ctx.actor_id = *std::move(actor);
    ctx.role = *std::move(role);
    ctx.identity_mode = "dev-headers";
    ctx.deadline = context.deadline();
    ctx.cancelled = [&context] { return context.IsCancelled(); };
    return ctx;
  }
};

}  // namespace

std::unique_ptr<CallerIdentity> DevHeaderIdentity() { return std::make_unique<DevHeaders>(); }

}  // namespace gardefou::server
