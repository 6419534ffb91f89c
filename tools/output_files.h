// Writing the files of one `tls12 pki` command all or nothing.
//
// Every file is first written beside its destination under a temporary name
// and renamed into place only when all of them were written: an unwritable
// directory, a full disk or an existing file (without --force) leaves nothing
// behind, not a key without its certificate. Files holding private keys are
// created with mode 0600 by crypto/secret_file.h, never made readable and
// chmod-ed afterwards.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tls12::tools {

class OutputFiles {
 public:
  OutputFiles() = default;
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;
  ~OutputFiles();  // wipes the texts

  // `secret`: a private key (mode 0600); otherwise mode 0644 less the umask.
  void add(std::filesystem::path path, std::string text, bool secret);
  // Writes everything, or throws std::runtime_error naming the first file
  // that could not be written (or that exists, unless `force`) and leaves
  // the destinations as they were.
  void commit(bool force);

 private:
  struct File {
    std::filesystem::path path;
    std::string text;
    bool secret = false;
  };
  std::vector<File> files_;
};

}  // namespace tls12::tools
