#pragma once
// keras.callbacks.ModelCheckpoint: saves the model's weights at the end of
// each epoch (or only when the monitored value improves), to a path formatted
// with the epoch and the logs: "ckpt_{epoch:02d}_{val_loss:.2f}.weights.h5".
// Only weights are saved for now (save_weights_only = true): whole-model
// .keras files come with model.save.
#include <map>
#include <optional>
#include <string>

#include "keras/callbacks/monitor.hpp"

namespace keras::callbacks {

struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  int verbose = 0;
  bool save_best_only = false;
  bool save_weights_only = false;
  std::string mode = "auto";
  // "epoch"; a number of batches is not supported yet.
  std::string save_freq = "epoch";
  // The "best" value to beat before the first save (save_best_only).
  std::optional<double> initial_value_threshold;
};

class ModelCheckpoint : public Callback {
 public:
  // Throws keras::Error for an unsupported save_freq, for
  // save_weights_only = false (until .keras saving exists) and for a filepath
  // that does not end in ".weights.h5".
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {});
  void on_epoch_end(int epoch, Logs& logs) override;

  // The best monitored value so far (save_best_only), as Keras' callback.best.
  std::optional<double> best() const { return best_; }
  // The path for an epoch (0-based, as the callback receives it) and its logs:
  // Python's str.format with epoch = epoch + 1 and the log values.
  std::string file_path(int epoch, const Logs& logs) const;

 private:
  bool should_save(int epoch, const Logs& logs, const std::string& filepath);

  std::string filepath_;
  ModelCheckpointOptions o_;
  std::optional<Monitor> monitor_;
  std::optional<double> best_;
};

// Python's str.format for the fields a checkpoint path uses: {name} and
// {name:spec} with spec [sign][0][width][.precision][d|f|e|E|g|G], and {{ }}.
// Integers go in `integers` (epoch), floats in `values` (the logs). Throws
// keras::Error naming the pattern for a missing name or an unsupported spec.
std::string format_file_path(const std::string& pattern,
                             const std::map<std::string, long>& integers, const Logs& values);

}  // namespace keras::callbacks
