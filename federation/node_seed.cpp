#include "federation/node_seed.h"

#include "federation/backend_names.h"

#include "common/geni_error.h"

#include <cstdio>
#include <fstream>
#include <iterator>

namespace federa::federation {
namespace {

void pad4(std::string& out) {
  while (out.size() % 4 != 0) out.push_back('\0');
}

void add_entry(std::string& out, const std::string& name, unsigned mode, const std::string& data) {
  char header[111];
  const unsigned fields[] = {0, mode, 0, 0, 1, 0, static_cast<unsigned>(data.size()), 0, 0, 0, 0,
                             static_cast<unsigned>(name.size() + 1), 0};
  int n = std::snprintf(header, sizeof header, "070701");
  for (unsigned field : fields) n += std::snprintf(header + n, sizeof header - n, "%08X", field);
  out.append(header, 110);
  out += name;
  out.push_back('\0');
  pad4(out);
  out += data;
  pad4(out);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw GeniError(GeniCode::kServerError, "cannot read initrd " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::string seed_archive(const NodeSpec& spec) {
  std::string keys, ports;
  for (const auto& key : spec.ssh_keys) keys += key + "\n";
  for (const auto& port : spec.ports) ports += port.mac + " " + port.address + "\n";
  if (spec.login_port > 0) ports += std::string(kLoginMac) + " " + kLoginAddress + "\n";
  std::string out;
  add_entry(out, "federa", 040755, "");
  add_entry(out, "federa/hostname", 0100644, spec.name + "\n");
  add_entry(out, "federa/user", 0100644, spec.login_user + "\n");
  add_entry(out, "federa/authorized_keys", 0100600, keys);
  add_entry(out, "federa/ports", 0100644, ports);
  add_entry(out, "TRAILER!!!", 0, "");
  return out;
}

void write_seeded_initrd(const std::filesystem::path& base, const NodeSpec& spec,
                         const std::filesystem::path& target) {
  std::string bytes = read_file(base);
  pad4(bytes);
  bytes += seed_archive(spec);
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw GeniError(GeniCode::kServerError, "cannot write seed " + target.string());
}

std::string port_mac(const std::string& tap) {
  const std::string hash = short_hash({"mac", tap});
  std::string mac = "02";
  for (std::size_t i = 0; i < 10; i += 2) mac += ":" + hash.substr(i, 2);
  return mac;
}

}  // namespace federa::federation
