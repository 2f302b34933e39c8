#include "gmoc/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace federa::gmoc {
namespace {

namespace fs = std::filesystem;

std::optional<std::uint64_t> seq_of(const fs::path& file) {
  const std::string stem = file.stem().string();
  if (file.extension() != ".json" || stem.size() != 20 || stem.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(stem);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes via a temporary file, fsync and rename, so a crash leaves the old file or the new one.
void write_atomically(const fs::path& file, const std::string& text) {
  const fs::path temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot write " + temporary.string());
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      const int error = errno;
      ::close(fd);
      throw std::system_error(error, std::generic_category(), "cannot write " + temporary.string());
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  ::fsync(fd);
  ::close(fd);
  fs::rename(temporary, file);
}

}  // namespace

Spool::Spool(fs::path dir) : dir_(std::move(dir)) {
  fs::create_directories(dir_);
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (const auto seq = seq_of(entry.path())) next_seq_ = std::max(next_seq_, *seq + 1);
  }
  const fs::path mark = dir_ / "next_seq";
  if (fs::exists(mark)) next_seq_ = std::max<std::uint64_t>(next_seq_, std::stoull(read_file(mark)));
}

fs::path Spool::file_of(std::uint64_t seq) const {
  std::string name = std::to_string(seq);
  return dir_ / (std::string(20 - name.size(), '0') + name + ".json");
}

std::uint64_t Spool::append(const std::function<std::string(std::uint64_t)>& make) {
  std::lock_guard lock(mutex_);
  const std::uint64_t seq = next_seq_;
  write_atomically(file_of(seq), make(seq));
  write_atomically(dir_ / "next_seq", std::to_string(seq + 1));
  ++next_seq_;
  return seq;
}

std::optional<SpooledReport> Spool::oldest() const {
  std::lock_guard lock(mutex_);
  std::optional<std::uint64_t> first;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const auto seq = seq_of(entry.path());
    if (seq && (!first || *seq < *first)) first = seq;
  }
  if (!first) return std::nullopt;
  return SpooledReport{*first, read_file(file_of(*first))};
}

void Spool::remove(std::uint64_t seq) {
  std::lock_guard lock(mutex_);
  fs::remove(file_of(seq));
}

std::size_t Spool::size() const {
  std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) count += seq_of(entry.path()).has_value();
  return count;
}

void Spool::save_state(const std::string& text) {
  std::lock_guard lock(mutex_);
  write_atomically(dir_ / "state.json", text);
}

std::string Spool::load_state() const {
  std::lock_guard lock(mutex_);
  const fs::path file = dir_ / "state.json";
  return fs::exists(file) ? read_file(file) : "";
}

}  // namespace federa::gmoc
