#pragma once
// keras.utils.Progbar: the progress bar fit/evaluate/predict print.
// On a terminal it redraws in place exactly as Keras 3 does
// (" 512/1875 ━━━━━━━━━━━━━━━━━━━━ 1s 1ms/step - accuracy: 0.8123 - loss: 0.5210");
// elsewhere (a pipe, a file, CI logs) it writes only the final line of each
// bar, as plain text without control characters.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace keras::utils {

struct ProgbarOptions {
  int width = 20;
  int verbose = 1;         // 0 silent, 1 bar, 2 one line at the end
  double interval = 0.05;  // minimum seconds between redraws
  std::string unit_name = "step";
  // Whether to redraw in place with ANSI colours; unset: when the stream is a terminal.
  std::optional<bool> dynamic_display;
};

class Progbar {
 public:
  using Values = std::vector<std::pair<std::string, double>>;

  // target: the number of steps; 0 when unknown.
  explicit Progbar(std::int64_t target, ProgbarOptions options = {},
                   std::ostream& out = std::cout);

  // Shows progress at step `current` (1-based) with these metric values,
  // displayed as given (Keras' fit passes running values already averaged).
  // finalize unset: final when current reaches the target, as Keras decides.
  void update(std::int64_t current, const Values& values = {},
              std::optional<bool> finalize = std::nullopt);

  // The text of the last line drawn, without control characters (for tests).
  const std::string& last_line() const { return last_line_; }

 private:
  double seconds_since_start() const;
  double estimate_step_duration(std::int64_t current, double now);
  std::string format_values() const;
  static std::string format_time_per_unit(double seconds, const std::string& unit);

  std::int64_t target_;
  ProgbarOptions options_;
  std::ostream& out_;
  bool dynamic_;
  Values values_;  // in first-seen order
  std::chrono::steady_clock::time_point start_;
  double last_update_ = -1.0;
  std::optional<double> time_after_first_step_;
  std::size_t previous_width_ = 0;
  std::string last_line_;
};

// "%.4f", or "%.4e" when |v| <= 1e-3, as Keras formats a metric.
std::string format_metric_value(double value, bool use_abs = true);

}  // namespace keras::utils
