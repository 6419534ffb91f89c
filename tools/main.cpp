// The `tls12` command-line program: one CLI11 application with a subcommand
// per job (verify, show, demo, server, client, pki, illustrate). Each subcommand is defined in
// its own tools/cmd_*.cpp (see commands.h).
//
// Errors of the command line itself (an unknown option, a value that is not
// a number) are printed as one line, "tls12 COMMAND: what is wrong", the way
// each command prints its own usage errors, and exit with status 2.
#include <iostream>
#include <string>
#include <string_view>

#include "tools/commands.h"

#ifndef TLS12_VERSION
#define TLS12_VERSION "unknown"
#endif

namespace tls12::tools {

int& exit_status() {
  static int status = kExitOk;
  return status;
}

namespace {

// The subcommand named on the command line, if it is one of ours.
const CLI::App* named_subcommand(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.empty() || arg.front() == '-') continue;
    for (const CLI::App* sub : app.get_subcommands({}))
      if (sub->get_name() == arg) return sub;
    return nullptr;
  }
  return nullptr;
}

// "tls12 foo": CLI11 alone would say "A subcommand is required".
bool check_command_name(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.empty() || arg.front() == '-') continue;
    if (named_subcommand(app, argc, argv) != nullptr) return true;
    std::string names;
    for (const CLI::App* sub : app.get_subcommands({})) names += (names.empty() ? "" : ", ") + sub->get_name();
    std::cerr << "tls12: unknown command '" << arg << "' (commands: " << names << "; see tls12 --help)\n";
    return false;
  }
  return true;
}

}  // namespace

}  // namespace tls12::tools

int main(int argc, char** argv) {
  using namespace tls12::tools;
  CLI::App app{"tls12: a from-scratch TLS 1.2 implementation (RFC 5246) to read, test and measure.\n"
               "Run 'tls12 SUBCOMMAND --help' for the options of each subcommand."};
  app.name("tls12");
  app.set_version_flag("--version", std::string("tls12 ") + TLS12_VERSION);
  app.require_subcommand(1);
  add_verify_command(app);
  add_show_command(app);
  add_demo_command(app);
  add_server_command(app);
  add_client_command(app);
  add_pki_command(app);
  add_illustrate_command(app);
  if (!check_command_name(app, argc, argv)) return kExitUsage;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are reported by CLI11 as "parse errors" with exit code 0.
    if (e.get_exit_code() == 0) return app.exit(e);
    const CLI::App* sub = named_subcommand(app, argc, argv);
    std::cerr << (sub != nullptr ? "tls12 " + sub->get_name() : std::string("tls12")) << ": " << e.what()
              << " (see " << (sub != nullptr ? "tls12 " + sub->get_name() + " --help" : "tls12 --help") << ")\n";
    return kExitUsage;
  }
  return exit_status();
}
