#include "snapshot/frame_log.h"

#include "common/geni_error.h"

#include <cstring>
#include <fstream>

namespace federa::snapshot {
namespace {

constexpr std::uint32_t kMagic = 0xa1b2c3d4;  // microsecond timestamps, native byte order
constexpr std::uint32_t kSnapLength = 65536;
constexpr std::uint32_t kLinkTypeEthernet = 1;

struct FileHeader {
  std::uint32_t magic = kMagic;
  std::uint16_t major = 2, minor = 4;
  std::int32_t zone = 0;
  std::uint32_t sigfigs = 0, snap_length = kSnapLength, link_type = kLinkTypeEthernet;
};

struct RecordHeader {
  std::uint32_t seconds, micros, captured, length;
};

[[noreturn]] void corrupt(const std::filesystem::path& file, const std::string& why) {
  throw GeniError(GeniCode::kServerError, "snapshot channel log " + file.string() + " is corrupt: " + why);
}

}  // namespace

void write_pcap(const std::filesystem::path& file, const std::vector<Frame>& frames) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  const FileHeader header;
  out.write(reinterpret_cast<const char*>(&header), sizeof header);
  for (const Frame& frame : frames) {
    const auto size = static_cast<std::uint32_t>(frame.bytes.size());
    const RecordHeader record{static_cast<std::uint32_t>(frame.time_us / 1'000'000),
                              static_cast<std::uint32_t>(frame.time_us % 1'000'000), size, size};
    out.write(reinterpret_cast<const char*>(&record), sizeof record);
    out.write(frame.bytes.data(), size);
  }
  out.flush();
  if (!out) throw GeniError(GeniCode::kServerError, "cannot write snapshot channel log " + file.string());
}

std::vector<Frame> read_pcap(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  FileHeader header;
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header)) corrupt(file, "no pcap header");
  if (header.magic != kMagic || header.link_type != kLinkTypeEthernet) corrupt(file, "not an Ethernet pcap");
  std::vector<Frame> frames;
  RecordHeader record;
  while (in.read(reinterpret_cast<char*>(&record), sizeof record)) {
    if (record.captured > kSnapLength) corrupt(file, "a record longer than the snap length");
    Frame frame{std::int64_t{record.seconds} * 1'000'000 + record.micros, std::string(record.captured, '\0')};
    if (!in.read(frame.bytes.data(), record.captured)) corrupt(file, "a truncated record");
    frames.push_back(std::move(frame));
  }
  return frames;
}

}  // namespace federa::snapshot
