// Files and directories only their owner may read: modes exactly 0600 and 0700 whatever the
// process umask, created with O_EXCL and O_NOFOLLOW so that an existing file or a planted
// symlink is refused, never followed or overwritten.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gardefou::common {

// A file descriptor, closed at destruction.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ~UniqueFd();
  int get() const { return fd_; }

 private:
  int fd_;
};

// Creates the file `path` with mode 0600 and opens it for writing. ALREADY_EXISTS when
// anything is at `path`, a symlink included; UNAVAILABLE when it cannot be created.
absl::StatusOr<UniqueFd> CreatePrivateFile(const std::string& path);

// Writes all of `bytes` to `fd`, then, with SyncFile, flushes it to disk; UNAVAILABLE naming
// `path` when either fails.
absl::Status WriteAll(int fd, absl::string_view bytes, absl::string_view path);
absl::Status SyncFile(int fd, absl::string_view path);

// Writes `bytes` to a new private file at `path` (CreatePrivateFile) and syncs it; removes
// the file when writing fails.
absl::Status WriteNewPrivateFile(const std::string& path, absl::string_view bytes);

// Puts a private file holding `bytes` at `path`, replacing what is there: the bytes go to a
// new file beside it, which is then renamed over `path`. A reader sees the old file or the
// whole new one, and a symlink at `path` is replaced, not followed.
absl::Status ReplaceWithPrivateFile(const std::string& path, absl::string_view bytes);

// A directory this process created, mode 0700, and the files (0600) and subdirectories
// created through it. Unless Keep() is called, destruction removes all of them, so that a
// writer that fails half-way leaves nothing behind.
class NewPrivateDirectory {
 public:
  // Creates the directory `path`; ALREADY_EXISTS when anything is there, a symlink included.
  static absl::StatusOr<std::unique_ptr<NewPrivateDirectory>> Create(const std::string& path);

  NewPrivateDirectory(const NewPrivateDirectory&) = delete;
  NewPrivateDirectory& operator=(const NewPrivateDirectory&) = delete;
  ~NewPrivateDirectory();

  const std::string& path() const { return path_; }

  // A new subdirectory `name`, owned by this one.
  absl::StatusOr<NewPrivateDirectory*> CreateSubdirectory(const std::string& name);

  // A new file `name` in this directory, open for writing (see CreatePrivateFile).
  absl::StatusOr<UniqueFd> CreateFile(const std::string& name);

  // A new file `name` holding `bytes`, synced.
  absl::Status WriteFile(const std::string& name, absl::string_view bytes);

  // Keeps the directory and everything created in it.
  void Keep();

 private:
  // Creates `name` in the directory open as `parent` (AT_FDCWD: `name` is a path).
  static absl::StatusOr<std::unique_ptr<NewPrivateDirectory>> Make(int parent,
                                                                   const std::string& name,
                                                                   const std::string& path);
  NewPrivateDirectory(int parent, std::string name, std::string path, UniqueFd fd);

  int parent_;        // not owned: the parent's descriptor, or AT_FDCWD
  std::string name_;  // within the parent
  std::string path_;  // for messages
  UniqueFd fd_;
  std::vector<std::string> files_;
  std::vector<std::unique_ptr<NewPrivateDirectory>> subdirectories_;
  bool keep_ = false;
};

}  // namespace gardefou::common
