// `federa ca`: the local certificate authority and certificate issuing.
#include <iostream>

#include "am/am_config.h"
#include "app/commands.h"
#include "app/local_ca.h"

namespace federa::app {
namespace {

struct CaOptions {
  std::filesystem::path data_dir;
  std::string authority = "federa.local";
  std::string name;
  std::string email;
  std::string am_url = "https://127.0.0.1:8001/am/3.0";
  std::string urn;
  std::filesystem::path issuer_cert, issuer_key, out_dir;
  bool is_ca = false;
  int days = 365;
  int backdate_days = 0;
};

std::filesystem::path data_dir_of(const CaOptions& options) {
  am::AmConfig config;
  config.data_dir = options.data_dir;
  am::resolve_paths(config);
  return config.data_dir;
}

void init(const CaOptions& options) {
  const LocalCa ca = open_or_create_local_ca(data_dir_of(options), options.authority);
  std::cout << "local CA: " << ca.certificate.urn().value_or("?") << "\n"
            << "  certificate: " << (ca.data_dir / "ca" / "ca-cert.pem").string() << "\n"
            << "  trusted by:  " << (ca.data_dir / "trusted_roots").string() << "\n";
}

void experimenter(const CaOptions& options) {
  const LocalCa ca = open_or_create_local_ca(data_dir_of(options), options.authority);
  const ExperimenterFiles files = ensure_experimenter(ca, options.name, options.email, options.am_url);
  std::cout << "experimenter " << files.urn << "\n"
            << "  certificate: " << files.certificate.string() << "\n"
            << "  key:         " << files.key.string() << "\n"
            << "  omni:        omni -c " << files.omni_config.string() << " -a " << options.am_url
            << " -V3 getversion\n";
}

void issue(const CaOptions& options) {
  std::optional<trust::Certificate> issuer;
  trust::PrivateKey issuer_key;
  if (!options.issuer_cert.empty()) {
    issuer = trust::load_certificates_file(options.issuer_cert).front();
    issuer_key = trust::load_private_key_file(options.issuer_key);
  }
  const trust::CertificateSpec spec{
      .urn = options.urn, .email = options.email, .is_ca = options.is_ca,
      .lifetime = std::chrono::hours(24 * options.days),
      .backdate = std::chrono::hours(24 * options.backdate_days)};
  issue_to_files(spec, issuer ? &*issuer : nullptr, issuer_key, options.out_dir, options.name);
  std::cout << (options.out_dir / (options.name + "-cert.pem")).string() << "\n";
}

}  // namespace

void add_ca_command(CLI::App& app) {
  auto options = std::make_shared<CaOptions>();
  CLI::App* ca = app.add_subcommand("ca", "Certificate authority: the local CA, experimenter and other certificates");
  ca->require_subcommand(1);
  auto common = [&](CLI::App* command) {
    command->add_option("--data-dir", options->data_dir, "data directory (default: $FEDERA_DATA_DIR or ~/.local/share/federa)");
    command->add_option("--authority", options->authority, "URN authority of the local CA")->capture_default_str();
  };
  CLI::App* init_cmd = ca->add_subcommand("init", "Create the local CA (once) and trust it");
  common(init_cmd);
  init_cmd->callback([options] { init(*options); });

  CLI::App* user_cmd = ca->add_subcommand("experimenter", "Issue an experimenter certificate, key and omni_config (once)");
  common(user_cmd);
  user_cmd->add_option("name", options->name, "user name (the URN's name part)")->required();
  user_cmd->add_option("--email", options->email, "email address for subjectAltName");
  user_cmd->add_option("--am-url", options->am_url, "aggregate URL for omni_config")->capture_default_str();
  user_cmd->callback([options] { experimenter(*options); });

  CLI::App* issue_cmd = ca->add_subcommand("issue", "Issue a certificate for any URN (self-signed without --issuer-cert)");
  issue_cmd->add_option("--urn", options->urn, "subject URN")->required();
  issue_cmd->add_option("--out-dir", options->out_dir, "where <name>-cert.pem and <name>-key.pem go")->required();
  issue_cmd->add_option("--name", options->name, "file name stem")->required();
  issue_cmd->add_option("--issuer-cert", options->issuer_cert, "issuing authority's certificate")->check(CLI::ExistingFile);
  issue_cmd->add_option("--issuer-key", options->issuer_key, "issuing authority's key")->check(CLI::ExistingFile);
  issue_cmd->add_option("--email", options->email, "email address for subjectAltName");
  issue_cmd->add_flag("--ca", options->is_ca, "make an authority (CA) certificate");
  issue_cmd->add_option("--days", options->days, "validity in days")->capture_default_str();
  issue_cmd->add_option("--backdate-days", options->backdate_days, "start of validity this many days ago");
  issue_cmd->callback([options] { issue(*options); });
}

}  // namespace federa::app
