// All-or-nothing output of `tls12 pki`; see output_files.h.
#include "tools/output_files.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "crypto/bytes.h"
#include "crypto/random.h"
#include "crypto/secret_file.h"

namespace tls12::tools {

namespace {

std::filesystem::path temporary_name(const std::filesystem::path& path) {
  uint8_t tag[6];
  crypto::random_bytes(tag);
  return path.parent_path() / ("." + path.filename().string() + "." + to_hex(tag) + ".tmp");
}

// O_EXCL: a temporary name that exists already is someone else's file.
std::FILE* open_public_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  std::FILE* f = ::fdopen(fd, "w");
  if (f == nullptr) {
    ::close(fd);
    throw std::runtime_error("cannot write " + path.string());
  }
  return f;
}

void write_file(const std::filesystem::path& temp, const std::string& text, bool secret,
                const std::filesystem::path& shown) {
  std::FILE* f = nullptr;
  try {
    f = secret ? crypto::open_secret_file(temp.string(), crypto::SecretFileMode::truncate) : open_public_file(temp);
  } catch (const std::runtime_error&) {
    // The system's reason, for the name the user gave.
    throw std::runtime_error("cannot write " + shown.string() + ": " + std::strerror(errno));
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 &&
                  ::fsync(::fileno(f)) == 0;
  const int error = errno;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) throw std::runtime_error("cannot write " + shown.string() + ": " + std::strerror(error));
}

}  // namespace

OutputFiles::~OutputFiles() {
  for (File& f : files_) secure_zero(f.text.data(), f.text.size());
}

void OutputFiles::add(std::filesystem::path path, std::string text, bool secret) {
  files_.push_back(File{std::move(path), std::move(text), secret});
}

void OutputFiles::commit(bool force) {
  for (const File& f : files_) {
    std::error_code ec;
    if (!force && std::filesystem::exists(f.path, ec))
      throw std::runtime_error(f.path.string() + " exists (use --force to replace it)");
    if (std::filesystem::is_directory(f.path, ec)) throw std::runtime_error(f.path.string() + " is a directory");
  }
  std::vector<std::filesystem::path> temps;
  try {
    for (const File& f : files_) {
      temps.push_back(temporary_name(f.path));
      write_file(temps.back(), f.text, f.secret, f.path);
    }
  } catch (...) {
    std::error_code ignored;
    for (const auto& t : temps) std::filesystem::remove(t, ignored);
    throw;
  }
  // rename(2) puts each file in place at once; all the writing that could
  // fail is done by now. Without --force, RENAME_NOREPLACE makes the "does
  // not exist" check above hold even against a file created since: if one
  // appears, the files already placed (which did not exist) are taken back.
  for (size_t i = 0; i < files_.size(); ++i) {
    const unsigned flags = force ? 0 : RENAME_NOREPLACE;
    if (::renameat2(AT_FDCWD, temps[i].c_str(), AT_FDCWD, files_[i].path.c_str(), flags) == 0) continue;
    const int error = errno;
    std::error_code ignored;
    for (size_t k = i; k < temps.size(); ++k) std::filesystem::remove(temps[k], ignored);
    if (!force)
      for (size_t k = 0; k < i; ++k) std::filesystem::remove(files_[k].path, ignored);
    throw std::runtime_error("cannot write " + files_[i].path.string() + ": " + std::strerror(error));
  }
}

}  // namespace tls12::tools
