#include "keras/callbacks/terminate_on_nan.hpp"

#include <cmath>
#include <iostream>

#include "keras/model.hpp"

namespace keras::callbacks {

void TerminateOnNaN::on_train_batch_end(std::int64_t batch, Logs& logs) {
  auto it = logs.find("loss");
  if (it != logs.end() && !std::isfinite(it->second)) {
    std::cout << "Batch " << batch << ": Invalid loss, terminating training\n";
    model().set_stop_training(true);
  }
}

}  // namespace keras::callbacks
