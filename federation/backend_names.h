// One recognisable naming scheme for everything the node and link drivers create on a host, so
// that a startup sweep can find what a crash left behind and nothing else. Every name starts
// with "fd" and a one-letter kind, then '-' and a hash of what the object belongs to:
//   fdb-<10 hex>  bridge of one slice link on one host       fdx-<10 hex>  VXLAN port of it
//   fdv-<10 hex>  802.1Q port of it                           fdp-<10 hex>  host end of a netns node's veth
//   fdt-<10 hex>  tap of a VM's port                          fd-<10 hex>-<client id>  libvirt domain
//   fdc-<10 hex>  capture/injection veth of a slice snapshot (snapshot/)
// Interface names stay within Linux's 15 characters; nftables tables are "fd_<10 hex>".
#pragma once

#include <string>
#include <string_view>

namespace federa::federation {

enum class DeviceKind : char {
  kBridge = 'b',
  kVxlan = 'x',
  kVlan = 'v',
  kNodeVeth = 'p',
  kTap = 't',
  kCapture = 'c',
};

// 10 hex digits (40 bits) of FNV-1a 64 over the parts joined by '\n'.
std::string short_hash(std::initializer_list<std::string_view> parts);

// The device of `kind` for one slice link on one host, or one node port on it.
std::string device_name(DeviceKind kind, std::string_view slice_urn, std::string_view link_id,
                        std::string_view host_or_node);

// The nftables table that cuts one slice link on one host.
std::string cut_table_name(std::string_view slice_urn, std::string_view link_id,
                           std::string_view host);

// "fd-<hash of slice and client id>-<client id>"; characters outside [A-Za-z0-9_.-] become '_'.
std::string domain_name(std::string_view slice_urn, std::string_view client_id);

// True for names this scheme produces (devices, domains, cut tables).
bool is_federa_device(std::string_view name);
bool is_federa_device(std::string_view name, DeviceKind kind);
bool is_federa_domain(std::string_view name);
bool is_federa_table(std::string_view name);

}  // namespace federa::federation
