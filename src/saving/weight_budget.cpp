#include "saving/weight_budget.hpp"

#include "keras/error.hpp"

namespace keras::saving {

namespace {
constinit thread_local WeightBudget* current_budget = nullptr;
}  // namespace

WeightBudget::WeightBudget(std::int64_t bytes)
    : bytes_(bytes), left_(bytes), outer_(current_budget) {
  current_budget = this;
}

WeightBudget::~WeightBudget() { current_budget = outer_; }

void WeightBudget::charge(const std::string& owner, const std::string& weight, const Shape& shape,
                          DType dtype) {
  WeightBudget* budget = current_budget;
  if (budget == nullptr) return;
  auto bytes = static_cast<std::int64_t>(dtype_size(dtype));
  bool overflow = false;
  for (std::int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(bytes, d, &bytes)) {
      overflow = true;
      break;
    }
  }
  if (overflow || bytes > budget->left_) {
    throw Error(owner + " asks for a weight \"" + weight + "\" of shape " + shape.to_string() +
                ", more than the " + std::to_string(budget->bytes_) +
                " bytes of weights the file holds: the config does not match the weights (or "
                "the file is damaged).");
  }
  budget->left_ -= bytes;
}

}  // namespace keras::saving
