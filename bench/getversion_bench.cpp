// Load generator for the AM's front door: starts a real `federa am`, then N client threads call
// GetVersion over TLS with a client certificate, either opening a new TLS connection per call
// (as omni does) or on kept-alive connections. Prints calls/s and p50/p99 latency per mode, and
// the RSA-2048 signing rate of one core, which bounds new-connection calls (each full handshake
// costs the server one RSA signature and the client another, on the same 2 cores here).
//
//   getversion_bench [--clients N] [--seconds S] [--federa PATH]
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <csignal>
#include <filesystem>
#include <fstream>
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

struct Options {
  int clients = 16;
  double seconds = 5;
  std::string federa = FEDERA_BIN;
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
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot start " + args[0]);
  }
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int run_to_end(const std::vector<std::string>& args, const fs::path& log) {
  int status = 0;
  waitpid(spawn(args, log), &status, 0);
  return status;
}

unsigned short wait_for_port(const fs::path& log) {
  const std::regex listening("event=listening url=https://127\\.0\\.0\\.1:(\\d+)/");
  for (int i = 0; i < 400; ++i) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    std::smatch match;
    const std::string content = text.str();
    if (std::regex_search(content, match, listening)) return static_cast<unsigned short>(std::stoi(match[1]));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("federa am did not start; see " + log.string());
}

struct Result {
  std::size_t calls = 0;
  std::size_t failures = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
};

Result load(unsigned short port, const federa::rpc::TlsContext& tls, bool keep_alive, const Options& options) {
  std::vector<Result> per_thread(static_cast<std::size_t>(options.clients));
  const auto deadline = Clock::now() + std::chrono::duration<double>(options.seconds);
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (auto& result : per_thread) {
    threads.emplace_back([&, port, keep_alive] {
      federa::rpc::HttpsClient client("127.0.0.1", port, tls, keep_alive);
      while (Clock::now() < deadline) {
        const auto begin = Clock::now();
        try {
          const auto response = client.call("/am/3.0", "GetVersion", {});
          if (response.is_fault) ++result.failures;
        } catch (const std::exception&) {
          ++result.failures;
        }
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
  total.calls = total.latencies_ms.size();
  std::sort(total.latencies_ms.begin(), total.latencies_ms.end());
  return total;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
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

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--clients") options.clients = std::stoi(argv[i + 1]);
    else if (flag == "--seconds") options.seconds = std::stod(argv[i + 1]);
    else if (flag == "--federa") options.federa = argv[i + 1];
    else throw std::runtime_error("unknown option " + flag);
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const fs::path dir = fs::temp_directory_path() / ("federa-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  setenv("FEDERA_DATA_DIR", dir.c_str(), 1);
  const fs::path log = dir / "am.log";
  run_to_end({options.federa, "ca", "experimenter", "bench"}, log);
  const pid_t am = spawn({options.federa, "am", "--port", "0"}, log);
  const unsigned short port = wait_for_port(log);
  const fs::path identity = dir / "experimenters" / "bench";
  const auto tls = federa::rpc::make_client_tls_context({identity / "bench-cert.pem", identity / "bench-key.pem"});

  std::printf("GetVersion through `federa am` (2 I/O threads, 8 workers), %d clients, %.0f s per mode, %u cores\n",
              options.clients, options.seconds, std::thread::hardware_concurrency());
  std::printf("%-16s %9s %10s %9s %9s %9s\n", "mode", "calls", "calls/s", "p50 ms", "p99 ms", "failures");
  for (const bool keep_alive : {false, true}) {
    const Result result = load(port, tls, keep_alive, options);
    std::printf("%-16s %9zu %10.0f %9.2f %9.2f %9zu\n", keep_alive ? "keep-alive" : "new-connection",
                result.calls, static_cast<double>(result.calls) / result.seconds,
                percentile(result.latencies_ms, 0.50), percentile(result.latencies_ms, 0.99), result.failures);
  }
  std::printf("RSA-2048 signatures/s on one core: %.0f (a full TLS handshake costs one on each side)\n",
              rsa_signatures_per_second());
  kill(am, SIGTERM);
  int status = 0;
  waitpid(am, &status, 0);
  fs::remove_all(dir);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
