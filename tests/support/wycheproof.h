// The generic Wycheproof runner's machinery: load a vector file, find the
// handler for its (schema, algorithm), run every test case, and compare what
// our code did with the file's expected result.
//
// Wycheproof (github.com/C2SP/wycheproof) files are JSON: a header naming the
// `algorithm` and `schema`, then `testGroups`, each holding shared parameters
// (key size, curve, public key...) and `tests`. Every test has a `tcId`, `flags`
// and a `result`:
//   "valid"      the operation must succeed (and give exactly the expected output),
//   "invalid"    it must fail,
//   "acceptable" either is allowed (weak but legal inputs); we record which.
//
// A handler is written once per schema (see tests/crypto/test_wycheproof.cpp);
// new vector files of a known schema then need no new code. Cases a handler
// cannot run (an IV size TLS never uses, a hash we do not implement) come back
// as "skipped" with a reason, and are reported as such, never as passed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "crypto/bytes.h"

namespace tls12::test::wycheproof {

using Json = nlohmann::json;

// What our code did with one test case (one implementation of it, when a
// handler checks several, e.g. the reference and AES-NI versions of AES-GCM).
struct Check {
  enum class Verdict {
    accepted,      // the operation succeeded with exactly the expected output
    rejected,      // the operation refused the input
    wrong_output,  // it succeeded but gave a different output: always a failure
    skipped,       // not run, `detail` says why
  };
  Verdict verdict;
  std::string detail;   // skip reason, or what was wrong
  std::string variant;  // which implementation, when there are several
};

Check accepted(std::string variant = {});
Check rejected(std::string detail = {}, std::string variant = {});
Check wrong_output(std::string detail, std::string variant = {});
Check skipped(std::string reason);

// A handler looks at one test group once (parsing its key, choosing the
// algorithm) and returns the function that runs each test of that group.
using GroupRunner = std::function<std::vector<Check>(const Json& test)>;
using Handler = std::function<GroupRunner(const Json& group)>;

// A GroupRunner that skips every test of the group for `reason`.
GroupRunner skip_group(std::string reason);

class Registry {
 public:
  // `schema` without the ".json" some files append ("aead_test_schema_v1").
  void add(std::string schema, std::string algorithm, Handler handler);
  const Handler* find(const std::string& schema, const std::string& algorithm) const;

 private:
  std::map<std::pair<std::string, std::string>, Handler> handlers_;
};

// The per-file tally. Counts are of checks: a test run against three
// implementations counts three times, once per variant.
struct FileReport {
  std::string file;
  std::string algorithm;
  std::string schema;
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  std::map<std::string, size_t> skip_reasons;
  std::map<std::string, size_t> checks_per_variant;
  // For "acceptable" cases, how many we accepted and rejected, and the same
  // per flag (a case with two flags counts under both), so a reader sees which
  // optional behaviour we chose and for what kind of input.
  size_t acceptable_accepted = 0;
  size_t acceptable_rejected = 0;
  std::map<std::string, std::pair<size_t, size_t>> acceptable;
  std::vector<std::string> failures;  // "tcId 12 [aesni]: accepted an invalid case (flags: ...)"

  // One line: file, passed, failed, skipped, then details (skip reasons,
  // variants, acceptable choices) on indented lines below.
  std::string summary() const;
};

// Runs every test of one file. Throws std::runtime_error if the file is not
// valid JSON or lacks the header fields.
FileReport run_file(const std::filesystem::path& path, const Registry& registry);

// Every *.json directly in `dir`, sorted by name (empty if `dir` does not exist).
std::vector<std::filesystem::path> list_vector_files(const std::filesystem::path& dir);

// A hex field of a test or group, as bytes. BigInt fields may have an odd
// number of digits; a leading zero is added.
Bytes hex_field(const Json& object, const char* name);

// "aead_test_schema_v1.json" -> "aead_test_schema_v1".
std::string normalise_schema(std::string schema);

}  // namespace tls12::test::wycheproof
