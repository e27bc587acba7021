#include "keras/callbacks/model_checkpoint.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "keras/error.hpp"
#include "keras/model.hpp"

namespace keras::callbacks {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string fixed5(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  return buf;
}

// Python's str(float): the shortest text that reads back as the same number.
std::string python_str(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, ec == std::errc() ? end : buf);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // 1.0, not 1
  return s;
}

struct Spec {
  std::string flags;  // sign and zero padding, as printf takes them
  std::string width;
  std::string precision;  // with its '.'
  char type = 0;
};

// Parses [sign][0][width][.precision][type]; nullopt when it is anything else.
std::optional<Spec> parse_spec(const std::string& text) {
  Spec spec;
  std::size_t i = 0;
  auto digits = [&] {
    std::string out;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') out += text[i++];
    return out;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-' || text[i] == ' ')) {
    if (text[i] != '-') spec.flags += text[i];  // '-' is Python's default for numbers
    ++i;
  }
  if (i < text.size() && text[i] == '0') {
    spec.flags += '0';
    ++i;
  }
  spec.width = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    spec.precision = "." + digits();
    if (spec.precision.size() == 1) return std::nullopt;
  }
  if (i < text.size()) spec.type = text[i++];
  if (i != text.size()) return std::nullopt;
  if (spec.type != 0 && std::string("dfeEgG").find(spec.type) == std::string::npos) {
    return std::nullopt;
  }
  return spec;
}

std::string format_field(const std::string& pattern, const std::string& field,
                         const std::map<std::string, long>& integers, const Logs& values) {
  const std::size_t colon = field.find(':');
  const std::string name = field.substr(0, colon);
  const std::string spec_text = colon == std::string::npos ? "" : field.substr(colon + 1);
  const auto fail = [&](const std::string& reason) -> Error {
    return Error("Failed to format this callback filepath: \"" + pattern + "\". Reason: " + reason);
  };
  const auto spec = parse_spec(spec_text);
  if (!spec) {
    throw fail("unsupported format spec \"" + spec_text + "\" for " + name +
               " (supported: [sign][0][width][.precision] and d, f, e, E, g, G).");
  }
  char buf[128];
  if (auto it = integers.find(name); it != integers.end()) {
    const std::string conversion = spec->type == 0 || spec->type == 'd' ? "ld" : "";
    if (!conversion.empty()) {
      if (!spec->precision.empty()) throw fail("precision not allowed in integer format");
      const std::string fmt = "%" + spec->flags + spec->width + conversion;
      std::snprintf(buf, sizeof buf, fmt.c_str(), it->second);
      return buf;
    }
    const std::string fmt = "%" + spec->flags + spec->width + spec->precision + spec->type;
    std::snprintf(buf, sizeof buf, fmt.c_str(), static_cast<double>(it->second));
    return buf;
  }
  auto it = values.find(name);
  if (it == values.end()) throw fail("'" + name + "'");
  if (spec->type == 'd') {
    throw fail("unknown format code 'd' for the float value " + name);
  }
  if (spec->type == 0 && spec->precision.empty()) {
    std::string s = python_str(it->second);
    const std::size_t width = spec->width.empty() ? 0 : std::stoul(spec->width);
    if (s.size() < width)
      s.insert(0, width - s.size(), spec->flags.find('0') != std::string::npos ? '0' : ' ');
    return s;
  }
  // Python's "" type with a precision is like g.
  const char type = spec->type == 0 ? 'g' : spec->type;
  const std::string fmt = "%" + spec->flags + spec->width + spec->precision + type;
  std::snprintf(buf, sizeof buf, fmt.c_str(), it->second);
  return buf;
}

// save_freq: "epoch" (0) or a positive number of batches.
std::int64_t parse_save_freq(const std::string& save_freq) {
  if (save_freq == "epoch") return 0;
  const bool digits =
      !save_freq.empty() && save_freq.find_first_not_of("0123456789") == std::string::npos;
  std::int64_t n = 0;
  if (digits) {
    const auto [end, ec] =
        std::from_chars(save_freq.data(), save_freq.data() + save_freq.size(), n);
    if (ec == std::errc() && end == save_freq.data() + save_freq.size() && n > 0) return n;
  }
  throw Error("ModelCheckpoint: unrecognized save_freq: " + save_freq +
              ". Expected save_freq are \"epoch\" or integer values.");
}

}  // namespace

std::string format_file_path(const std::string& pattern,
                             const std::map<std::string, long>& integers, const Logs& values) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
      out += c;  // "{{" and "}}" are literal braces
      ++i;
    } else if (c == '{') {
      const std::size_t close = pattern.find('}', i);
      if (close == std::string::npos) {
        throw Error("Failed to format this callback filepath: \"" + pattern +
                    "\". Reason: unmatched '{'.");
      }
      out += format_field(pattern, pattern.substr(i + 1, close - i - 1), integers, values);
      i = close;
    } else if (c == '}') {
      throw Error("Failed to format this callback filepath: \"" + pattern +
                  "\". Reason: single '}' encountered.");
    } else {
      out += c;
    }
  }
  return out;
}

ModelCheckpoint::ModelCheckpoint(std::string filepath, ModelCheckpointOptions options)
    : filepath_(std::move(filepath)), o_(std::move(options)), best_(o_.initial_value_threshold) {
  save_every_batches_ = parse_save_freq(o_.save_freq);
  if (o_.save_weights_only) {
    if (!ends_with(filepath_, ".weights.h5")) {
      throw Error(
          "ModelCheckpoint: when using save_weights_only=true, the filepath provided must "
          "end in `.weights.h5` (Keras weights format). Received: filepath=" +
          filepath_);
    }
  } else if (!ends_with(filepath_, ".keras") && !ends_with(filepath_, ".h5")) {
    throw Error(
        "ModelCheckpoint: the filepath provided must end in `.keras` (Keras model format). "
        "Received: filepath=" +
        filepath_);
  }
  if (o_.save_best_only) monitor_.emplace(o_.monitor, o_.mode, 0.0, "ModelCheckpoint");
}

std::string ModelCheckpoint::file_path(int epoch, const Logs& logs) const {
  return format_file_path(filepath_, {{"epoch", static_cast<long>(epoch) + 1}}, logs);
}

std::string ModelCheckpoint::file_path(int epoch, std::int64_t batch, const Logs& logs) const {
  // Keras passes batch=batch+1 unless the logs already hold a "batch" entry.
  if (logs.count("batch") != 0) return file_path(epoch, logs);
  return format_file_path(
      filepath_, {{"epoch", static_cast<long>(epoch) + 1}, {"batch", static_cast<long>(batch) + 1}},
      logs);
}

bool ModelCheckpoint::should_save(int epoch, const Logs& logs, const std::string& filepath) {
  const std::string prefix = "\nEpoch " + std::to_string(epoch + 1) + ": ";
  if (!o_.save_best_only) {
    if (o_.verbose > 0) std::cout << prefix << "saving model to " << filepath << "\n";
    return true;
  }
  const std::optional<double> current = monitor_->value(logs);
  if (!current) {
    std::cerr << "UserWarning: Can save best model only with " << o_.monitor << " available.\n";
    return true;
  }
  const std::string best_str = best_ ? fixed5(*best_) : "None";
  if (monitor_->is_improvement(*current, best_)) {
    if (o_.verbose > 0) {
      std::cout << prefix << o_.monitor << " improved from " << best_str << " to "
                << fixed5(*current) << ", saving model to " << filepath << "\n";
    }
    best_ = current;
    return true;
  }
  if (o_.verbose > 0)
    std::cout << prefix << o_.monitor << " did not improve from " << best_str << "\n";
  return false;
}

void ModelCheckpoint::on_epoch_begin(int epoch, Logs& /*logs*/) { current_epoch_ = epoch; }

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  if (save_every_batches_ == 0) save(epoch, file_path(epoch, logs), logs);
}

void ModelCheckpoint::on_train_batch_end(std::int64_t batch, Logs& logs) {
  if (should_save_on_batch(batch))
    save(current_epoch_, file_path(current_epoch_, batch, logs), logs);
}

// Keras' _should_save_on_batch: counts the batches since the last save; a
// batch index that does not grow starts a new epoch.
bool ModelCheckpoint::should_save_on_batch(std::int64_t batch) {
  if (save_every_batches_ == 0) return false;
  const bool new_epoch = !last_batch_seen_ || batch <= *last_batch_seen_;
  batches_since_last_save_ += new_epoch ? batch + 1 : batch - *last_batch_seen_;
  last_batch_seen_ = batch;
  if (batches_since_last_save_ < save_every_batches_) return false;
  batches_since_last_save_ = 0;
  return true;
}

void ModelCheckpoint::save(int epoch, const std::string& filepath, const Logs& logs) {
  if (!should_save(epoch, logs, filepath)) return;
  const std::filesystem::path dir = std::filesystem::path(filepath).parent_path();
  std::error_code ec;  // a failure shows as the save's own error
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (std::filesystem::is_directory(filepath)) {
    throw Error(
        "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is "
        "an existing directory: " +
        filepath);
  }
  // Both write a temporary file beside the target and rename it over it, so
  // an interrupted save leaves the previous checkpoint whole.
  if (o_.save_weights_only) {
    model().save_weights(filepath);
  } else {
    model().save(filepath);
  }
  if (o_.verbose > 0) {
    std::cout << "\nEpoch " << epoch + 1 << ": finished saving model to " << filepath << "\n";
  }
}

}  // namespace keras::callbacks
