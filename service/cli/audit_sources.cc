// Reading databases and export directories into the LogVerifier, and writing exports.
#include "service/cli/audit_sources.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "service/audit/canonical.h"
#include "service/audit/export_format.h"
#include "service/common/files.h"
#include "service/common/hashing.h"
#include "service/common/private_files.h"
#include "service/common/status_macros.h"

namespace gardefou::cli {
namespace fs = std::filesystem;

absl::StatusOr<std::string> StoreSpecOf(const Args& args) {
  const auto db = args.options.find("db");
  const auto spec = args.options.find("store");
  const bool has_db = db != args.options.end(), has_spec = spec != args.options.end();
  if (has_db == has_spec) {
    return absl::InvalidArgumentError(has_db ? "give --db or --store, not both"
                                             : "--db FILE or --store SPEC is required");
  }
  return has_db ? db->second : spec->second;
}

std::string SigningKeyPath(const std::string& store_spec, const std::string& key_path) {
  if (!key_path.empty() || store::IsPostgresStore(store_spec)) return key_path;
  absl::string_view path = store_spec;
  absl::ConsumePrefix(&path, "sqlite:");
  return absl::StrCat(path, ".signing-key");
}

absl::StatusOr<std::optional<audit::VerifierKey>> VerifierKeyFromKeyFile(const std::string& path) {
  if (path.empty() || ::access(path.c_str(), F_OK) != 0) return std::nullopt;
  ASSIGN_OR_RETURN(audit::SigningKey key, audit::LoadSigningKey(path));
  return key.verifier;
}

absl::StatusOr<std::optional<audit::VerifierKey>> KeyFileOf(const Args& args) {
  absl::StatusOr<std::string> spec = StoreSpecOf(args);
  return VerifierKeyFromKeyFile(
      SigningKeyPath(spec.ok() ? *spec : std::string(), OptionOr(args, "key")));
}

absl::StatusOr<std::optional<std::string>> TrustedCheckpoint(const Args& args) {
  auto it = args.options.find("trusted-checkpoint");
  if (it == args.options.end()) return std::nullopt;
  absl::StatusOr<std::string> note = common::ReadFileToString(it->second);
  if (!note.ok()) return note.status();
  return *note;
}

absl::StatusOr<audit::LogVerdict> VerifyDatabase(
    store::Store& store, const std::optional<audit::VerifierKey>& key,
    const std::optional<std::string>& trusted, std::vector<model::AuditEventRecord>* events) {
  audit::LogVerifier verifier(key);
  std::vector<std::string> notes;
  RETURN_IF_ERROR(store.Read([&](store::Session& session) -> absl::Status {
    const audit::NodeReader nodes = session.TreeNodes();
    RETURN_IF_ERROR(session.ForEachAuditEvent([&](const model::AuditEventRecord& event) {
      absl::StatusOr<std::string> canonical = audit::CanonicalBytes(event);
      // An event that cannot even be encoded was altered: its hash cannot match.
      verifier.FeedEvent(canonical.ok() ? *canonical : "", event.hash);
      absl::StatusOr<audit::Hash> leaf = nodes(0, static_cast<uint64_t>(event.seq - 1));
      verifier.CheckStoredLeaf(leaf.ok() ? *leaf : audit::Hash{});
      if (events != nullptr) events->push_back(event);
    }));
    ASSIGN_OR_RETURN(std::vector<model::CheckpointRecord> checkpoints, session.ListCheckpoints());
    for (auto& c : checkpoints) notes.push_back(std::move(c.note));
    return absl::OkStatus();
  }));
  if (!key && (!notes.empty() || trusted)) {
    return absl::FailedPreconditionError(
        "checkpoints to check but the log's key file was not found (give --key FILE)");
  }
  return verifier.Finish(std::move(notes), trusted);
}

namespace {

struct HashedLine {
  absl::string_view canonical;  // a damaged line is fed whole: its hash cannot match
  absl::string_view stored_hash;
  std::string hash;
  audit::Hash leaf;
};

void HashLines(const std::vector<absl::string_view>& lines, std::vector<HashedLine>& out,
               size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    absl::StatusOr<audit::ExportLine> parsed = audit::ParseExportLine(lines[i]);
    HashedLine& h = out[i];
    h.canonical = parsed.ok() ? parsed->canonical : lines[i];
    h.stored_hash = parsed.ok() ? parsed->hash : absl::string_view();
    h.hash = common::Sha256Hex(h.canonical);
    h.leaf = audit::LeafHash(h.canonical);
  }
}

}  // namespace

absl::StatusOr<audit::LogVerdict> VerifyExport(const std::string& dir,
                                               const std::optional<std::string>& trusted,
                                               const std::optional<audit::VerifierKey>& pinned) {
  std::optional<audit::VerifierKey> key = pinned;
  const fs::path pub = fs::path(dir) / audit::kPublicKeyFile;
  if (!key && fs::exists(pub)) {
    ASSIGN_OR_RETURN(std::string text, common::ReadFileToString(pub.string()));
    absl::StatusOr<audit::VerifierKey> parsed = audit::ParseVerifierKey(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(pub.string(), " is not a verifier key: ", parsed.status().message()));
    }
    key = *parsed;
  }
  std::vector<std::string> notes;
  const fs::path checkpoints = fs::path(dir) / audit::kCheckpointsDir;
  if (fs::is_directory(checkpoints)) {
    for (const auto& entry : fs::directory_iterator(checkpoints)) {
      ASSIGN_OR_RETURN(std::string note, common::ReadFileToString(entry.path().string()));
      notes.push_back(std::move(note));
    }
  }
  if (!key && (!notes.empty() || trusted)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoints to check but no ", pub.string(), ": restore the log's public key file"));
  }
  const fs::path events = fs::path(dir) / audit::kEventsFile;
  std::ifstream in(events, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("no ", events.string(), ": not an export"));
  audit::LogVerifier verifier(key);
  // Hashing is most of the work: the file is read in large blocks, each block's lines hashed
  // on two threads, then fed in order.
  constexpr size_t kBlock = 16 << 20;
  std::string buffer, carry;
  std::vector<absl::string_view> lines;
  std::vector<HashedLine> hashed;
  while (in || !carry.empty()) {
    buffer.resize(kBlock);
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.resize(static_cast<size_t>(in.gcount()));
    buffer.insert(0, carry);
    carry.clear();
    lines.clear();
    size_t start = 0;
    for (size_t end; (end = buffer.find('\n', start)) != std::string::npos; start = end + 1) {
      lines.push_back(absl::string_view(buffer).substr(start, end - start));
    }
    if (!in) {  // the last line may lack its newline
      if (start < buffer.size()) lines.push_back(absl::string_view(buffer).substr(start));
    } else {
      carry = buffer.substr(start);
    }
    hashed.resize(lines.size());
    const size_t n = lines.size();
    std::thread half([&] { HashLines(lines, hashed, n / 2, n); });
    HashLines(lines, hashed, 0, n / 2);
    half.join();
    for (size_t i = 0; i < n; ++i) {
      verifier.FeedHashedEvent(hashed[i].canonical, hashed[i].stored_hash, hashed[i].hash,
                               hashed[i].leaf);
    }
    if (!in && carry.empty()) break;
  }
  return verifier.Finish(std::move(notes), trusted);
}

absl::Status ExportDatabase(store::Store& store, const std::optional<audit::VerifierKey>& key,
                            const std::string& dir) {
  absl::StatusOr<std::unique_ptr<common::NewPrivateDirectory>> root =
      common::NewPrivateDirectory::Create(dir);
  if (absl::IsAlreadyExists(root.status())) {
    return absl::AlreadyExistsError(absl::StrCat(
        dir, " already exists: the export creates its directory, give one that does not exist"));
  }
  if (!root.ok()) return root.status();
  ASSIGN_OR_RETURN(common::NewPrivateDirectory * notes,
                   (*root)->CreateSubdirectory(audit::kCheckpointsDir));
  ASSIGN_OR_RETURN(common::UniqueFd events, (*root)->CreateFile(audit::kEventsFile));
  const std::string events_path = absl::StrCat(dir, "/", audit::kEventsFile);
  // Lines are written in blocks; the first failure stops the writing and ends the export.
  constexpr size_t kBlock = 1 << 20;
  std::string block;
  absl::Status written;
  auto flush = [&] {
    if (written.ok()) written = common::WriteAll(events.get(), block, events_path);
    block.clear();
  };
  RETURN_IF_ERROR(store.Read([&](store::Session& session) -> absl::Status {
    RETURN_IF_ERROR(session.ForEachAuditEvent([&](const model::AuditEventRecord& event) {
      absl::StatusOr<std::string> canonical = audit::CanonicalBytes(event);
      // Exported even when damaged (an event that cannot be encoded is written empty): the
      // verifier is there to say which one.
      absl::StrAppend(&block, audit::FormatExportLine(canonical.ok() ? *canonical : "", event.hash),
                      "\n");
      if (block.size() >= kBlock) flush();
    }));
    flush();
    RETURN_IF_ERROR(written);
    ASSIGN_OR_RETURN(std::vector<model::CheckpointRecord> checkpoints, session.ListCheckpoints());
    if (!checkpoints.empty() && !key) {
      return absl::FailedPreconditionError(
          "the database has checkpoints but the log's key file was not found (use --key)");
    }
    for (const auto& c : checkpoints) {
      RETURN_IF_ERROR(notes->WriteFile(audit::CheckpointFileName(c.tree_size), c.note));
    }
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(common::SyncFile(events.get(), events_path));
  RETURN_IF_ERROR((*root)->WriteFile(audit::kReadmeFile, audit::kExportReadme));
  if (key) {
    RETURN_IF_ERROR(
        (*root)->WriteFile(audit::kPublicKeyFile, audit::FormatVerifierKey(*key) + "\n"));
  }
  (*root)->Keep();
  return absl::OkStatus();
}

int PrintVerdict(const audit::LogVerdict& verdict) {
  const audit::VerifyResult& chain = verdict.chain;
  if (!chain.ok) {
    std::cout << "TAMPERED: ";
    if (chain.first_bad_seq > 0) std::cout << "first bad event " << chain.first_bad_seq << ": ";
    std::cout << chain.problem << "\n";
    return 1;
  }
  std::cout << "OK: " << chain.events_checked << " events verified; "
            << verdict.checkpoints_checked
            << (verdict.checkpoints_checked == 1 ? " checkpoint" : " checkpoints") << " verified";
  if (verdict.latest) {
    std::cout << "; latest checkpoint: size " << verdict.latest->size << ", root "
              << absl::Base64Escape(common::DigestBytes(verdict.latest->root));
  }
  if (verdict.trusted_checked) std::cout << "; the trusted checkpoint matches";
  std::cout << "; head " << chain.head_hash << "\n";
  return 0;
}

}  // namespace gardefou::cli
