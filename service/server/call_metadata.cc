// Header parsing for the call context.
#include "service/server/call_metadata.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "service/common/text.h"

namespace gardefou::server {
namespace {

absl::StatusOr<std::string> Header(const grpc::ServerContextBase& context, const char* name) {
  const auto& metadata = context.client_metadata();
  auto [begin, end] = metadata.equal_range(name);
  if (begin == end) {
    return absl::UnauthenticatedError(absl::StrCat("metadata header ", name, " is missing"));
  }
  if (std::next(begin) != end) {
    return absl::UnauthenticatedError(absl::StrCat("metadata header ", name, " is repeated"));
  }
  std::string value(begin->second.data(), begin->second.size());
  if (absl::Status st = common::CheckId(name, value, 128); !st.ok()) {
    return absl::UnauthenticatedError(st.message());
  }
  return value;
}

}  // namespace

absl::StatusOr<workflow::CallContext> ReadCallContext(const grpc::ServerContextBase& context) {
  static constexpr std::array<absl::string_view, 5> kRoles = {"lms", "teacher", "inspector",
                                                             "dpo", "admin"};
  workflow::CallContext ctx;
  absl::StatusOr<std::string> tenant = Header(context, kTenantHeader);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<std::string> actor = Header(context, kActorHeader);
  if (!actor.ok()) return actor.status();
  absl::StatusOr<std::string> role = Header(context, kRoleHeader);
  if (!role.ok()) return role.status();
  if (std::find(kRoles.begin(), kRoles.end(), *role) == kRoles.end()) {
    return absl::UnauthenticatedError(
        "metadata header x-gardefou-role must be one of lms, teacher, inspector, dpo, admin");
  }
  ctx.tenant = *std::move(tenant);
  ctx.actor_id = *std::move(actor);
  ctx.role = *std::move(role);
  ctx.deadline = context.deadline();
  ctx.cancelled = [&context] { return context.IsCancelled(); };
  return ctx;
}

}  // namespace gardefou::server
