// The Wycheproof runner's machinery (see wycheproof.h).
#include "tests/support/wycheproof.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "tests/support/test_support.h"

namespace tls12::test::wycheproof {

Check accepted(std::string variant) { return {Check::Verdict::accepted, {}, std::move(variant)}; }
Check rejected(std::string detail, std::string variant) {
  return {Check::Verdict::rejected, std::move(detail), std::move(variant)};
}
Check wrong_output(std::string detail, std::string variant) {
  return {Check::Verdict::wrong_output, std::move(detail), std::move(variant)};
}
Check skipped(std::string reason) { return {Check::Verdict::skipped, std::move(reason), {}}; }

GroupRunner skip_group(std::string reason) {
  return [reason = std::move(reason)](const Json&) { return std::vector<Check>{skipped(reason)}; };
}

std::string normalise_schema(std::string schema) {
  const std::string suffix = ".json";
  if (schema.size() > suffix.size() && schema.ends_with(suffix)) schema.resize(schema.size() - suffix.size());
  return schema;
}

void Registry::add(std::string schema, std::string algorithm, Handler handler) {
  handlers_[{normalise_schema(std::move(schema)), std::move(algorithm)}] = std::move(handler);
}

const Handler* Registry::find(const std::string& schema, const std::string& algorithm) const {
  auto it = handlers_.find({normalise_schema(schema), algorithm});
  return it == handlers_.end() ? nullptr : &it->second;
}

Bytes hex_field(const Json& object, const char* name) {
  if (!object.contains(name) || !object.at(name).is_string())
    throw std::runtime_error(std::string("missing hex field \"") + name + "\"");
  std::string hex = object.at(name).get<std::string>();
  if (hex.size() % 2 != 0) hex.insert(hex.begin(), '0');
  return from_hex(hex);
}

std::vector<std::filesystem::path> list_vector_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

namespace {

std::string join_flags(const Json& test) {
  std::string out;
  if (!test.contains("flags")) return out;
  for (const auto& flag : test.at("flags")) {
    if (!out.empty()) out += ",";
    out += flag.get<std::string>();
  }
  return out.empty() ? "(none)" : out;
}

void record_failure(FileReport& report, const Json& test, const Check& check, const std::string& what) {
  ++report.failed;
  std::ostringstream line;
  line << "tcId " << test.value("tcId", -1);
  if (!check.variant.empty()) line << " [" << check.variant << "]";
  line << ": " << what;
  if (!check.detail.empty() && check.verdict != Check::Verdict::wrong_output) line << " (" << check.detail << ")";
  line << "; flags " << join_flags(test);
  if (test.contains("comment") && !test.at("comment").get<std::string>().empty())
    line << "; \"" << test.at("comment").get<std::string>() << "\"";
  report.failures.push_back(line.str());
}

// Compares one check with the expected result and updates the tally.
void judge(FileReport& report, const Json& test, const Check& check) {
  const std::string expected = test.value("result", "");
  if (check.verdict == Check::Verdict::skipped) {
    ++report.skipped;
    ++report.skip_reasons[check.detail];
    return;
  }
  ++report.checks_per_variant[check.variant.empty() ? "-" : check.variant];
  if (check.verdict == Check::Verdict::wrong_output) {
    record_failure(report, test, check, "wrong output: " + check.detail);
    return;
  }
  const bool ok = check.verdict == Check::Verdict::accepted;
  if (expected == "valid") {
    if (ok) ++report.passed;
    else record_failure(report, test, check, "rejected a valid case");
  } else if (expected == "invalid") {
    if (!ok) ++report.passed;
    else record_failure(report, test, check, "accepted an invalid case");
  } else if (expected == "acceptable") {
    ++report.passed;
    (ok ? report.acceptable_accepted : report.acceptable_rejected)++;
    for (const auto& flag : test.value("flags", Json::array())) {
      auto& counts = report.acceptable[flag.get<std::string>()];
      (ok ? counts.first : counts.second)++;
    }
  } else {
    record_failure(report, test, check, "unknown expected result \"" + expected + "\"");
  }
}

void run_group(FileReport& report, const Json& group, const Handler* handler) {
  GroupRunner runner;
  try {
    runner = handler != nullptr
                 ? (*handler)(group)
                 : skip_group("no handler for schema " + report.schema + ", algorithm " + report.algorithm);
  } catch (const std::exception& e) {
    // A group the handler cannot even set up (e.g. a malformed key in the
    // file) is a failure of every test in it, not a silent skip.
    runner = [msg = std::string(e.what())](const Json&) {
      return std::vector<Check>{wrong_output("group setup threw: " + msg)};
    };
  }
  for (const auto& test : group.at("tests")) {
    std::vector<Check> checks;
    try {
      checks = runner(test);
    } catch (const std::exception& e) {
      checks = {wrong_output(std::string("threw: ") + e.what())};
    }
    if (checks.empty()) checks = {wrong_output("handler returned no result")};
    for (const auto& check : checks) judge(report, test, check);
  }
}

}  // namespace

FileReport run_file(const std::filesystem::path& path, const Registry& registry) {
  Json doc;
  try {
    doc = Json::parse(read_text(path));
  } catch (const Json::exception& e) {
    throw std::runtime_error(path.filename().string() + " is not valid JSON: " + e.what());
  }
  if (!doc.contains("algorithm") || !doc.contains("schema") || !doc.contains("testGroups"))
    throw std::runtime_error(path.filename().string() + " lacks algorithm/schema/testGroups");
  FileReport report;
  report.file = path.filename().string();
  report.algorithm = doc.at("algorithm").get<std::string>();
  report.schema = normalise_schema(doc.at("schema").get<std::string>());
  const Handler* handler = registry.find(report.schema, report.algorithm);
  for (const auto& group : doc.at("testGroups")) run_group(report, group, handler);
  return report;
}

std::string FileReport::summary() const {
  std::ostringstream out;
  out << file << ": passed " << passed << ", failed " << failed << ", skipped " << skipped << "  ["
      << algorithm << ", " << schema << "]\n";
  if (checks_per_variant.size() > 1 || (checks_per_variant.size() == 1 && !checks_per_variant.count("-"))) {
    out << "    checks by implementation:";
    for (const auto& [variant, n] : checks_per_variant) out << " " << variant << "=" << n;
    out << "\n";
  }
  for (const auto& [reason, n] : skip_reasons) out << "    skipped " << n << ": " << reason << "\n";
  if (acceptable_accepted + acceptable_rejected > 0) {
    out << "    acceptable cases: accepted " << acceptable_accepted << ", rejected " << acceptable_rejected
        << "; by flag (accepted/rejected):";
    for (const auto& [flag, counts] : acceptable) out << " " << flag << " " << counts.first << "/" << counts.second;
    out << "\n";
  }
  return out.str();
}

}  // namespace tls12::test::wycheproof
