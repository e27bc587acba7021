#pragma once
// Keras' ProgbarLogger: "Epoch 1/5" and a progress bar per epoch during fit,
// one bar for evaluate; validation inside fit is silent.
#include <memory>

#include "keras/callbacks/callback.hpp"
#include "keras/utils/progbar.hpp"

namespace keras::training {

class ProgbarLogger : public callbacks::Callback {
 public:
  void on_train_begin(callbacks::Logs& logs) override;
  void on_epoch_begin(int epoch, callbacks::Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, callbacks::Logs& logs) override;
  void on_epoch_end(int epoch, callbacks::Logs& logs) override;
  void on_test_begin(callbacks::Logs& logs) override;
  void on_test_batch_end(std::int64_t batch, callbacks::Logs& logs) override;
  void on_test_end(callbacks::Logs& logs) override;

 private:
  void update(std::int64_t batch, const callbacks::Logs& logs);
  void finalize(const callbacks::Logs& logs);
  std::unique_ptr<utils::Progbar> bar_;
  std::int64_t seen_ = 0;
  bool in_fit_ = false;
};

}  // namespace keras::training
