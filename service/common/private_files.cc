// Private files and directories with POSIX calls: openat/mkdirat with O_EXCL and O_NOFOLLOW,
// then fchmod, since the mode given at creation is reduced by the umask.
#include "service/common/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace gardefou::common {
namespace {

constexpr mode_t kFileMode = 0600;
constexpr mode_t kDirectoryMode = 0700;

// UNAVAILABLE: "<what> <path>: <the reason errno gives>".
absl::Status ErrnoError(absl::string_view what, absl::string_view path) {
  return absl::UnavailableError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status ExistsError(absl::string_view path) {
  return absl::AlreadyExistsError(absl::StrCat(path, " already exists"));
}

// Gives the file or directory open as `fd` its `mode`, which the umask may have reduced.
absl::Status SetMode(int fd, mode_t mode, absl::string_view path) {
  if (::fchmod(fd, mode) != 0) return ErrnoError("cannot set the mode of", path);
  return absl::OkStatus();
}

absl::Status WriteAndSync(int fd, absl::string_view bytes, absl::string_view path) {
  if (absl::Status written = WriteAll(fd, bytes, path); !written.ok()) return written;
  return SyncFile(fd, path);
}

// Creates the private file `name` in the directory open as `dir`; `path` names it in messages.
absl::StatusOr<UniqueFd> CreateFileAt(int dir, const std::string& name, absl::string_view path) {
  UniqueFd fd(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                       kFileMode));
  if (fd.get() < 0) {
    return errno == EEXIST ? ExistsError(path) : ErrnoError("cannot create", path);
  }
  if (absl::Status mode = SetMode(fd.get(), kFileMode, path); !mode.ok()) {
    ::unlinkat(dir, name.c_str(), 0);
    return mode;
  }
  return fd;
}

}  // namespace

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<UniqueFd> CreatePrivateFile(const std::string& path) {
  return CreateFileAt(AT_FDCWD, path, path);
}

absl::Status WriteAll(int fd, absl::string_view bytes, absl::string_view path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError("cannot write", path);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status SyncFile(int fd, absl::string_view path) {
  if (::fsync(fd) != 0) return ErrnoError("cannot write", path);
  return absl::OkStatus();
}

absl::Status WriteNewPrivateFile(const std::string& path, absl::string_view bytes) {
  absl::StatusOr<UniqueFd> fd = CreatePrivateFile(path);
  if (!fd.ok()) return fd.status();
  absl::Status written = WriteAndSync(fd->get(), bytes, path);
  if (!written.ok()) ::unlink(path.c_str());
  return written;
}

absl::Status ReplaceWithPrivateFile(const std::string& path, absl::string_view bytes) {
  std::string temporary = path + ".XXXXXX";
  UniqueFd fd(::mkostemp(temporary.data(), O_CLOEXEC));  // O_EXCL, never a symlink
  if (fd.get() < 0) return ErrnoError("cannot create a file beside", path);
  absl::Status written = SetMode(fd.get(), kFileMode, path);
  if (written.ok()) written = WriteAndSync(fd.get(), bytes, path);
  if (written.ok() && ::rename(temporary.c_str(), path.c_str()) != 0) {
    written = ErrnoError("cannot write", path);
  }
  if (!written.ok()) ::unlink(temporary.c_str());
  return written;
}

absl::StatusOr<std::unique_ptr<NewPrivateDirectory>> NewPrivateDirectory::Create(
    const std::string& path) {
  return Make(AT_FDCWD, path, path);
}

absl::StatusOr<std::unique_ptr<NewPrivateDirectory>> NewPrivateDirectory::Make(
    int parent, const std::string& name, const std::string& path) {
  if (::mkdirat(parent, name.c_str(), kDirectoryMode) != 0) {
    return errno == EEXIST ? ExistsError(path) : ErrnoError("cannot create", path);
  }
  UniqueFd fd(::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  absl::Status opened = fd.get() < 0 ? ErrnoError("cannot open", path)
                                     : SetMode(fd.get(), kDirectoryMode, path);
  if (!opened.ok()) {
    ::unlinkat(parent, name.c_str(), AT_REMOVEDIR);
    return opened;
  }
  return std::unique_ptr<NewPrivateDirectory>(
      new NewPrivateDirectory(parent, name, path, std::move(fd)));
}

NewPrivateDirectory::NewPrivateDirectory(int parent, std::string name, std::string path,
                                         UniqueFd fd)
    : parent_(parent), name_(std::move(name)), path_(std::move(path)), fd_(std::move(fd)) {}

NewPrivateDirectory::~NewPrivateDirectory() {
  if (keep_) return;
  for (const std::string& file : files_) ::unlinkat(fd_.get(), file.c_str(), 0);
  subdirectories_.clear();  // each removes itself while this directory is still open
  ::unlinkat(parent_, name_.c_str(), AT_REMOVEDIR);
}

absl::StatusOr<NewPrivateDirectory*> NewPrivateDirectory::CreateSubdirectory(
    const std::string& name) {
  absl::StatusOr<std::unique_ptr<NewPrivateDirectory>> made =
      Make(fd_.get(), name, absl::StrCat(path_, "/", name));
  if (!made.ok()) return made.status();
  subdirectories_.push_back(*std::move(made));
  return subdirectories_.back().get();
}

absl::StatusOr<UniqueFd> NewPrivateDirectory::CreateFile(const std::string& name) {
  absl::StatusOr<UniqueFd> fd = CreateFileAt(fd_.get(), name, absl::StrCat(path_, "/", name));
  if (fd.ok()) files_.push_back(name);
  return fd;
}

absl::Status NewPrivateDirectory::WriteFile(const std::string& name, absl::string_view bytes) {
  absl::StatusOr<UniqueFd> fd = CreateFile(name);
  if (!fd.ok()) return fd.status();
  return WriteAndSync(fd->get(), bytes, absl::StrCat(path_, "/", name));
}

void NewPrivateDirectory::Keep() {
  keep_ = true;
  for (auto& subdirectory : subdirectories_) subdirectory->Keep();
}

}  // namespace gardefou::common
