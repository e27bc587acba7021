#include "keras/callbacks/csv_logger.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "keras/error.hpp"

namespace keras::callbacks {

namespace {

// Python's str(float): the shortest repr that round-trips.
std::string python_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  std::string s = buffer;
  const bool exponent = s.find('e') != std::string::npos;
  if (!exponent && s.find('.') == std::string::npos) s += ".0";
  if (exponent) {
    // "1e-05" is what Python prints; C gives "1e-05" too, but "1.5e+20" -> "1.5e+20".
    return s;
  }
  return s;
}

// NumPy's str of a float32 (what Keras' CSVLogger writes for each value of a
// log entry that is an array): the shortest digits that round-trip,
// positional from 1e-4 to below 1e6, else scientific ("1e+06").
std::string numpy_float32(double value) {
  const float f = static_cast<float>(value);
  if (std::isnan(f)) return "nan";
  if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
  const double magnitude = std::fabs(static_cast<double>(f));
  const bool positional = magnitude == 0.0 || (magnitude >= 1e-4 && magnitude < 1e6);
  char buffer[64];
  const auto r =
      std::to_chars(buffer, buffer + sizeof(buffer), f,
                    positional ? std::chars_format::fixed : std::chars_format::scientific);
  std::string s(buffer, r.ptr);
  if (positional && s.find('.') == std::string::npos) s += ".0";
  return s;
}

// Keras writes such an entry as the text "[v1, v2]" in quotes, which
// Python's csv writer quotes once more, doubling the quotes inside.
std::string csv_array(const std::vector<double>& values) {
  std::string out = "\"\"\"[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : ", ") + numpy_float32(values[i]);
  }
  return out + "]\"\"\"";
}

}  // namespace

CSVLogger::CSVLogger(std::string filename, CSVLoggerOptions options)
    : filename_(std::move(filename)), o_(std::move(options)) {}

void CSVLogger::on_train_begin(Logs&) {
  append_header_ = true;
  if (o_.append && std::filesystem::exists(filename_) &&
      std::filesystem::file_size(filename_) > 0) {
    append_header_ = false;
  }
  file_ = std::make_shared<std::ofstream>(
      filename_, o_.append ? std::ios::out | std::ios::app : std::ios::out | std::ios::trunc);
  if (!*file_) throw Error("CSVLogger: cannot open \"" + filename_ + "\" for writing.");
  keys_.clear();
}

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
  if (keys_.empty()) {
    for (const auto& [k, v] : logs) keys_.push_back(k);
    for (const auto& [k, v] : logs.arrays) keys_.push_back(k);
    std::sort(keys_.begin(), keys_.end());
    // Without validation, Keras still writes val_ columns for every key.
    bool has_val = false;
    for (const auto& k : keys_) has_val = has_val || k.starts_with("val_");
    if (!has_val) {
      std::vector<std::string> with_val = keys_;
      for (const auto& k : keys_) with_val.push_back("val_" + k);
      keys_ = with_val;
    }
    if (append_header_) {
      *file_ << "epoch";
      for (const auto& k : keys_) *file_ << o_.separator << k;
      *file_ << "\r\n";
    }
  }
  *file_ << epoch;
  for (const auto& k : keys_) {
    auto it = logs.find(k);
    auto array = logs.arrays.find(k);
    *file_ << o_.separator
           << (it != logs.end()             ? python_float(it->second)
               : array != logs.arrays.end() ? csv_array(array->second)
                                            : "NA");
  }
  *file_ << "\r\n";
  file_->flush();
}

void CSVLogger::on_train_end(Logs&) { file_.reset(); }

}  // namespace keras::callbacks
