#include "snapshot/frame_log.h"

#include "common/geni_error.h"

#include <doctest/doctest.h>

#include <fstream>
#include <unistd.h>

using namespace federa::snapshot;

TEST_CASE("a channel log keeps every frame, its bytes, order and time, as a pcap tcpdump reads") {
  const auto file = std::filesystem::temp_directory_path() / ("fdlog" + std::to_string(getpid()) + ".pcap");
  std::vector<Frame> frames = {{1'763'700'000'123'456, std::string("\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x08\x06", 14)},
                               {1'763'700'001'000'001, std::string(1514, '\x5a')},
                               {1'763'700'001'000'002, std::string(9000, '\0')}};
  write_pcap(file, frames);
  const std::vector<Frame> back = read_pcap(file);
  REQUIRE(back.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(back[i].time_us == frames[i].time_us);
    CHECK(back[i].bytes == frames[i].bytes);
  }
  CHECK(std::filesystem::file_size(file) == 24 + 3 * 16 + 14 + 1514 + 9000);
  write_pcap(file, {});
  CHECK(read_pcap(file).empty());

  std::ofstream(file, std::ios::binary | std::ios::trunc) << "not a pcap at all, but long enough";
  CHECK_THROWS_AS(read_pcap(file), federa::GeniError);
  std::filesystem::remove(file);
}
