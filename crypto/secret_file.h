// Files that hold secrets (the NSS key log, saved sessions): created owner-only
// at open, not by changing the process-wide umask, which other threads share.
//
//   open(path, O_CREAT | ..., 0600)   a new file is born 0600
//   fchmod(fd, 0600)                  an existing file (0644 from an earlier
//                                     run, say) loses group and other access
//                                     before a secret is written to it
#pragma once

#include <cstdio>
#include <string>

namespace tls12::crypto {

enum class SecretFileMode { append, truncate };

// A stdio stream for writing `path` (mode 0600); std::runtime_error naming the
// file and the system's reason if it cannot be opened.
std::FILE* open_secret_file(const std::string& path, SecretFileMode mode);

}  // namespace tls12::crypto
