// The subcommands of the `federa` executable; each file adds one to the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace federa::app {

void add_am_command(CLI::App& app);
void add_ca_command(CLI::App& app);
// federa cred issue|delegate|speaks-for|verify: offline credential tooling (cmd_cred.cpp).
void add_cred_command(CLI::App& app);
// federa admin slices|shutdown|clear-shutdown: operator actions on the AM's store (cmd_admin.cpp).
void add_admin_command(CLI::App& app);
// federa admin whohad: who held a VLAN tag, host, IP or MAC at a time (cmd_admin_ops.cpp); added
// under the `admin` subcommand.
void add_admin_ops_commands(CLI::App& admin);
// federa gmoc: the NOC collector and dashboard (cmd_gmoc.cpp).
void add_gmoc_command(CLI::App& app);
// federa ch (and its operator subcommands): the clearinghouse service (cmd_ch.cpp).
void add_ch_command(CLI::App& app);

}  // namespace federa::app
