#include "clearinghouse/urn.h"

#include "common/geni_error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <utility>

namespace federa::trust {
namespace {

constexpr std::string_view kPrefix = "urn:publicid:IDN+";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

[[noreturn]] void refuse(std::string_view text, const std::string& why) {
  throw GeniError(GeniCode::kBadArgs, "invalid URN '" + std::string(text) + "': " + why);
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find(separator, start)) != std::string_view::npos; start = end + 1) {
    parts.emplace_back(text.substr(start, end - start));
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

// The per-type name rules of general.adoc; types without a rule need a non-empty name.
struct NameRule {
  std::string_view type;
  std::regex pattern;
  std::string_view description;
};

const std::array<NameRule, 4>& name_rules() {
  static const std::array<NameRule, 4> rules{{
      {"slice", std::regex("^[a-zA-Z0-9][-a-zA-Z0-9]{0,18}$"),
       "slice names are 1-19 letters, digits or '-', not starting with '-'"},
      {"user", std::regex("^[a-zA-Z][a-zA-Z0-9_]{0,7}$"),
       "user names are 1-8 letters, digits or '_', starting with a letter"},
      {"sliver", std::regex("^[-a-zA-Z0-9_.]+$"),
       "sliver names use only letters, digits, '-', '_' and '.'"},
      {"tool", std::regex("^[a-zA-Z][-a-zA-Z0-9_@.]{0,63}$"),
       "tool names are 1-64 letters, digits, '-', '_', '@' or '.', starting with a letter"},
  }};
  return rules;
}

bool name_is_case_insensitive(std::string_view type) {
  return iequals(type, "slice") || iequals(type, "user") || iequals(type, "tool");
}

// Longest-match table for publicid -> URN (gcf urn_util.publicid_xforms).
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kToUrn{{
    {"%", "%25"}, {";", "%3B"}, {"+", "%2B"}, {" ", "+"}, {"#", "%23"}, {"?", "%3F"},
    {"'", "%27"}, {"::", ";"}, {":", "%3A"}, {"//", ":"}, {"/", "%2F"},
}};

// Replaces, scanning left to right, the longest `from` matching at each position.
std::string transcribe(std::string_view text,
                       const std::array<std::pair<std::string_view, std::string_view>, 11>& table,
                       bool forward) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t best = 0;
    std::string_view replacement;
    for (const auto& [from, to] : table) {
      const std::string_view match = forward ? from : to;
      if (match.size() > best && text.substr(i, match.size()) == match) {
        best = match.size();
        replacement = forward ? to : from;
      }
    }
    if (best == 0) {
      out += text[i++];
    } else {
      out += replacement;
      i += best;
    }
  }
  return out;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

}  // namespace

Urn::Urn(std::string authority, std::string type, std::string name)
    : authority_(std::move(authority)), type_(std::move(type)), name_(std::move(name)) {}

Urn Urn::parse(std::string_view text) {
  if (text.size() < kPrefix.size() || !iequals(text.substr(0, kPrefix.size()), kPrefix)) {
    refuse(text, "it must start with 'urn:publicid:IDN+'");
  }
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)) ||
        c == '|' || c == '?' || c == '/' || c == '#') {
      refuse(text, "whitespace, control characters, '|', '?', '/' and '#' are not allowed");
    }
  }
  const std::string_view rest = text.substr(kPrefix.size());
  const std::size_t type_start = rest.find('+');
  const std::size_t name_start =
      type_start == std::string_view::npos ? type_start : rest.find('+', type_start + 1);
  if (name_start == std::string_view::npos) refuse(text, "it needs <authority>+<type>+<name>");
  std::string authority(rest.substr(0, type_start));
  std::string type(rest.substr(type_start + 1, name_start - type_start - 1));
  std::string name(rest.substr(name_start + 1));
  for (const auto& part : split(authority, ':')) {
    if (part.empty()) refuse(text, "the authority and each sub-authority must be non-empty");
  }
  if (type.empty() || !std::all_of(type.begin(), type.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
      })) {
    refuse(text, "the type must be non-empty letters, digits, '_' or '-'");
  }
  if (name.empty()) refuse(text, "the name must be non-empty");
  for (const auto& rule : name_rules()) {
    if (iequals(type, rule.type) && !std::regex_match(name, rule.pattern)) {
      refuse(text, std::string(rule.description));
    }
  }
  return Urn(std::move(authority), std::move(type), std::move(name));
}

std::optional<Urn> Urn::try_parse(std::string_view text) {
  try {
    return parse(text);
  } catch (const GeniError&) {
    return std::nullopt;
  }
}

std::vector<std::string> Urn::authority_path() const { return split(authority_, ':'); }

std::string Urn::str() const {
  return std::string(kPrefix) + authority_ + "+" + type_ + "+" + name_;
}

bool Urn::same_as(const Urn& other) const {
  if (!iequals(authority_, other.authority_) || !iequals(type_, other.type_)) return false;
  return name_is_case_insensitive(type_) ? iequals(name_, other.name_) : name_ == other.name_;
}

bool Urn::is_authority_for(const Urn& subject) const {
  if (!iequals(type_, "authority")) return false;
  const auto mine = authority_path();
  const auto theirs = subject.authority_path();
  return mine.size() <= theirs.size() &&
         std::equal(mine.begin(), mine.end(), theirs.begin(),
                    [](const std::string& a, const std::string& b) { return iequals(a, b); });
}

bool same_urn(std::string_view a, std::string_view b) {
  const auto left = Urn::try_parse(a);
  const auto right = Urn::try_parse(b);
  return left && right && left->same_as(*right);
}

std::string publicid_to_urn(std::string_view publicid) {
  return "urn:publicid:" + transcribe(collapse_whitespace(publicid), kToUrn, true);
}

std::string urn_to_publicid(std::string_view urn) {
  constexpr std::string_view kScheme = "urn:publicid:";
  if (urn.size() >= kScheme.size() && iequals(urn.substr(0, kScheme.size()), kScheme)) {
    urn.remove_prefix(kScheme.size());
  }
  return transcribe(urn, kToUrn, false);
}

}  // namespace federa::trust
