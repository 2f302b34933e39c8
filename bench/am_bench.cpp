// Benchmarks of a real `federa am` process, driven over TLS with client certificates:
//  1. GetVersion from N client threads, a new TLS connection per call (as omni does) and on
//     kept-alive connections: calls/s, p50/p99; and the RSA-2048 signing rate of one core, which
//     bounds new-connection calls (a full handshake costs one signature on each side).
//  2. Lifecycles/s: N clients each looping Allocate -> Provision -> Delete of one node on its own
//     slice (new connection per call), on SQLite and on PostgreSQL (tests/pg/start.sh).
//  3. ListResources latency with 10,000 advertised hosts in 50 sites, plain and geni_compressed.
//
//   am_bench [--clients N] [--seconds S] [--federa PATH] [--pg-uri URI]
#include <fcntl.h>
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "clearinghouse/certificate.h"
#include "rpc/https_client.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace rpc = federa::rpc;

struct Options {
  int clients = 16;
  double seconds = 5;
  std::string federa = FEDERA_BIN;
  std::string pg_uri;  // "" = start one with tests/pg/start.sh
};

pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (failed) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(failed));
  return pid;
}

void run_to_end(const std::vector<std::string>& args, const fs::path& log) {
  int status = 0;
  waitpid(spawn(args, log), &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(args[1] + " failed; see " + log.string());
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A `federa am` on its own data directory <base>/<name> sharing the base's CA (so the bench
// experimenter is trusted), stopped (SIGTERM, drained) when destroyed.
class AggregateProcess {
 public:
  AggregateProcess(const Options& options, const fs::path& base, const std::string& name,
                   const std::vector<std::string>& extra)
      : dir_(base / name) {
    const fs::path& dir = dir_;
    fs::create_directories(dir);
    fs::copy(base / "ca", dir / "ca", fs::copy_options::recursive | fs::copy_options::skip_existing);
    std::vector<std::string> args = {options.federa, "am", "--port", "0", "--data-dir", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = spawn(args, dir / "am.log");
    const std::regex listening("event=listening url=https://127\\.0\\.0\\.1:(\\d+)/");
    for (int i = 0; i < 600 && !port_; ++i) {
      std::smatch match;
      const std::string log = read_file(dir / "am.log");
      if (std::regex_search(log, match, listening)) port_ = static_cast<unsigned short>(std::stoi(match[1]));
      else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!port_) throw std::runtime_error("federa am did not start; see " + (dir / "am.log").string());
  }
  ~AggregateProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  unsigned short port() const { return port_; }

 private:
  fs::path dir_;
  pid_t pid_ = 0;
  unsigned short port_ = 0;
};

struct Result {
  std::size_t failures = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
};

// Runs `call(client, thread index)` from options.clients threads for options.seconds.
Result load(unsigned short port, const rpc::TlsContext& tls, bool keep_alive, const Options& options,
            const std::function<bool(rpc::HttpsClient&, int)>& call) {
  std::vector<Result> per_thread(static_cast<std::size_t>(options.clients));
  const auto deadline = Clock::now() + std::chrono::duration<double>(options.seconds);
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < options.clients; ++i) {
    threads.emplace_back([&, i] {
      rpc::HttpsClient client("127.0.0.1", port, tls, keep_alive);
      Result& result = per_thread[static_cast<std::size_t>(i)];
      while (Clock::now() < deadline) {
        const auto begin = Clock::now();
        bool ok = false;
        try {
          ok = call(client, i);
        } catch (const std::exception&) {
        }
        if (!ok) ++result.failures;
        result.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  Result total;
  total.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  for (auto& result : per_thread) {
    total.failures += result.failures;
    total.latencies_ms.insert(total.latencies_ms.end(), result.latencies_ms.begin(), result.latencies_ms.end());
  }
  std::sort(total.latencies_ms.begin(), total.latencies_ms.end());
  return total;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

void print_row(const std::string& label, const Result& result) {
  std::printf("%-28s %9zu %10.1f %9.2f %9.2f %9zu\n", label.c_str(), result.latencies_ms.size(),
              static_cast<double>(result.latencies_ms.size()) / result.seconds, percentile(result.latencies_ms, 0.50),
              percentile(result.latencies_ms, 0.99), result.failures);
}

void print_header(const char* unit) {
  std::printf("%-28s %9s %10s %9s %9s %9s\n", "", unit, (std::string(unit) + "/s").c_str(), "p50 ms", "p99 ms", "failures");
}

double rsa_signatures_per_second() {
  const auto key = federa::trust::generate_rsa_key();
  const unsigned char digest[32] = {1};
  unsigned char signature[512];
  std::size_t count = 0;
  const auto started = Clock::now();
  while (Clock::now() - started < std::chrono::seconds(1)) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key.get(), nullptr);
    EVP_PKEY_sign_init(ctx);
    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
    std::size_t length = sizeof signature;
    EVP_PKEY_sign(ctx, signature, &length, digest, sizeof digest);
    EVP_PKEY_CTX_free(ctx);
    ++count;
  }
  return static_cast<double>(count) / std::chrono::duration<double>(Clock::now() - started).count();
}

int geni_code(const rpc::MethodResponse& response) {
  if (response.is_fault) return -1;
  const rpc::Value* code = response.value.find("code");
  return code ? static_cast<int>(code->find("geni_code")->as_int()) : -1;
}

rpc::Value geni3_options(bool compressed = false) {
  return rpc::Value(rpc::Struct{
      {"geni_rspec_version", rpc::Value(rpc::Struct{{"type", rpc::Value("GENI")}, {"version", rpc::Value("3")}})},
      {"geni_compressed", rpc::Value(compressed)}});
}

// Per client: its slice URN and a slice credential issued with `federa cred`.
struct Experimenter {
  rpc::TlsContext tls;
  std::vector<std::string> slices;
  std::vector<rpc::Value> credentials;
};

Experimenter make_experimenter(const Options& options, const fs::path& dir) {
  const fs::path log = dir / "setup.log";
  run_to_end({options.federa, "ca", "experimenter", "bench", "--data-dir", dir.string()}, log);
  const fs::path identity = dir / "experimenters" / "bench";
  Experimenter experimenter{rpc::make_client_tls_context({identity / "bench-cert.pem", identity / "bench-key.pem"}), {}, {}};
  for (int i = 0; i < options.clients; ++i) {
    const std::string slice = "urn:publicid:IDN+federa.local+slice+bench" + std::to_string(i);
    const fs::path file = dir / ("cred" + std::to_string(i) + ".xml");
    run_to_end({options.federa, "cred", "issue", "--signer-cert", (dir / "ca/ca-cert.pem").string(), "--signer-key",
                (dir / "ca/ca-key.pem").string(), "--owner-cert", (identity / "bench-cert.pem").string(),
                "--target-urn", slice, "--privileges", "*", "--expires", "1d", "-o", file.string()},
               log);
    experimenter.slices.push_back(slice);
    experimenter.credentials.push_back(rpc::Value(rpc::Array{rpc::Value(rpc::Struct{
        {"geni_type", rpc::Value("geni_sfa")}, {"geni_version", rpc::Value("3")}, {"geni_value", rpc::Value(read_file(file))}})}));
  }
  return experimenter;
}

// The first refusal of a run, printed under its row so failures say what they were.
struct FirstFailure {
  std::mutex mutex;
  std::string text;
  bool ok(const rpc::MethodResponse& response, const char* method) {
    if (geni_code(response) == 0) return true;
    std::lock_guard lock(mutex);
    if (text.empty()) {
      const rpc::Value* output = response.value.find("output");
      text = std::string(method) + " geni_code " + std::to_string(geni_code(response)) + ": " +
             (output ? output->as_string() : std::string("fault"));
    }
    return false;
  }
};

bool lifecycle(rpc::HttpsClient& client, const Experimenter& experimenter, int i, FirstFailure& failure) {
  static const std::string request =
      "<rspec xmlns=\"http://www.geni.net/resources/rspec/3\" type=\"request\">"
      "<node client_id=\"n\"><sliver_type name=\"default-vm\"/></node></rspec>";
  const auto& slice = experimenter.slices[static_cast<std::size_t>(i)];
  const auto& credentials = experimenter.credentials[static_cast<std::size_t>(i)];
  const rpc::Value urns(rpc::Array{rpc::Value(slice)});
  return failure.ok(client.call("/am/3.0", "Allocate", {rpc::Value(slice), credentials, rpc::Value(request), rpc::Value(rpc::Struct{})}), "Allocate") &&
         failure.ok(client.call("/am/3.0", "Provision", {urns, credentials, geni3_options()}), "Provision") &&
         failure.ok(client.call("/am/3.0", "Delete", {urns, credentials, rpc::Value(rpc::Struct{})}), "Delete");
}

std::string start_postgresql() {
  const fs::path dir = "/tmp/federa-bench-postgresql";
  FILE* pipe = ::popen(("'" FEDERA_SOURCE_DIR "/tests/pg/start.sh' " + dir.string() + " 55399").c_str(), "r");
  char line[512] = {0};
  const bool read = pipe && std::fgets(line, sizeof line, pipe);
  if (!pipe || ::pclose(pipe) != 0 || !read) throw std::runtime_error("tests/pg/start.sh failed");
  std::string uri = line;
  while (!uri.empty() && (uri.back() == '\n' || uri.back() == ' ')) uri.pop_back();
  return uri;
}

// A fresh database on the server for one run.
std::string fresh_database(const std::string& server_uri, const std::string& name) {
  const std::string base = server_uri.substr(0, server_uri.rfind('/'));
  const std::string psql = "/usr/lib/postgresql/15/bin/psql '" + base + "/postgres' -qc ";
  if (std::system((psql + "'DROP DATABASE IF EXISTS " + name + "' >/dev/null 2>&1").c_str()) != 0 ||
      std::system((psql + "'CREATE DATABASE " + name + "' >/dev/null").c_str()) != 0) {
    throw std::runtime_error("cannot create database " + name);
  }
  return base + "/" + name;
}

void inventory_of_10000_hosts(const fs::path& file) {
  std::ofstream out(file);
  for (int site = 0; site < 50; ++site) {
    out << "[[site]]\nname = \"s" << site << "\"\nauthority = \"s" << site << ".federa.local\"\n[site.switch]\nvlans = \"100-999\"\n";
    for (int host = 0; host < 200; ++host) {
      out << "[[site.host]]\nname = \"h" << host << "\"\nbackend = \"test:///default\"\nvcpus = 16\nmemory_mb = 65536\n"
          << "disk_gb = 500\nslots = 8\nsliver_types = [\"default-vm\"]\n";
    }
  }
}

void bench_getversion(const Options& options, const fs::path& dir, const Experimenter& experimenter) {
  const AggregateProcess am(options, dir, "am-getversion", {});
  std::printf("\n1. GetVersion, %d clients, %.0f s per mode\n", options.clients, options.seconds);
  print_header("calls");
  for (const bool keep_alive : {false, true}) {
    print_row(keep_alive ? "keep-alive" : "new connection per call",
              load(am.port(), experimenter.tls, keep_alive, options, [](rpc::HttpsClient& client, int) {
                return geni_code(client.call("/am/3.0", "GetVersion", {})) == 0;
              }));
  }
  std::printf("RSA-2048 signatures/s on one core: %.0f\n", rsa_signatures_per_second());
}

void bench_lifecycles(const Options& options, const fs::path& dir, const Experimenter& experimenter) {
  std::printf("\n2. Allocate -> Provision -> Delete of one node, %d clients, new connection per call\n", options.clients);
  print_header("cycles");
  const std::string server = options.pg_uri.empty() ? start_postgresql() : options.pg_uri;
  for (const std::string backend : {"sqlite", "postgresql"}) {
    const std::string db = backend == "sqlite" ? "sqlite://" + (dir / ("am-" + backend) / "am.db").string()
                                               : fresh_database(server, "federa_bench_am");
    const AggregateProcess am(options, dir, "am-" + backend, {"--db", db});
    FirstFailure failure;
    print_row(backend, load(am.port(), experimenter.tls, false, options, [&](rpc::HttpsClient& client, int i) {
      return lifecycle(client, experimenter, i, failure);
    }));
    if (!failure.text.empty()) std::printf("  first failure: %s\n", failure.text.substr(0, 200).c_str());
  }
}

void bench_list_resources(const Options& options, const fs::path& dir, const Experimenter& experimenter) {
  inventory_of_10000_hosts(dir / "inventory-10k.toml");
  const AggregateProcess am(options, dir, "am-10k", {"--inventory", (dir / "inventory-10k.toml").string()});
  std::printf("\n3. ListResources with 10,000 advertised hosts in 50 sites, one client, keep-alive\n");
  print_header("calls");
  Options one = options;
  one.clients = 1;
  for (const bool compressed : {false, true}) {
    std::size_t bytes = 0;
    const Result result = load(am.port(), experimenter.tls, true, one, [&](rpc::HttpsClient& client, int) {
      const auto response = client.call("/am/3.0", "ListResources", {rpc::Value(rpc::Array{}), geni3_options(compressed)});
      bytes = response.value.find("value")->as_string().size();
      return geni_code(response) == 0;
    });
    print_row(std::string(compressed ? "compressed" : "plain") + " (" + std::to_string(bytes / 1024) + " KiB)", result);
  }
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--clients") options.clients = std::stoi(argv[i + 1]);
    else if (flag == "--seconds") options.seconds = std::stod(argv[i + 1]);
    else if (flag == "--federa") options.federa = argv[i + 1];
    else if (flag == "--pg-uri") options.pg_uri = argv[i + 1];
    else throw std::runtime_error("unknown option " + flag);
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const fs::path dir = fs::temp_directory_path() / ("federa-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  try {
    std::printf("federa am benchmarks (%u cores; clients and server share them)\n", std::thread::hardware_concurrency());
    const Experimenter experimenter = make_experimenter(options, dir);
    bench_getversion(options, dir, experimenter);
    bench_lifecycles(options, dir, experimenter);
    bench_list_resources(options, dir, experimenter);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "am_bench: %s\n", error.what());
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
