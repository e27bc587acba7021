#pragma once
// keras.callbacks.TerminateOnNaN: stops training when a batch's loss is NaN or infinite.
#include "keras/callbacks/callback.hpp"

namespace keras::callbacks {

class TerminateOnNaN : public Callback {
 public:
  void on_train_batch_end(std::int64_t batch, Logs& logs) override;
};

}  // namespace keras::callbacks
