// Runs a host tool (ip, nft, qemu-img) without a shell: argv is passed as is, `input` is written
// to its stdin, stdout and stderr are captured. run_checked turns a non-zero exit into a
// GeniError(kServerError) whose message names the command and quotes its stderr, so a failed
// network or disk step tells the operator exactly what the host refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace federa::federation {

struct CommandResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// Throws GeniError(kServerError) only if the program cannot be started at all.
CommandResult run_command(const std::vector<std::string>& argv, std::string_view input = {});

// stdout of a successful run; throws GeniError(kServerError) otherwise.
std::string run_checked(const std::vector<std::string>& argv, std::string_view input = {});

// "ip [-n netns] args...": the netns is omitted when empty (the host's own namespace).
std::vector<std::string> ip_command(const std::string& netns, std::vector<std::string> args);

}  // namespace federa::federation
