#pragma once
// keras.callbacks.Callback: hooks fit/evaluate/predict call at the start and
// end of training, of each epoch and of each batch, with Keras' names. Logs
// are name -> value maps whose keys are sorted, as Keras sorts them
// ("accuracy", "loss", "val_accuracy", "val_loss").
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace keras {
class Model;
}

namespace keras::callbacks {

// The values of Keras' logs by name. A metric of several values (Precision
// or Recall with several thresholds, whose entry Keras' logs hold as a list)
// is kept in `arrays` under its name instead, so that every callback that
// reads a number keeps reading a double; the two never share a key.
struct Logs : std::map<std::string, double> {
  using std::map<std::string, double>::map;
  std::map<std::string, std::vector<double>> arrays;
  // Empties both.
  void clear() noexcept {
    std::map<std::string, double>::clear();
    arrays.clear();
  }
};

// What fit tells its callbacks (Keras' callback.params).
struct Params {
  int verbose = 1;
  int epochs = 1;
  std::int64_t steps = 0;  // batches per epoch
};

class Callback {
 public:
  virtual ~Callback();

  void set_model(Model* model) { model_ = model; }
  // The model being trained; throws keras::Error outside fit/evaluate/predict.
  Model& model() const;
  void set_params(const Params& params) { params_ = params; }
  const Params& params() const { return params_; }

  virtual void on_train_begin(Logs& /*logs*/) {}
  virtual void on_train_end(Logs& /*logs*/) {}
  virtual void on_epoch_begin(int /*epoch*/, Logs& /*logs*/) {}
  virtual void on_epoch_end(int /*epoch*/, Logs& /*logs*/) {}
  virtual void on_train_batch_begin(std::int64_t /*batch*/, Logs& /*logs*/) {}
  virtual void on_train_batch_end(std::int64_t /*batch*/, Logs& /*logs*/) {}
  virtual void on_test_begin(Logs& /*logs*/) {}
  virtual void on_test_end(Logs& /*logs*/) {}
  virtual void on_test_batch_begin(std::int64_t /*batch*/, Logs& /*logs*/) {}
  virtual void on_test_batch_end(std::int64_t /*batch*/, Logs& /*logs*/) {}
  virtual void on_predict_begin(Logs& /*logs*/) {}
  virtual void on_predict_end(Logs& /*logs*/) {}
  virtual void on_predict_batch_begin(std::int64_t /*batch*/, Logs& /*logs*/) {}
  virtual void on_predict_batch_end(std::int64_t /*batch*/, Logs& /*logs*/) {}

 private:
  Model* model_ = nullptr;
  Params params_;
};

// Any callback, held by shared pointer so fit's list can mix kinds:
// .callbacks = {keras::callbacks::EarlyStopping({.patience = 2}), my_callback}.
class CallbackHandle {
 public:
  template <class C, class = std::enable_if_t<std::is_base_of_v<Callback, C>>>
  CallbackHandle(C callback)  // NOLINT: implicit, so a list of callbacks reads naturally
      : ptr_(std::make_shared<C>(std::move(callback))) {}
  template <class C, class = std::enable_if_t<std::is_base_of_v<Callback, C>>>
  CallbackHandle(std::shared_ptr<C> callback) : ptr_(std::move(callback)) {}  // NOLINT

  Callback& operator*() const { return *ptr_; }
  Callback* operator->() const { return ptr_.get(); }
  const std::shared_ptr<Callback>& ptr() const { return ptr_; }

 private:
  std::shared_ptr<Callback> ptr_;
};

// Callbacks from lambdas, as keras.callbacks.LambdaCallback.
struct LambdaCallbackOptions {
  std::function<void(int, Logs&)> on_epoch_begin;
  std::function<void(int, Logs&)> on_epoch_end;
  std::function<void(std::int64_t, Logs&)> on_train_batch_begin;
  std::function<void(std::int64_t, Logs&)> on_train_batch_end;
  std::function<void(Logs&)> on_train_begin;
  std::function<void(Logs&)> on_train_end;
};

class LambdaCallback : public Callback {
 public:
  explicit LambdaCallback(LambdaCallbackOptions options) : o_(std::move(options)) {}
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_begin(std::int64_t batch, Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, Logs& logs) override;
  void on_train_begin(Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  LambdaCallbackOptions o_;
};

}  // namespace keras::callbacks
