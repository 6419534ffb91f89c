// Opening files that hold secrets with mode 0600 (see secret_file.h).
#include "crypto/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tls12::crypto {

std::FILE* open_secret_file(const std::string& path, SecretFileMode mode) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == SecretFileMode::append ? O_APPEND : O_TRUNC);
  const int fd = ::open(path.c_str(), flags, S_IRUSR | S_IWUSR);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("cannot make " + path + " owner-only: " + std::strerror(error));
  }
  std::FILE* file = ::fdopen(fd, mode == SecretFileMode::append ? "a" : "w");
  if (file == nullptr) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error("cannot open " + path + ": " + std::strerror(error));
  }
  return file;
}

}  // namespace tls12::crypto
