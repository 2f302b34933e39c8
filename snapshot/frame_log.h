// The recorded state of one channel: the frames a node sent into a link while its port was cut,
// in order, with the time each was recorded. Stored as a classic pcap file (microsecond
// timestamps, LINKTYPE_ETHERNET), so an operator can read a snapshot's channels with tcpdump -r.
// read_pcap throws GeniError(kServerError) for a file that is not such a pcap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace federa::snapshot {

struct Frame {
  std::int64_t time_us = 0;  // microseconds since the Unix epoch
  std::string bytes;         // from the Ethernet header on
};

void write_pcap(const std::filesystem::path& file, const std::vector<Frame>& frames);
std::vector<Frame> read_pcap(const std::filesystem::path& file);

}  // namespace federa::snapshot
