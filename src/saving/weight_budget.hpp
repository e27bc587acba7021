#pragma once
// While a model is rebuilt from an untrusted file, the weights its config
// asks for must fit in what the file holds: a config saying Dense(10**12)
// must fail with a keras::Error, not allocate terabytes. A WeightBudget,
// while alive on a thread, makes LayerImpl::add_weight check each new
// weight against the bytes left (before the initializer allocates it).
#include <cstdint>
#include <string>

#include "keras/dtype.hpp"
#include "keras/shape.hpp"

namespace keras::saving {

class WeightBudget {
 public:
  // bytes: the most that the weights may take (the size of the weights file).
  explicit WeightBudget(std::int64_t bytes);
  ~WeightBudget();
  WeightBudget(const WeightBudget&) = delete;
  WeightBudget& operator=(const WeightBudget&) = delete;

  // Called by add_weight: throws keras::Error naming the layer and weight
  // when the weight does not fit (or its size overflows), else takes its bytes.
  static void charge(const std::string& owner, const std::string& weight, const Shape& shape,
                     DType dtype);

 private:
  std::int64_t bytes_;
  std::int64_t left_;
  WeightBudget* outer_;
};

}  // namespace keras::saving
