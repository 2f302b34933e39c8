#include "federation/command.h"

#include "common/geni_error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace federa::federation {
namespace {

std::string joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) throw GeniError(GeniCode::kServerError, "pipe: " + std::string(std::strerror(errno)));
  }
  ~Pipe() { close_both(); }
  void close_end(int end) {
    if (fd[end] >= 0) ::close(fd[end]);
    fd[end] = -1;
  }
  void close_both() { close_end(0), close_end(1); }
};

// Feeds `input` and drains both outputs together so that no pipe fills up and blocks the child.
void exchange(int in_fd, int out_fd, int err_fd, std::string_view input, CommandResult& result) {
  std::size_t written = 0;
  if (input.empty()) ::close(in_fd), in_fd = -1;
  while (out_fd >= 0 || err_fd >= 0 || in_fd >= 0) {
    pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    char buffer[8192];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        (i == 0 ? out_fd : err_fd) = -1;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n <= 0 || written == input.size()) ::close(in_fd), in_fd = -1;
    }
  }
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, std::string_view input) {
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw GeniError(GeniCode::kServerError,
                    "cannot run '" + argv[0] + "': " + std::strerror(rc) + " (is it installed?)");
  }
  in.close_end(0), out.close_end(1), err.close_end(1);
  CommandResult result;
  // A child that exits without reading its stdin must not kill us with SIGPIPE: block it on
  // this thread while writing, then discard one that became pending.
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  exchange(in.fd[1], out.fd[0], err.fd[0], input, result);
  const timespec no_wait{0, 0};
  while (sigtimedwait(&pipe_signal, nullptr, &no_wait) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  in.fd[1] = out.fd[0] = err.fd[0] = -1;  // closed by exchange
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string run_checked(const std::vector<std::string>& argv, std::string_view input) {
  CommandResult result = run_command(argv, input);
  if (result.exit_code != 0) {
    std::string err = result.err.empty() ? result.out : result.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    throw GeniError(GeniCode::kServerError, "'" + joined(argv) + "' failed (exit " +
                                                std::to_string(result.exit_code) + "): " + err);
  }
  return std::move(result.out);
}

std::vector<std::string> ip_command(const std::string& netns, std::vector<std::string> args) {
  std::vector<std::string> argv{"ip"};
  if (!netns.empty()) argv.insert(argv.end(), {"-n", netns});
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace federa::federation
