#include "keras/utils/progbar.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace keras::utils {

namespace {

const char* kBold = "\x1b[1m";
const char* kReset = "\x1b[0m";
const char* kGreen = "\x1b[32m";
const char* kWhite = "\x1b[37m";

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string printf_string(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

int num_digits(std::int64_t n) { return static_cast<int>(std::log10(static_cast<double>(n))) + 1; }

std::string counter(std::int64_t current, std::int64_t target) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%*lld/%lld", num_digits(target),
                static_cast<long long>(current), static_cast<long long>(target));
  return buffer;
}

// Keras' ETA: "%ds", "%d:%02d" over a minute, "%d:%02d:%02d" over an hour.
std::string format_eta(double eta) {
  char buffer[64];
  if (eta > 3600) {
    std::snprintf(buffer, sizeof(buffer), "%d:%02d:%02d", static_cast<int>(eta / 3600),
                  static_cast<int>(std::fmod(eta, 3600) / 60), static_cast<int>(std::fmod(eta, 60)));
  } else if (eta > 60) {
    std::snprintf(buffer, sizeof(buffer), "%d:%02d", static_cast<int>(eta / 60),
                  static_cast<int>(std::fmod(eta, 60)));
  } else {
    std::snprintf(buffer, sizeof(buffer), "%ds", static_cast<int>(eta));
  }
  return buffer;
}

bool is_terminal(const std::ostream& out) {
  if (&out == &std::cout) return isatty(STDOUT_FILENO) != 0;
  if (&out == &std::cerr) return isatty(STDERR_FILENO) != 0;
  return false;
}

}  // namespace

std::string format_metric_value(double value, bool use_abs) {
  const double test = use_abs ? std::fabs(value) : value;
  return printf_string(test > 1e-3 ? "%.4f" : "%.4e", value);
}

Progbar::Progbar(std::int64_t target, ProgbarOptions options, std::ostream& out)
    : target_(target),
      options_(std::move(options)),
      out_(out),
      dynamic_(options_.dynamic_display.value_or(is_terminal(out))),
      start_(std::chrono::steady_clock::now()) {}

double Progbar::seconds_since_start() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

// The first step is not representative (warm-up), so once more steps exist
// the estimate starts after it, as Keras does.
double Progbar::estimate_step_duration(std::int64_t current, double now) {
  if (current == 0) return 0.0;
  double per_unit;
  if (time_after_first_step_ && current > 1) {
    per_unit = (now - *time_after_first_step_) / static_cast<double>(current - 1);
  } else {
    per_unit = now / static_cast<double>(current);
  }
  if (current == 1) time_after_first_step_ = now;
  return per_unit;
}

std::string Progbar::format_time_per_unit(double seconds, const std::string& unit) {
  if (seconds >= 1 || seconds == 0) return printf_string(" %.0fs/", seconds) + unit;
  if (seconds >= 1e-3) return printf_string(" %.0fms/", seconds * 1000.0) + unit;
  return printf_string(" %.0fus/", seconds * 1e6) + unit;
}

std::string Progbar::format_values() const {
  std::string info;
  for (const auto& [name, value] : values_) {
    info += " - " + name + ": " + format_metric_value(value, options_.verbose != 2);
  }
  return info;
}

void Progbar::update(std::int64_t current, const Values& values,
                     std::optional<bool> finalize_option) {
  const bool finalize = finalize_option.value_or(target_ > 0 && current >= target_);
  for (const auto& [name, value] : values) {
    bool found = false;
    for (auto& entry : values_) {
      if (entry.first == name) {
        entry.second = value;
        found = true;
      }
    }
    if (!found) values_.emplace_back(name, value);
  }
  const double now = seconds_since_start();
  const double per_unit = estimate_step_duration(current, now);

  if (options_.verbose == 1) {
    if (now - last_update_ < options_.interval && !finalize) return;
    if (!dynamic_ && !finalize) return;  // plain output: only the final line
    last_update_ = now;
    std::string plain;   // what a reader sees
    std::string styled;  // the same with Keras' ANSI styling
    if (target_ > 0) {
      const std::string count = counter(current, target_);
      const int done = static_cast<int>(options_.width * (static_cast<double>(current) / target_));
      const int clamped = std::max(0, std::min(done, options_.width));
      plain = count + " " + repeat("━", options_.width);
      styled = kBold + count + kReset + " ";
      if (clamped > 0) styled += kGreen + repeat("━", clamped) + kReset;
      styled += kWhite + repeat("━", options_.width - clamped) + kReset;
    } else {
      char buffer[64];
      std::snprintf(buffer, sizeof(buffer), "%7lld/Unknown", static_cast<long long>(current));
      plain = styled = buffer;
    }
    const std::string time = target_ > 0 && !finalize
                                 ? format_eta(per_unit * static_cast<double>(target_ - current))
                                 : printf_string("%.0fs", now);
    const std::string info = format_time_per_unit(per_unit, options_.unit_name) + format_values();
    plain += " " + time + info;
    styled += std::string(" ") + kBold + time + kReset + info;
    last_line_ = plain;
    if (dynamic_) {
      // Each character of "━" counts once, as Python counts len().
      std::size_t width = 0;
      for (unsigned char c : plain) width += (c & 0xC0) != 0x80;
      std::string message = std::string(previous_width_, '\b') + "\r" + styled;
      if (previous_width_ > width) message += std::string(previous_width_ - width, ' ');
      previous_width_ = width;
      if (finalize) message += "\n";
      out_ << message << std::flush;
    } else {
      out_ << plain << "\n" << std::flush;
    }
  } else if (options_.verbose == 2) {
    if (!finalize || target_ <= 0) return;
    std::string line = counter(current, target_) + " - " + printf_string("%.0fs", now) + " -" +
                       format_time_per_unit(per_unit, options_.unit_name) + format_values();
    last_line_ = line;
    out_ << line << "\n" << std::flush;
  }
}

}  // namespace keras::utils
