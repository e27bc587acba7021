// NotEqual (keras/src/ops/numpy.py): x1 != x2 element-wise, a bool tensor.
// Embedding(mask_zero=True) records not_equal(inputs, 0) as its mask, and
// Masking not_equal(inputs, mask_value) before reducing it with Any.
#include <algorithm>
#include <optional>

#include "keras/ops.hpp"
#include "layers/layer_config.hpp"
#include "operations/operation.hpp"

namespace keras::operations {

namespace {

bool is_keras_tensor(const json& v) {
  return v.is_object() && v.contains("class_name") && v.at("class_name") == "__keras_tensor__";
}

// numpy broadcasting of two symbolic shapes (None stays None unless the
// other dimension fixes it).
std::optional<Shape> broadcast(const Shape& a, const Shape& b) {
  const int rank = std::max(a.rank(), b.rank());
  std::vector<std::int64_t> dims(static_cast<std::size_t>(rank));
  for (int i = 1; i <= rank; ++i) {
    const std::int64_t x = i <= a.rank() ? a[a.rank() - i] : 1;
    const std::int64_t y = i <= b.rank() ? b[b.rank() - i] : 1;
    std::int64_t d;
    if (x == 1) {
      d = y;
    } else if (y == 1) {
      d = x;
    } else if (x == None || y == None) {
      d = x == None ? y : x;
    } else if (x == y) {
      d = x;
    } else {
      return std::nullopt;
    }
    dims[static_cast<std::size_t>(rank - i)] = d;
  }
  return Shape(dims);
}

class NotEqualImpl final : public OperationImpl {
 public:
  // value: the second argument when it is a number (not_equal(x, 0)); none
  // when both arguments are tensors.
  NotEqualImpl(const std::string& name, std::optional<json> value)
      : OperationImpl("NotEqual", name), value_(std::move(value)) {}

  int num_inputs() const override { return value_ ? 1 : 2; }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    return {compute(inputs)};
  }
  // Into the runner's vector: a warm predict makes no bookkeeping here.
  void call_into(const std::vector<Tensor>& inputs, const CallContext&,
                 std::vector<Tensor>& outputs) override {
    outputs.resize(1);
    outputs[0] = compute(inputs);
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_num_inputs(input_shapes.size());
    if (value_) return {input_shapes[0]};
    const std::optional<Shape> out = broadcast(input_shapes[0], input_shapes[1]);
    if (!out) {
      throw Error(describe() + " cannot broadcast shapes " + input_shapes[0].to_string() + " and " +
                  input_shapes[1].to_string() + ".");
    }
    return {*out};
  }

  std::vector<DType> compute_output_dtype(const std::vector<DType>&,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, DType::bool_);
  }

  json node_args(std::vector<json> tensors) const override {
    json args = json::array();
    for (json& t : tensors) args.push_back(std::move(t));
    if (value_) args.push_back(*value_);
    return args;
  }

  void read_node_args(const json& args) override {
    if (!args.is_array() || args.size() != 2 || !is_keras_tensor(args[0])) {
      throw Error(describe() + " takes a tensor and a number or a second tensor, got args " +
                  args.dump() + ".");
    }
    if (is_keras_tensor(args[1])) {
      value_.reset();
    } else if (args[1].is_number() || args[1].is_boolean()) {
      value_ = args[1].is_boolean() ? json(args[1].get<bool>() ? 1 : 0) : args[1];
    } else {
      throw Error(describe() + " compares with a number or a tensor, got " + args[1].dump() + ".");
    }
  }

 private:
  Tensor compute(const std::vector<Tensor>& inputs) const {
    check_num_inputs(inputs.size());
    if (!value_) return ops::not_equal(inputs[0], inputs[1]);
    const Tensor& x = inputs[0];
    const double v = value_->get<double>();
    // A fractional value compares with integers as a float, as numpy promotes.
    if (!is_floating(x.dtype()) && value_->is_number_float() &&
        v != static_cast<double>(static_cast<std::int64_t>(v))) {
      return ops::not_equal(x.astype(DType::float64), Tensor::scalar(v, DType::float64));
    }
    return ops::not_equal(x, Tensor::scalar(v, x.dtype()));
  }

  std::optional<json> value_;
};

}  // namespace

KerasTensor not_equal(const KerasTensor& x, const json& value) {
  if (!value.is_number()) throw Error("not_equal: the value must be a number, got " + value.dump());
  auto op = std::make_shared<NotEqualImpl>("", value);
  return op->apply_symbolic({x}, false).at(0);
}

std::shared_ptr<OperationImpl> not_equal_from_config(const json& config) {
  const layers::LayerConfig c("NotEqual", config);
  // The compared value comes with the call (read_node_args).
  return std::make_shared<NotEqualImpl>(c.string("name"), json(0));
}

}  // namespace keras::operations
