// Test support: a child process running another program, its stdout read line by line through a
// pipe. Destroying a ChildProcess that is still running kills it (SIGKILL) and reaps it.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace federa::store {

class ChildProcess {
 public:
  // argv[0] is the program's path.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line the child printed, without '\n'; empty at end of output.
  std::string read_line();
  void kill_now();
  // Waits for the child: its exit status, or 128 + signal number when a signal killed it.
  int wait();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int exit_status_ = -1;
  std::string buffered_;
};

}  // namespace federa::store
