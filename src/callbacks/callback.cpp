#include "keras/callbacks/callback.hpp"

#include "keras/error.hpp"

namespace keras::callbacks {

Callback::~Callback() = default;

Model& Callback::model() const {
  if (model_ == nullptr) {
    throw Error("This callback has no model: callbacks get one from fit, evaluate or predict.");
  }
  return *model_;
}

namespace {
template <class F, class... A>
void call_if(const F& f, A&&... args) {
  if (f) f(std::forward<A>(args)...);
}
}  // namespace

void LambdaCallback::on_epoch_begin(int epoch, Logs& logs) { call_if(o_.on_epoch_begin, epoch, logs); }
void LambdaCallback::on_epoch_end(int epoch, Logs& logs) { call_if(o_.on_epoch_end, epoch, logs); }
void LambdaCallback::on_train_batch_begin(std::int64_t batch, Logs& logs) {
  call_if(o_.on_train_batch_begin, batch, logs);
}
void LambdaCallback::on_train_batch_end(std::int64_t batch, Logs& logs) {
  call_if(o_.on_train_batch_end, batch, logs);
}
void LambdaCallback::on_train_begin(Logs& logs) { call_if(o_.on_train_begin, logs); }
void LambdaCallback::on_train_end(Logs& logs) { call_if(o_.on_train_end, logs); }

}  // namespace keras::callbacks
