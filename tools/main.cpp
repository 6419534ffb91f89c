// The `tls12` command-line program: one CLI11 application with a subcommand
// per job (verify, show, and the TLS client/server/demo as they arrive). Each
// subcommand is defined in its own tools/cmd_*.cpp (see commands.h).
#include <iostream>

#include "tools/commands.h"

namespace tls12::tools {

int& exit_status() {
  static int status = kExitOk;
  return status;
}

}  // namespace tls12::tools

int main(int argc, char** argv) {
  CLI::App app{"tls12: a from-scratch TLS 1.2 implementation (RFC 5246) to read, test and measure.\n"
               "Run 'tls12 SUBCOMMAND --help' for the options of each subcommand."};
  app.name("tls12");
  app.require_subcommand(1);
  tls12::tools::add_verify_command(app);
  tls12::tools::add_show_command(app);
  tls12::tools::add_demo_command(app);
  tls12::tools::add_server_command(app);
  tls12::tools::add_client_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is reported by CLI11 as a "parse error" with exit code 0.
    const int code = app.exit(e);
    return code == 0 ? tls12::tools::kExitOk : tls12::tools::kExitUsage;
  }
  return tls12::tools::exit_status();
}
