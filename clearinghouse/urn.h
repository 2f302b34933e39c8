// GENI URNs: `urn:publicid:IDN+<authority>+<type>+<name>` (AM API general.adoc, gcf urn_util).
// The authority is `top[:sub]*`; the name may itself contain '+'. parse() validates the character
// set and the per-type name rules (slice, user, sliver, tool) and normalizes the prefix; case is
// preserved for display while comparisons follow the spec (authority and type case-insensitive,
// slice/user/tool names case-insensitive). is_authority_for() is the GENI namespace rule: an
// authority vouches only for names inside its own authority string.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::trust {

class Urn {
 public:
  // Throws GeniError(kBadArgs) naming the rule the text breaks.
  static Urn parse(std::string_view text);
  static std::optional<Urn> try_parse(std::string_view text);

  const std::string& authority() const { return authority_; }
  const std::string& type() const { return type_; }
  const std::string& name() const { return name_; }
  // Sub-authorities of the authority string, top first ("geni:gpo" -> {"geni", "gpo"}).
  std::vector<std::string> authority_path() const;

  // "urn:publicid:IDN+<authority>+<type>+<name>" with the canonical prefix.
  std::string str() const;

  // True when both name the same object under the spec's comparison rules.
  bool same_as(const Urn& other) const;

  // True when this is an `authority` URN whose authority string is a prefix (by whole
  // sub-authorities, case-insensitively) of `subject`'s authority.
  bool is_authority_for(const Urn& subject) const;

 private:
  Urn(std::string authority, std::string type, std::string name);
  std::string authority_;
  std::string type_;
  std::string name_;
};

// True when two URN texts parse and name the same object.
bool same_urn(std::string_view a, std::string_view b);

// RFC 3151 transcription, as gcf does it: "IDN geni//gpo user alice" <->
// "urn:publicid:IDN+geni:gpo+user+alice".
std::string publicid_to_urn(std::string_view publicid);
std::string urn_to_publicid(std::string_view urn);

}  // namespace federa::trust
