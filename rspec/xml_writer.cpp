#include "rspec/xml_writer.h"

#include "common/geni_error.h"

namespace federa::rspec {
namespace {

// Length of the UTF-8 sequence at text[i] encoding a character XML 1.0 allows; 0 when invalid.
std::size_t valid_character(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                         : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  char32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length]) return 0;  // overlong
  bool allowed = code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
                 (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
  return allowed ? length : 0;
}

std::string_view entity(char c, bool in_attribute) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return in_attribute ? "&quot;" : "";
    case '\n': return in_attribute ? "&#10;" : "";
    case '\r': return "&#13;";
    case '\t': return in_attribute ? "&#9;" : "";
    default: return "";
  }
}

}  // namespace

XmlWriter::XmlWriter() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

void XmlWriter::end_start_tag() {
  if (in_start_tag_) out_ += '>';
  in_start_tag_ = false;
}

void XmlWriter::new_line() {
  out_ += '\n';
  out_.append(open_.size() * 2, ' ');
}

void XmlWriter::open(std::string_view name) {
  end_start_tag();
  if (!open_.empty()) {
    open_.back().has_children = true;
    new_line();
  }
  out_ += '<';
  out_ += name;
  open_.push_back({name});
  in_start_tag_ = true;
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  escaped(value, true, name);
  out_ += '"';
}

void XmlWriter::optional_attribute(std::string_view name, std::string_view value) {
  if (!value.empty()) attribute(name, value);
}

void XmlWriter::text(std::string_view value) {
  end_start_tag();
  escaped(value, false, "");
}

void XmlWriter::fragment(std::string_view xml) {
  end_start_tag();
  open_.back().has_children = true;
  new_line();
  out_ += xml;
}

void XmlWriter::close() {
  Open element = open_.back();
  open_.pop_back();
  if (in_start_tag_) {
    out_ += "/>";
    in_start_tag_ = false;
    return;
  }
  if (element.has_children) new_line();
  out_ += "</";
  out_ += element.name;
  out_ += '>';
}

void XmlWriter::text_element(std::string_view name, std::string_view value) {
  if (value.empty()) return;
  open(name);
  text(value);
  close();
}

std::string XmlWriter::finish() {
  out_ += '\n';
  return std::move(out_);
}

void XmlWriter::escaped(std::string_view value, bool in_attribute,
                        std::string_view attribute_name) {
  std::size_t run = 0;  // start of the pending run of bytes copied as they are
  for (std::size_t i = 0; i < value.size();) {
    std::size_t length = valid_character(value, i);
    if (length == 0) {
      std::string where = "<" + std::string(open_.empty() ? "" : open_.back().name) + ">";
      if (!attribute_name.empty()) where += " attribute " + std::string(attribute_name);
      throw GeniError(GeniCode::kError, "cannot write RSpec: " + where +
                                            " holds bytes that are not UTF-8 text XML allows");
    }
    std::string_view replacement = length == 1 ? entity(value[i], in_attribute) : "";
    if (!replacement.empty()) {
      out_.append(value.substr(run, i - run));
      out_ += replacement;
      run = i + 1;
    }
    i += length;
  }
  out_.append(value.substr(run));
}

}  // namespace federa::rspec
