// The XML namespaces of GENI RSpec v3 and of the extensions federa reads and writes. An element
// in any other namespace is an unknown extension: preserved, never interpreted.
#pragma once

#include <string_view>

namespace federa::rspec {

inline constexpr std::string_view kRspecNs = "http://www.geni.net/resources/rspec/3";
inline constexpr std::string_view kStitchNs = "http://hpn.east.isi.edu/rspec/ext/stitch/0.1/";
inline constexpr std::string_view kOpstateNs = "http://www.geni.net/resources/rspec/ext/opstate/1";
inline constexpr std::string_view kEmulabNs = "http://www.protogeni.net/resources/rspec/ext/emulab/1";
inline constexpr std::string_view kSharedVlanNs = "http://www.geni.net/resources/rspec/ext/shared-vlan/1";
// Older clients (jFed, early Flack) wrote shared VLANs in this namespace; read, never written.
inline constexpr std::string_view kSharedVlanLegacyNs =
    "http://www.protogeni.net/resources/rspec/ext/shared-vlan/1";
inline constexpr std::string_view kUserNs = "http://www.protogeni.net/resources/rspec/ext/user/1";
// The GENI-hosted spelling of the user extension; read, never written.
inline constexpr std::string_view kUserGeniNs = "http://www.geni.net/resources/rspec/ext/user/1";

}  // namespace federa::rspec
