// RSpec benchmark: parse a generated request of 10,000 nodes and 20,000 links, write a
// 10,000-node advertisement and manifest. Each figure is the best of several runs, printed next
// to libxml2's bare parse of the same bytes (xmlReadMemory, the floor), so the cost federa adds
// above the floor is visible.
#include "rspec/parse.h"
#include "rspec/write.h"

#include <libxml/parser.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace federa::rspec;

constexpr int kNodes = 10'000;
constexpr int kLinks = 20'000;
constexpr int kInterfacesPerNode = 4;
constexpr int kRuns = 5;

std::string interface_id(int node, int index) {
  return "n" + std::to_string(node) + ":if" + std::to_string(index);
}

// Node i has interfaces if0..if3; link j joins node j%N to node (j+1)%N, each interface once.
std::string generate_request() {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rspec xmlns=\"http://www.geni.net/resources/rspec/3\" "
      "xmlns:emulab=\"http://www.protogeni.net/resources/rspec/ext/emulab/1\" type=\"request\">\n";
  for (int node = 0; node < kNodes; ++node) {
    std::string id = "n" + std::to_string(node);
    xml += "  <node client_id=\"" + id + "\" exclusive=\"false\">\n    <sliver_type name=\"emulab-xen\">"
           "<disk_image name=\"urn:publicid:IDN+example.net+image+emulab-ops:UBUNTU22-64-STD\"/>"
           "<emulab:xen cores=\"1\" ram=\"1024\" disk=\"8\"/></sliver_type>\n";
    for (int index = 0; index < kInterfacesPerNode; ++index) {
      xml += "    <interface client_id=\"" + interface_id(node, index) + "\"><ip address=\"10." +
             std::to_string(index) + "." + std::to_string(node / 250) + "." +
             std::to_string(node % 250 + 1) + "\" netmask=\"255.255.0.0\" type=\"ipv4\"/></interface>\n";
    }
    xml += "  </node>\n";
  }
  for (int link = 0; link < kLinks; ++link) {
    int a = link % kNodes, b = (a + 1) % kNodes, first = (link / kNodes) * 2;
    xml += "  <link client_id=\"l" + std::to_string(link) + "\"><interface_ref client_id=\"" +
           interface_id(a, first) + "\"/><interface_ref client_id=\"" + interface_id(b, first + 1) +
           "\"/><property source_id=\"" + interface_id(a, first) + "\" dest_id=\"" +
           interface_id(b, first + 1) + "\" capacity=\"100000\"/><link_type name=\"lan\"/></link>\n";
  }
  return xml + "</rspec>\n";
}

// Best time of `make` over kRuns; what it returns is destroyed after the clock stops.
template <typename Make>
double best_ms(Make make) {
  double best = 1e300;
  for (int i = 0; i < kRuns; ++i) {
    auto start = std::chrono::steady_clock::now();
    [[maybe_unused]] auto result = make();
    std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  return best;
}

double floor_ms(const std::string& xml) {
  return best_ms([&] {
    xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr, XML_PARSE_NONET);
    if (!doc) std::abort();
    xmlFreeDoc(doc);  // parse_* free their tree too
    return 0;
  });
}

void report(const char* what, std::size_t bytes, double ms, double floor) {
  double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
  std::printf("%-34s %7.2f MB %9.1f ms %8.1f MB/s | libxml2 bare parse of the same bytes %7.1f ms "
              "(%.2fx)\n", what, mb, ms, mb / (ms / 1000.0), floor, ms / floor);
}

RSpec advertisement_of(const RSpec& request) {
  RSpec ad = request;
  ad.kind = Kind::kAdvertisement;
  ad.links.clear();
  for (Node& node : ad.nodes) {
    node.component_id = "urn:publicid:IDN+example.net+node+" + node.client_id;
    node.component_manager_id = "urn:publicid:IDN+example.net+authority+cm";
    node.available_now = true;
    node.hardware_types.push_back({"pc", {}});
    for (Interface& interface : node.interfaces) {
      interface.component_id = "urn:publicid:IDN+example.net+interface+" + interface.client_id;
    }
  }
  return ad;
}

RSpec manifest_of(const RSpec& request) {
  RSpec manifest = make_manifest(request);
  int serial = 0;
  for (Node& node : manifest.nodes) {
    node.sliver_id = "urn:publicid:IDN+example.net+sliver+" + std::to_string(++serial);
    node.component_id = "urn:publicid:IDN+example.net+node+pc" + std::to_string(serial % 500);
    node.component_manager_id = "urn:publicid:IDN+example.net+authority+cm";
    node.services.logins.push_back({"ssh-keys", "pc.example.net", static_cast<std::uint16_t>(22000 + serial % 1000), "alice"});
    for (Interface& interface : node.interfaces) {
      interface.sliver_id = "urn:publicid:IDN+example.net+sliver+" + std::to_string(++serial);
      interface.mac_address = "02:00:00:00:12:34";
    }
  }
  for (Link& link : manifest.links) link.vlantag = std::to_string(100 + serial++ % 3000);
  return manifest;
}

}  // namespace

int main() {
  xmlInitParser();
  std::string request_xml = generate_request();
  ParseLimits limits;
  double parse = best_ms([&] { return parse_request(request_xml, limits); });
  RSpec request = parse_request(request_xml, limits);
  std::printf("rspec_bench: %d nodes, %d links, %d interfaces; best of %d runs\n", kNodes, kLinks,
              kNodes * kInterfacesPerNode, kRuns);
  report("parse_request", request_xml.size(), parse, floor_ms(request_xml));

  RSpec ad = advertisement_of(request);
  double write_ad = best_ms([&] { return write_advertisement(ad); });
  std::string ad_xml = write_advertisement(ad);
  report("write_advertisement (10k nodes)", ad_xml.size(), write_ad, floor_ms(ad_xml));

  RSpec manifest = manifest_of(request);
  double write = best_ms([&] { return write_manifest(manifest); });
  std::string manifest_xml = write_manifest(manifest);
  report("write_manifest (10k nodes, 20k links)", manifest_xml.size(), write, floor_ms(manifest_xml));

  double reparse = best_ms([&] { return parse_manifest(manifest_xml, limits); });
  RSpec echoed = parse_manifest(manifest_xml, limits);
  report("parse_manifest (of the above)", manifest_xml.size(), reparse, floor_ms(manifest_xml));
  return echoed.nodes.size() == request.nodes.size() ? 0 : 1;
}
