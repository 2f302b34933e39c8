#include "federation/inventory.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <fstream>
#include <set>
#include <sstream>

namespace federa::federation {
namespace {

constexpr std::int64_t kDefaultUplinkKbps = 10'000'000;

// Reads typed values from one TOML table and reports problems as "<file>:<line>: <key>: <what>".
class TableReader {
 public:
  TableReader(const toml::table& table, std::string_view source, std::string path,
              std::initializer_list<std::string_view> allowed_keys)
      : table_(table), source_(source), path_(std::move(path)) {
    for (const auto& [key, node] : table_) {
      if (std::find(allowed_keys.begin(), allowed_keys.end(), key.str()) == allowed_keys.end()) {
        fail(node, key.str(), "unknown key (allowed: " + join(allowed_keys) + ")");
      }
    }
  }

  [[noreturn]] void fail(const toml::node& node, std::string_view key,
                         const std::string& problem) const {
    std::ostringstream out;
    out << source_ << ':' << node.source().begin.line << ": " << path_ << (path_.empty() ? "" : ".")
        << key << ": " << problem;
    throw InventoryError(out.str());
  }
  [[noreturn]] void fail_missing(std::string_view key) const {
    std::ostringstream out;
    out << source_ << ':' << table_.source().begin.line << ": " << path_
        << (path_.empty() ? "" : ".") << key << ": required key is missing";
    throw InventoryError(out.str());
  }

  const toml::node* node(std::string_view key) const { return table_.get(key); }

  std::string string(std::string_view key) const {
    const toml::node* value = require(key);
    if (!value->is_string() || value->as_string()->get().empty()) {
      fail(*value, key, "must be a non-empty string");
    }
    return value->as_string()->get();
  }
  std::string string_or(std::string_view key, std::string fallback) const {
    return node(key) ? string(key) : fallback;
  }
  std::int64_t positive(std::string_view key) const {
    const toml::node* value = require(key);
    if (!value->is_integer() || value->as_integer()->get() <= 0) {
      fail(*value, key, "must be a positive integer");
    }
    return value->as_integer()->get();
  }
  std::int64_t positive_or(std::string_view key, std::int64_t fallback) const {
    return node(key) ? positive(key) : fallback;
  }
  // A number (integer or float); `minimum` bounds it from below.
  double number_or(std::string_view key, double fallback,
                   double minimum = -std::numeric_limits<double>::max()) const {
    const toml::node* value = node(key);
    if (!value) return fallback;
    const auto number = value->value<double>();
    if (!number || !std::isfinite(*number) || *number < minimum) {
      fail(*value, key, minimum == 0 ? "must be a non-negative number" : "must be a number");
    }
    return *number;
  }
  bool boolean_or(std::string_view key, bool fallback) const {
    const toml::node* value = node(key);
    if (!value) return fallback;
    if (!value->is_boolean()) fail(*value, key, "must be true or false");
    return value->as_boolean()->get();
  }
  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> result;
    const toml::node* value = node(key);
    if (!value) return result;
    if (!value->is_array()) fail(*value, key, "must be an array of strings");
    for (const toml::node& item : *value->as_array()) {
      if (!item.is_string()) fail(item, key, "must be an array of strings");
      result.push_back(item.as_string()->get());
    }
    return result;
  }
  VlanSet vlans(std::string_view key, std::string_view fallback) const {
    const toml::node* value = node(key);
    try {
      if (!value) return VlanSet::parse(fallback);
      if (!value->is_string()) fail(*value, key, "must be a string such as \"100-200,300\"");
      return VlanSet::parse(value->as_string()->get());
    } catch (const std::invalid_argument& error) {
      fail(*value, key, error.what());
    }
  }
  // The array of tables under `key`, each with its path "key[i]".
  std::vector<std::pair<const toml::table*, std::string>> tables(std::string_view key) const {
    std::vector<std::pair<const toml::table*, std::string>> result;
    const toml::node* value = node(key);
    if (!value) return result;
    if (!value->is_array_of_tables()) fail(*value, key, "must be an array of tables ([[...]])");
    const auto& array = *value->as_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      result.emplace_back(array.get(i)->as_table(),
                          path_ + (path_.empty() ? "" : ".") + std::string(key) + "[" +
                              std::to_string(i) + "]");
    }
    return result;
  }
  const toml::table* table(std::string_view key) const {
    const toml::node* value = node(key);
    if (value && !value->is_table()) fail(*value, key, "must be a table");
    return value ? value->as_table() : nullptr;
  }
  std::string child_path(std::string_view key) const {
    return path_ + (path_.empty() ? "" : ".") + std::string(key);
  }
  std::string_view source() const { return source_; }

 private:
  const toml::node* require(std::string_view key) const {
    const toml::node* value = node(key);
    if (!value) fail_missing(key);
    return value;
  }
  static std::string join(std::initializer_list<std::string_view> keys) {
    std::string text;
    for (const auto key : keys) text += (text.empty() ? "" : ", ") + std::string(key);
    return text;
  }

  const toml::table& table_;
  std::string_view source_;
  std::string path_;
};

Location parse_location(const TableReader& reader) {
  return Location{reader.string_or("country", ""), reader.number_or("latitude", 0),
                  reader.number_or("longitude", 0)};
}

Host parse_host(const TableReader& reader, const Site& site, int site_index,
                std::int64_t default_uplink) {
  Host host;
  host.name = reader.string("name");
  host.urn = host_urn(site.authority, host.name);
  host.site = site_index;
  host.backend = reader.string("backend");
  host.migration_uri = reader.string_or("migration_uri", "");
  host.vcpus = static_cast<int>(reader.positive("vcpus"));
  host.memory_mb = reader.positive("memory_mb");
  host.disk_gb = reader.positive("disk_gb");
  host.slots = static_cast<int>(reader.positive_or("slots", 1));
  host.uplink_kbps = reader.positive_or("uplink_kbps", default_uplink);
  host.hardware_types = reader.strings("hardware_types");
  host.sliver_types = reader.strings("sliver_types");
  host.images = reader.strings("images");
  if (host.sliver_types.empty()) {
    reader.fail(*reader.node("name"), "sliver_types", "must list at least one sliver type");
  }
  if (const toml::table* network = reader.table("network")) {
    const TableReader network_reader(*network, reader.source(), reader.child_path("network"),
                                     {"netns", "underlay", "address"});
    host.network = HostNetworkConfig{network_reader.string_or("netns", ""), network_reader.string_or("underlay", ""),
                                     network_reader.string_or("address", "")};
  }
  return host;
}

void parse_site(const TableReader& reader, std::vector<Site>& sites, std::vector<Host>& hosts) {
  Site site;
  site.name = reader.string("name");
  for (const Site& earlier : sites) {
    if (earlier.name == site.name) reader.fail(*reader.node("name"), "name", "is used by two sites");
  }
  site.authority = reader.string("authority");
  site.urn = site_urn(site.authority);
  std::int64_t default_uplink = kDefaultUplinkKbps;
  if (const toml::table* location = reader.table("location")) {
    site.location = parse_location(TableReader(*location, reader.source(),
                                               reader.child_path("location"),
                                               {"country", "latitude", "longitude"}));
  }
  if (const toml::table* switch_table = reader.table("switch")) {
    const TableReader switch_reader(*switch_table, reader.source(), reader.child_path("switch"),
                                    {"vlans", "translation", "uplink_kbps"});
    site.site_switch.vlans = switch_reader.vlans("vlans", "2-4094");
    site.site_switch.translation = switch_reader.boolean_or("translation", false);
    default_uplink = switch_reader.positive_or("uplink_kbps", kDefaultUplinkKbps);
  } else {
    site.site_switch.vlans = VlanSet::range(2, VlanSet::kMaxTag);
  }
  const int site_index = static_cast<int>(sites.size());
  for (const auto& [table, path] : reader.tables("host")) {
    const TableReader host_reader(*table, reader.source(), path,
                                  {"name", "backend", "vcpus", "memory_mb", "disk_gb", "slots",
                                   "uplink_kbps", "hardware_types", "sliver_types", "images", "network", "migration_uri"});
    hosts.push_back(parse_host(host_reader, site, site_index, default_uplink));
  }
  sites.push_back(std::move(site));
}

int site_named(const TableReader& reader, const std::vector<Site>& sites, const toml::node& node,
               const std::string& name) {
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].name == name) return static_cast<int>(i);
  }
  reader.fail(node, "sites", "names no site called '" + name + "'");
}

InterSiteLink parse_link(const TableReader& reader, const std::vector<Site>& sites) {
  InterSiteLink link;
  link.name = reader.string("name");
  const auto ends = reader.strings("sites");
  const toml::node* ends_node = reader.node("sites");
  if (!ends_node) reader.fail_missing("sites");
  if (ends.size() != 2 || ends[0] == ends[1]) {
    reader.fail(*ends_node, "sites", "must name exactly two different sites");
  }
  link.site_a = site_named(reader, sites, *ends_node, ends[0]);
  link.site_b = site_named(reader, sites, *ends_node, ends[1]);
  link.urn = link_urn(sites[link.site_a].authority, link.name);
  link.bandwidth_kbps = reader.positive("bandwidth_kbps");
  link.latency_ms = reader.number_or("latency_ms", 0, 0);
  link.vlans = reader.vlans("vlans", "");
  if (link.vlans.empty()) reader.fail(*reader.node("name"), "vlans", "must name at least one tag");
  link.translation = reader.boolean_or("translation", false);
  return link;
}

template <typename T>
void index_unique(std::unordered_map<std::string, int>& index, const std::vector<T>& items,
                  std::string_view what) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!index.emplace(items[i].urn, static_cast<int>(i)).second) {
      throw InventoryError(std::string(what) + " '" + items[i].urn + "' is defined twice");
    }
  }
}

template <typename Map>
std::optional<int> lookup(const Map& index, std::string_view urn) {
  const auto it = index.find(std::string(urn));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

bool lists(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

bool Host::offers(std::string_view sliver_type, std::string_view image,
                  std::string_view hardware_type) const {
  return (sliver_type.empty() || lists(sliver_types, sliver_type)) &&
         (image.empty() || images.empty() || lists(images, image)) &&
         (hardware_type.empty() || lists(hardware_types, hardware_type));
}

std::string site_urn(std::string_view authority) {
  return "urn:publicid:IDN+" + std::string(authority) + "+authority+cm";
}
std::string host_urn(std::string_view authority, std::string_view name) {
  return "urn:publicid:IDN+" + std::string(authority) + "+node+" + std::string(name);
}
std::string link_urn(std::string_view authority, std::string_view name) {
  return "urn:publicid:IDN+" + std::string(authority) + "+link+" + std::string(name);
}

Inventory::Inventory(std::vector<Site> sites, std::vector<Host> hosts,
                     std::vector<InterSiteLink> links)
    : sites_(std::move(sites)), hosts_(std::move(hosts)), links_(std::move(links)) {
  index_unique(site_by_urn_, sites_, "site");
  index_unique(host_by_urn_, hosts_, "host");
  index_unique(link_by_urn_, links_, "inter-site link");
  const int site_count = static_cast<int>(sites_.size());
  for (auto& site : sites_) site.hosts.clear();
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    const Host& host = hosts_[i];
    if (host.site < 0 || host.site >= site_count) {
      throw InventoryError("host '" + host.urn + "' belongs to no known site");
    }
    if (host.vcpus <= 0 || host.memory_mb <= 0 || host.disk_gb <= 0 || host.slots <= 0) {
      throw InventoryError("host '" + host.urn + "' needs positive vcpus, memory, disk and slots");
    }
    sites_[host.site].hosts.push_back(static_cast<int>(i));
  }
  links_at_.assign(sites_.size(), {});
  for (std::size_t i = 0; i < links_.size(); ++i) {
    const InterSiteLink& link = links_[i];
    if (link.site_a < 0 || link.site_a >= site_count || link.site_b < 0 ||
        link.site_b >= site_count || link.site_a == link.site_b) {
      throw InventoryError("inter-site link '" + link.urn + "' must join two different sites");
    }
    links_at_[link.site_a].push_back(static_cast<int>(i));
    links_at_[link.site_b].push_back(static_cast<int>(i));
  }
}

std::optional<int> Inventory::find_site(std::string_view urn) const {
  return lookup(site_by_urn_, urn);
}
std::optional<int> Inventory::find_host(std::string_view urn) const {
  return lookup(host_by_urn_, urn);
}
std::optional<int> Inventory::find_link(std::string_view urn) const {
  return lookup(link_by_urn_, urn);
}

Inventory Inventory::with_drained(const std::vector<std::string>& drained_urns) const {
  Inventory copy = *this;
  const std::set<std::string, std::less<>> drained(drained_urns.begin(), drained_urns.end());
  for (Host& host : copy.hosts_) host.drained = drained.count(host.urn) > 0;
  return copy;
}

Inventory parse_inventory(std::string_view toml_text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& error) {
    std::ostringstream out;
    out << source << ':' << error.source().begin.line << ": " << error.description();
    throw InventoryError(out.str());
  }
  const TableReader reader(root, source, "", {"site", "link"});
  std::vector<Site> sites;
  std::vector<Host> hosts;
  for (const auto& [table, path] : reader.tables("site")) {
    parse_site(TableReader(*table, source, path,
                           {"name", "authority", "location", "switch", "host"}),
               sites, hosts);
  }
  std::vector<InterSiteLink> links;
  for (const auto& [table, path] : reader.tables("link")) {
    links.push_back(parse_link(TableReader(*table, source, path,
                                           {"name", "sites", "bandwidth_kbps", "latency_ms",
                                            "vlans", "translation"}),
                               sites));
  }
  if (sites.empty()) throw InventoryError(std::string(source) + ": no [[site]] is defined");
  try {
    return Inventory(std::move(sites), std::move(hosts), std::move(links));
  } catch (const InventoryError& error) {
    throw InventoryError(std::string(source) + ": " + error.what());
  }
}

Inventory load_inventory(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InventoryError(file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_inventory(text.str(), file.string());
}

}  // namespace federa::federation
