#pragma once
// What EarlyStopping, ReduceLROnPlateau and ModelCheckpoint share: a
// monitored log value and whether lower or higher is better. mode "auto"
// minimises "loss"/"val_loss" and errors and maximises accuracy-like metrics,
// as Keras' MonitorCallback does.
#include <optional>
#include <string>

#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class Monitor {
 public:
  Monitor(std::string monitor, std::string mode, double min_delta, const std::string& owner);
  // The monitored value from the logs, if present.
  std::optional<double> value(const Logs& logs) const;
  // Keras' strict test: current - min_delta < reference (minimising), or
  // current + min_delta > reference (maximising); no reference is an improvement.
  bool is_improvement(double current, std::optional<double> reference) const;
  const std::string& name() const { return monitor_; }
  bool minimising() const { return minimise_; }

 private:
  std::string monitor_;
  bool minimise_ = true;
  double min_delta_ = 0.0;
};

}  // namespace keras::callbacks
