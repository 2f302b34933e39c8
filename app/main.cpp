// federa: one executable, one subcommand per service or tool (see `federa --help`).
#include <cstdio>
#include <exception>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app("federa: a GENI aggregate manager (AM API v3/v2), its trust tools and services");
  app.require_subcommand(1);
  federa::app::add_am_command(app);
  federa::app::add_ca_command(app);
  federa::app::add_cred_command(app);
  federa::app::add_admin_command(app);
  federa::app::add_admin_ops_commands(*app.get_subcommand("admin"));
  federa::app::add_gmoc_command(app);
  federa::app::add_ch_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Error& error) {  // parse errors, --help, and commands that set an exit code
    return app.exit(error);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "federa: %s\n", error.what());
    return 1;
  }
  return 0;
}
