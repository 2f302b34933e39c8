// `federa ch`: serves the clearinghouse; its subcommands act on the clearinghouse's store offline.
#include "app/commands.h"

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>

#include "app/local_ca.h"
#include "clearinghouse/authorizer.h"
#include "clearinghouse/ch_config.h"
#include "clearinghouse/ch_methods.h"
#include "clearinghouse/revocation_list.h"
#include "clearinghouse/urn.h"
#include "common/log.h"
#include "store/store.h"

namespace federa::app {
namespace {

namespace fs = std::filesystem;

struct ChOptions {
  fs::path config_file;
  std::optional<fs::path> data_dir;
  std::optional<std::string> listen;
  std::optional<unsigned short> port;
  std::optional<std::string> authority;
  std::optional<std::string> public_url;
  std::optional<std::string> log_level;
};

struct AdminOptions {
  std::string name;
  std::string email, first_name, last_name;
  fs::path public_key, ssh_key;
  bool is_operator = false;
  std::string lead, role = "MEMBER", description, project;
  std::string urn, url;
  int api_version = 3;
};

ch::ChConfig effective_config(const ChOptions& options) {
  ch::ChConfig config = ch::load_ch_config(options.config_file);
  if (options.data_dir) config.data_dir = *options.data_dir;
  if (options.listen) config.listen_address = *options.listen;
  if (options.port) config.port = *options.port;
  if (options.authority) config.authority = *options.authority;
  if (options.public_url) config.public_url = *options.public_url;
  if (options.log_level) config.log_level = *options.log_level;
  ch::resolve_paths(config);
  return config;
}

// The signing authority; with the defaults, the local CA of the data directory (created once),
// and this clearinghouse's own TLS certificate issued by it.
std::shared_ptr<const ch::AuthorityIdentity> open_authority(const ch::ChConfig& config) {
  if (config.uses_local_ca()) {
    const LocalCa ca = open_or_create_local_ca(config.data_dir, config.authority);
    if (!fs::exists(config.certificate) || !fs::exists(config.private_key)) {
      issue_to_files({.urn = config.registry_urn(), .is_ca = true}, &ca.certificate, ca.key,
                     config.certificate.parent_path(), "ch");
    }
  }
  auto authority = std::make_shared<const ch::AuthorityIdentity>(
      ch::AuthorityIdentity{config.authority, trust::load_certificates_file(config.ca_certificate).front(),
                            trust::load_private_key_file(config.ca_private_key)});
  const auto urn = trust::Urn::try_parse(authority->certificate.urn().value_or(""));
  if (!urn || !urn->is_authority_for(trust::Urn::parse(authority->urn("user", "x")))) {
    throw std::runtime_error(config.ca_certificate.string() + " (" + authority->certificate.urn().value_or("no URN") +
                             ") is not an authority over '" + config.authority +
                             "': its credentials would not verify; set clearinghouse.authority to match");
  }
  return authority;
}

std::unique_ptr<store::Store> open_database(const ch::ChConfig& config) {
  if (config.database.find("://") == std::string::npos) fs::create_directories(fs::path(config.database).parent_path());
  return store::open_store(config.database, ch::ch_migrations(config.schema_dir));
}

fs::path crl_file(const ch::ChConfig& config) { return config.ca_certificate.parent_path() / "crl.pem"; }

void write_crl(const ch::ChConfig& config, const ch::AuthorityIdentity& authority, ch::MemberAuthority& members) {
  trust::write_file_atomically(crl_file(config), ch::revocation_list_pem(authority, members.revocations(), now_utc()),
                               fs::perms(0644));
}

std::string base_url_of(const ch::ChConfig& config, unsigned short port) {
  if (!config.public_url.empty()) return config.public_url;
  return "https://" + config.listen_address + ":" + std::to_string(port);
}

// SIGTERM/SIGINT drain and stop; SIGHUP reloads the TLS context and the trust roots.
void handle_signals(boost::asio::signal_set& signals, rpc::HttpsServer& server, rpc::TlsContextHolder& tls,
                    trust::TrustRoots& roots) {
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      try {
        tls.reload();
        roots.reload();
        logger("ch")->info("event=reloaded generation={}", roots.generation());
      } catch (const std::exception& error) {
        logger("ch")->error("event=reload_failed error={}", log_value(error.what()));
      }
      return handle_signals(signals, server, tls, roots);
    }
    logger("ch")->info("event=stopping signal={}", signal);
    server.stop();
    signals.cancel();
  });
}

void serve(const ChOptions& options) {
  const ch::ChConfig config = effective_config(options);
  init_logging(config.log_level);
  const auto authority = open_authority(config);
  const auto database = open_database(config);
  const auto roots = trust::TrustRoots::load_directory(config.trust_roots);
  const trust::Authorizer authorizer(roots, std::make_shared<trust::CredentialCache>());
  ch::MemberAuthority members(*database, authority, config.member_policy);
  ch::SliceAuthority slices(*database, authority, config.slice_policy);
  ch::SliverRecords slivers(*database);
  write_crl(config, *authority, members);

  auto tls = std::make_shared<rpc::TlsContextHolder>(
      rpc::ServerTlsConfig{config.certificate, config.private_key, config.trust_roots});
  ch::ChService service(config.public_url, base_url_of(config, config.port),
                        {.max_bytes = config.limits.max_body_bytes});
  rpc::HttpsServer server(
      tls, [&service](const rpc::HttpRequest& request) { return service.handle(request); }, config.limits);
  server.listen(config.listen_address, config.port);
  const std::string base_url = base_url_of(config, server.port());
  ch::FederationRegistry registry(*database, ch::configured_services(config, base_url), roots);
  ch::Clearinghouse house{slices, members, slivers, registry, authorizer};
  ch::add_registry_methods(service, house, config.registry_urn());
  ch::add_slice_authority_methods(service, house);
  ch::add_member_authority_methods(service, house);

  boost::asio::signal_set signals(server.io_context(), SIGINT, SIGTERM, SIGHUP);
  handle_signals(signals, server, *tls, *roots);
  logger("ch")->info("event=listening url={}/ sa={}/SA ma={}/MA authority={} database={} trust_roots={}",
                     "https://" + config.listen_address + ":" + std::to_string(server.port()), base_url, base_url,
                     authority->certificate.urn().value_or("?"), log_value(config.database),
                     log_value(config.trust_roots.string()));
  server.run();
  logger("ch")->info("event=stopped requests={}", server.stats().requests.load());
}

// The clearinghouse's store and authorities, for operator commands.
struct Offline {
  ch::ChConfig config;
  std::shared_ptr<const ch::AuthorityIdentity> authority;
  std::unique_ptr<store::Store> database;
  ch::MemberAuthority members;
  ch::SliceAuthority slices;

  explicit Offline(const ChOptions& options) : Offline(effective_config(options)) {}
  explicit Offline(ch::ChConfig c)
      : config(std::move(c)),
        authority(open_authority(config)),
        database(open_database(config)),
        members(*database, authority, config.member_policy),
        slices(*database, authority, config.slice_policy) {}

  // A user name or URN as this authority's member URN.
  std::string member_urn(const std::string& name_or_urn) const {
    return trust::Urn::try_parse(name_or_urn) ? name_or_urn : authority->urn("user", name_or_urn);
  }
  ch::Member operator_member() const { return {.urn = "operator", .username = "operator", .is_operator = true}; }
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string omni_config_text(const Offline& ch, const std::string& name, const std::string& urn, const fs::path& cert,
                             const fs::path& key, const std::string& project) {
  const std::string base = base_url_of(ch.config, ch.config.port);
  const bool projects = !project.empty() || ch.config.slice_policy.require_project;
  std::string text =
      "# omni configuration written by `federa ch member create` (chapi framework).\n"
      "# Use:  omni -c <this file> createslice myslice\n"
      "[omni]\ndefault_cf = federa\nusers = " +
      name + "\n";
  if (!project.empty()) text += "default_project = " + project + "\n";
  text += "\n[federa]\ntype = chapi\nauthority = " + ch.config.authority + "\nch = " + base + "/\nsa = " + base +
          "/SA\nma = " + base + "/MA\ncert = " + cert.string() + "\nkey = " + key.string() +
          "\nuseprojects = " + (projects ? "True" : "False") + "\nspeakv2 = True\n\n[" + name + "]\nurn = " + urn +
          "\nkeys = ~/.ssh/id_rsa.pub\n";
  for (const ch::ServiceEntry& aggregate : ch.config.aggregates) {
    if (aggregate.federation.empty() && !aggregate.name.empty()) {
      text += "\n[aggregate_nicknames]\n" + aggregate.name + " = " + aggregate.urn + "," + aggregate.url + "\n";
      break;
    }
  }
  return text;
}

void member_create(const ChOptions& options, const AdminOptions& admin) {
  Offline ch(options);
  const ch::IssuedMember issued =
      ch.members.create_member({.username = admin.name,
                                .email = admin.email,
                                .first_name = admin.first_name,
                                .last_name = admin.last_name,
                                .public_key_pem = admin.public_key.empty() ? "" : read_text(admin.public_key),
                                .is_operator = admin.is_operator},
                               now_utc());
  const fs::path dir = ch.config.data_dir / "experimenters" / admin.name;
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms(0700));
  const fs::path cert = dir / (admin.name + "-cert.pem");
  const fs::path key =
      issued.private_key_pem.empty() ? fs::path("<your private key>") : dir / (admin.name + "-key.pem");
  trust::write_file_atomically(cert, issued.certificate_chain_pem, fs::perms(0644));
  if (!issued.private_key_pem.empty()) trust::write_file_atomically(key, issued.private_key_pem, fs::perms(0600));
  if (!admin.ssh_key.empty()) {
    std::string line = read_text(admin.ssh_key);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    ch.members.add_key(ch.operator_member(), {"", issued.member.urn, line, "", admin.ssh_key.filename().string()});
  }
  trust::write_file_atomically(dir / "omni_config",
                               omni_config_text(ch, admin.name, issued.member.urn, cert, key, admin.project),
                               fs::perms(0644));
  std::cout << "member " << issued.member.urn << (admin.is_operator ? " (operator)" : "") << "\n"
            << "  certificate: " << cert.string() << "\n"
            << "  key:         " << key.string() << "\n"
            << "  omni:        omni -c " << (dir / "omni_config").string() << " createslice <name>\n";
}

void member_revoke(const ChOptions& options, const AdminOptions& admin) {
  Offline ch(options);
  const ch::RevokedCertificate revoked = ch.members.revoke_member(ch.member_urn(admin.name), now_utc());
  write_crl(ch.config, *ch.authority, ch.members);
  std::cout << "revoked " << revoked.member_urn << " (certificate serial " << revoked.serial << ")\n"
            << "  revocation list: " << crl_file(ch.config).string() << "\n";
}

void member_list(const ChOptions& options) {
  Offline ch(options);
  for (const ch::Member& m : ch.members.lookup_members({})) {
    std::cout << m.urn << "\t" << m.email << (m.is_operator ? "\toperator" : "")
              << (m.revoked_at ? "\trevoked " + format_rfc3339(*m.revoked_at) : "") << "\n";
  }
}

void project_create(const ChOptions& options, const AdminOptions& admin) {
  Offline ch(options);
  const ch::Project project =
      ch.slices.create_project({admin.name, ch.member_urn(admin.lead), admin.description, std::nullopt}, now_utc());
  std::cout << "project " << project.urn << " led by " << ch.member_urn(admin.lead) << "\n";
}

void project_add_member(const ChOptions& options, const AdminOptions& admin) {
  Offline ch(options);
  const std::string project = ch.authority->urn("project", admin.project);
  ch.slices.modify_membership(ch::MembershipTable::kProject, ch.operator_member(), project,
                              {.add = {{ch.member_urn(admin.name), ch::parse_role(admin.role)}}});
  std::cout << ch.member_urn(admin.name) << " is " << admin.role << " of " << project << "\n";
}

void project_list(const ChOptions& options) {
  Offline ch(options);
  for (const ch::Project& p : ch.slices.lookup_projects({})) std::cout << p.urn << "\t" << p.description << "\n";
}

void slice_list(const ChOptions& options) {
  Offline ch(options);
  const Timestamp now = now_utc();
  for (const ch::Slice& s : ch.slices.lookup_slices({})) {
    std::cout << s.urn << "\texpires " << format_rfc3339(s.expires) << (s.expires <= now ? " (expired)" : "")
              << "\towner " << s.owner_urn << "\n";
  }
}

void aggregate_add(const ChOptions& options, const AdminOptions& admin) {
  Offline ch(options);
  ch::FederationRegistry registry(*ch.database, {}, trust::TrustRoots::from_certificates({}));
  registry.register_aggregate({admin.urn, admin.url, admin.name, admin.description, admin.api_version});
  std::cout << "aggregate " << admin.urn << " at " << admin.url << "\n";
}

void aggregate_remove(const ChOptions& options, const AdminOptions& admin) {
  Offline ch(options);
  ch::FederationRegistry registry(*ch.database, {}, trust::TrustRoots::from_certificates({}));
  if (!registry.unregister_aggregate(admin.urn)) throw std::runtime_error("no registered aggregate " + admin.urn);
  std::cout << "removed " << admin.urn << "\n";
}

void aggregate_list(const ChOptions& options) {
  Offline ch(options);
  ch::FederationRegistry registry(*ch.database,
                                  ch::configured_services(ch.config, base_url_of(ch.config, ch.config.port)),
                                  trust::TrustRoots::from_certificates({}));
  for (const ch::ServiceEntry& s : registry.services(ch::ServiceType::kAggregateManager)) {
    std::cout << s.urn << "\t" << s.url << (s.federation.empty() ? "" : "\tpeer " + s.federation) << "\n";
  }
}

// Options of `federa ch` may also follow its subcommands.
CLI::App* subcommand(CLI::App* parent, const std::string& name, const std::string& help) {
  CLI::App* command = parent->add_subcommand(name, help);
  command->fallthrough();
  return command;
}

void add_member_commands(CLI::App* ch, const std::shared_ptr<ChOptions>& options,
                         const std::shared_ptr<AdminOptions>& admin) {
  CLI::App* member = subcommand(ch, "member", "Members of the member authority");
  member->require_subcommand(1);
  CLI::App* create = subcommand(member, "create", "Register a member: certificate, key (or --public-key), omni_config");
  create->add_option("name", admin->name, "user name (1-8 letters, digits, '_')")->required();
  create->add_option("--email", admin->email, "email address");
  create->add_option("--first-name", admin->first_name);
  create->add_option("--last-name", admin->last_name);
  create->add_option("--public-key", admin->public_key, "PEM public key to certify instead of generating a key pair")
      ->check(CLI::ExistingFile);
  create->add_option("--ssh-key", admin->ssh_key, "OpenSSH public key file to register")->check(CLI::ExistingFile);
  create->add_option("--project", admin->project, "default_project for the omni_config");
  create->add_flag("--operator", admin->is_operator, "may act on every slice, project and member");
  create->callback([options, admin] { member_create(*options, *admin); });
  CLI::App* revoke = subcommand(member, "revoke", "Revoke a member: their certificate is refused from now on");
  revoke->add_option("member", admin->name, "user name or URN")->required();
  revoke->callback([options, admin] { member_revoke(*options, *admin); });
  subcommand(member, "list", "List members")->callback([options] { member_list(*options); });
}

void add_project_commands(CLI::App* ch, const std::shared_ptr<ChOptions>& options,
                          const std::shared_ptr<AdminOptions>& admin) {
  CLI::App* project = subcommand(ch, "project", "Projects of the slice authority");
  project->require_subcommand(1);
  CLI::App* create = subcommand(project, "create", "Create a project led by a member");
  create->add_option("name", admin->name, "project name")->required();
  create->add_option("--lead", admin->lead, "user name or URN of the project lead")->required();
  create->add_option("--description", admin->description);
  create->callback([options, admin] { project_create(*options, *admin); });
  CLI::App* add = subcommand(project, "add-member", "Add a member to a project");
  add->add_option("project", admin->project, "project name")->required();
  add->add_option("member", admin->name, "user name or URN")->required();
  add->add_option("--role", admin->role, "ADMIN, MEMBER or AUDITOR")->capture_default_str();
  add->callback([options, admin] { project_add_member(*options, *admin); });
  subcommand(project, "list", "List projects")->callback([options] { project_list(*options); });
}

void add_aggregate_commands(CLI::App* ch, const std::shared_ptr<ChOptions>& options,
                            const std::shared_ptr<AdminOptions>& admin) {
  CLI::App* aggregate = subcommand(ch, "aggregate", "Aggregates listed by the federation registry");
  aggregate->require_subcommand(1);
  CLI::App* add = subcommand(aggregate, "add", "Register (or update) an aggregate of this federation");
  add->add_option("--urn", admin->urn, "urn:publicid:IDN+<authority>+authority+am")->required();
  add->add_option("--url", admin->url, "its AM API URL, e.g. https://am.example.org:8001/am/3.0")->required();
  add->add_option("--name", admin->name, "short name");
  add->add_option("--description", admin->description);
  add->add_option("--api-version", admin->api_version, "AM API version")->capture_default_str();
  add->callback([options, admin] { aggregate_add(*options, *admin); });
  CLI::App* remove = subcommand(aggregate, "remove", "Unregister an aggregate");
  remove->add_option("urn", admin->urn)->required();
  remove->callback([options, admin] { aggregate_remove(*options, *admin); });
  subcommand(aggregate, "list", "List aggregates, peers' included")->callback([options] { aggregate_list(*options); });
}

}  // namespace

void add_ch_command(CLI::App& app) {
  auto options = std::make_shared<ChOptions>();
  auto admin = std::make_shared<AdminOptions>();
  CLI::App* ch = app.add_subcommand(
      "ch",
      "Run the clearinghouse (Federation API v2: registry at /, slice authority at /SA, member authority at /MA), "
      "or act on its members, projects, slices and aggregates");
  ch->require_subcommand(0, 1);
  ch->add_option("-c,--config", options->config_file, "TOML configuration file (see below)")->check(CLI::ExistingFile);
  ch->add_option("--data-dir", options->data_dir, "overrides paths.data_dir");
  ch->add_option("--listen", options->listen, "overrides server.listen");
  ch->add_option("--port", options->port, "overrides server.port (0 = any free port)");
  ch->add_option("--authority", options->authority, "overrides clearinghouse.authority");
  ch->add_option("--public-url", options->public_url, "overrides server.public_url");
  ch->add_option("--log-level", options->log_level, "overrides log.level");
  ch->footer(ch::settings_help());
  add_member_commands(ch, options, admin);
  add_project_commands(ch, options, admin);
  add_aggregate_commands(ch, options, admin);
  CLI::App* slice = subcommand(ch, "slice", "Slices of the slice authority");
  slice->require_subcommand(1);
  subcommand(slice, "list", "List slices")->callback([options] { slice_list(*options); });
  ch->callback([ch, options] {
    if (ch->get_subcommands().empty()) serve(*options);
  });
}

}  // namespace federa::app
