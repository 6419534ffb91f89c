// The subcommands of the `tls12` program. Each lives in its own cmd_*.cpp and
// adds itself to the CLI11 application with one function declared here;
// tools/main.cpp calls them all.
//
// Exit status convention for every subcommand: 0 success, 1 the operation ran
// and the answer is "no" (a chain that does not verify, a failed handshake),
// 2 usage errors or unreadable input.
#pragma once

#include <CLI/CLI.hpp>

namespace tls12::tools {

// The status main() returns once the chosen subcommand's callback has run.
int& exit_status();

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

void add_verify_command(CLI::App& app);  // cmd_verify.cpp
void add_show_command(CLI::App& app);    // cmd_show.cpp
void add_demo_command(CLI::App& app);    // cmd_demo.cpp
void add_server_command(CLI::App& app);  // cmd_server.cpp
void add_client_command(CLI::App& app);  // cmd_client.cpp
void add_pki_command(CLI::App& app);     // cmd_pki.cpp
void add_illustrate_command(CLI::App& app);  // cmd_illustrate.cpp

}  // namespace tls12::tools
