#pragma once
// keras.callbacks.ModelCheckpoint: saves the whole model (model.save, a
// .keras file) or only its weights (save_weights_only, a .weights.h5 file) at
// the end of each epoch or every save_freq batches, always or only when the
// monitored value improves, to a path formatted with the epoch, the batch and
// the logs: "ckpt_{epoch:02d}_{val_loss:.2f}.keras".
#include <cstdint>
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
  // "epoch", or a number of batches ("100"): save after that many batches.
  std::string save_freq = "epoch";
  // The "best" value to beat before the first save (save_best_only).
  std::optional<double> initial_value_threshold;
};

class ModelCheckpoint : public Callback {
 public:
  // Throws keras::Error, as Keras, for a save_freq that is neither "epoch"
  // nor a positive integer, and for a filepath that does not end in
  // ".weights.h5" (save_weights_only) or in ".keras" / ".h5".
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {});
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, Logs& logs) override;

  // The best monitored value so far (save_best_only), as Keras' callback.best.
  std::optional<double> best() const { return best_; }
  // The path for an epoch (0-based, as the callback receives it) and its logs:
  // Python's str.format with epoch = epoch + 1 and the log values.
  std::string file_path(int epoch, const Logs& logs) const;
  // The path of a save after a batch (0-based): batch = batch + 1 too.
  std::string file_path(int epoch, std::int64_t batch, const Logs& logs) const;

 private:
  bool should_save(int epoch, const Logs& logs, const std::string& filepath);
  bool should_save_on_batch(std::int64_t batch);
  void save(int epoch, const std::string& filepath, const Logs& logs);

  std::string filepath_;
  ModelCheckpointOptions o_;
  std::optional<Monitor> monitor_;
  std::optional<double> best_;
  std::int64_t save_every_batches_ = 0;  // 0: at the end of each epoch
  int current_epoch_ = 0;
  std::optional<std::int64_t> last_batch_seen_;
  std::int64_t batches_since_last_save_ = 0;
};

// Python's str.format for the fields a checkpoint path uses: {name} and
// {name:spec} with spec [sign][0][width][.precision][d|f|e|E|g|G], and {{ }}.
// Integers go in `integers` (epoch), floats in `values` (the logs). Throws
// keras::Error naming the pattern for a missing name or an unsupported spec.
std::string format_file_path(const std::string& pattern,
                             const std::map<std::string, long>& integers, const Logs& values);

}  // namespace keras::callbacks
