#include "common/rfc3339.h"

#include <cctype>
#include <cstdio>

namespace federa {
namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, int width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool accept(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// Parses "[.fraction]" into microseconds; always succeeds.
microseconds fraction(std::string_view text, std::size_t& pos) {
  if (!accept(text, pos, '.')) return microseconds(0);
  long long micros = 0;
  int places = 0;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    if (places < 6) {
      micros = micros * 10 + (text[pos] - '0');
      ++places;
    }
    ++pos;
  }
  for (; places < 6; ++places) micros *= 10;
  return microseconds(micros);
}

// Parses "", "Z", "+hh:mm", "-hhmm"; returns the offset east of UTC.
std::optional<minutes> zone(std::string_view text, std::size_t& pos) {
  if (pos == text.size()) return minutes(0);
  if (accept(text, pos, 'Z') || accept(text, pos, 'z')) return minutes(0);
  const char sign = text[pos];
  if (sign != '+' && sign != '-') return std::nullopt;
  ++pos;
  auto hh = digits(text, pos, 2);
  accept(text, pos, ':');
  auto mm = digits(text, pos, 2);
  if (!hh || !mm || *hh > 23 || *mm > 59) return std::nullopt;
  const minutes offset = hours(*hh) + minutes(*mm);
  return sign == '+' ? offset : -offset;
}

}  // namespace

Timestamp now_utc() { return time_point_cast<microseconds>(system_clock::now()); }

std::string format_rfc3339(Timestamp time) {
  const auto day = floor<days>(time);
  const year_month_day ymd(day);
  const hh_mm_ss hms(floor<seconds>(time - day));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buffer;
}

std::string format_iso8601_compact(Timestamp time) {
  std::string text = format_rfc3339(time);  // YYYY-MM-DDTHH:MM:SSZ
  return text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2) + text.substr(10, 9);
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  std::size_t pos = 0;
  auto y = digits(text, pos, 4);
  const bool compact = !accept(text, pos, '-');
  auto mo = digits(text, pos, 2);
  if (!compact && !accept(text, pos, '-')) return std::nullopt;
  auto d = digits(text, pos, 2);
  if (!accept(text, pos, 'T') && !accept(text, pos, 't') && !accept(text, pos, ' ')) return std::nullopt;
  auto h = digits(text, pos, 2);
  if (!accept(text, pos, ':')) return std::nullopt;
  auto mi = digits(text, pos, 2);
  if (!accept(text, pos, ':')) return std::nullopt;
  auto s = digits(text, pos, 2);
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  const year_month_day ymd{year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  const microseconds frac = fraction(text, pos);
  const auto offset = zone(text, pos);
  if (!offset || pos != text.size()) return std::nullopt;
  return Timestamp(sys_days(ymd)) + hours(*h) + minutes(*mi) + seconds(*s) + frac - *offset;
}

}  // namespace federa
