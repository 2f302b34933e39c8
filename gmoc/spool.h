// An on-disk FIFO of push reports, so nothing is lost while the collector is down or the
// aggregate restarts: each report is one file <seq>.json (20-digit sequence number, so name order
// is sequence order), written to a temporary name, fsynced and renamed in place. Sequence numbers
// keep increasing across restarts (the next is one past the highest file or the recorded
// high-water mark). Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace federa::gmoc {

struct SpooledReport {
  std::uint64_t seq = 0;
  std::string body;
};

class Spool {
 public:
  explicit Spool(std::filesystem::path dir);

  // Writes make(seq) as the next report; returns its sequence number.
  std::uint64_t append(const std::function<std::string(std::uint64_t seq)>& make);
  std::optional<SpooledReport> oldest() const;
  void remove(std::uint64_t seq);
  std::size_t size() const;

  // A small state file beside the reports (the reporter's cursor), written atomically.
  void save_state(const std::string& text);
  std::string load_state() const;

 private:
  std::filesystem::path file_of(std::uint64_t seq) const;

  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
};

}  // namespace federa::gmoc
