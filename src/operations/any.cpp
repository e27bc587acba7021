// Any (keras/src/ops/numpy.py): whether any element is true (nonzero) along
// the given axes. Masking records any(not_equal(inputs, mask_value), axis=-1)
// as its mask: a step is kept when one of its features differs.
#include <array>

#include "layers/layer_config.hpp"
#include "operations/operation.hpp"

namespace keras::operations {

namespace {

using AxisFlags = std::array<bool, Shape::kMaxRank>;

bool is_keras_tensor(const json& v) {
  return v.is_object() && v.contains("class_name") && v.at("class_name") == "__keras_tensor__";
}

class AnyImpl final : public OperationImpl {
 public:
  AnyImpl(const std::string& name, json axis, bool keepdims)
      : OperationImpl("Any", name), axis_(std::move(axis)), keepdims_(keepdims) {
    if (!axis_.is_null() && !axis_.is_number_integer() && !axis_.is_array()) {
      throw Error(describe() + ": axis must be an integer, a list of integers or null, got " +
                  axis_.dump() + ".");
    }
  }

  std::vector<Tensor> call(const std::vector<Tensor>& inputs, const CallContext&) override {
    check_num_inputs(inputs.size());
    return {compute(inputs[0])};
  }
  // Into the runner's vector: a warm predict makes no bookkeeping here.
  void call_into(const std::vector<Tensor>& inputs, const CallContext&,
                 std::vector<Tensor>& outputs) override {
    check_num_inputs(inputs.size());
    outputs.resize(1);
    outputs[0] = compute(inputs[0]);
  }

  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override {
    check_num_inputs(input_shapes.size());
    const Shape& shape = input_shapes[0];
    return {reduce(shape, reduced_axes(shape.rank()))};
  }

  std::vector<DType> compute_output_dtype(const std::vector<DType>&,
                                          std::size_t num_outputs) const override {
    return std::vector<DType>(num_outputs, DType::bool_);
  }

  json node_args(std::vector<json> tensors) const override {
    json args = json::array();
    for (json& t : tensors) args.push_back(std::move(t));
    return args;
  }

  void read_node_args(const json& args) override {
    if (!args.is_array() || args.size() != 1 || !is_keras_tensor(args[0])) {
      throw Error(describe() +
                  " takes one tensor argument (axis and keepdims are in its config), got args " +
                  args.dump() + ".");
    }
  }

 protected:
  void write_arguments(json& config) const override {
    config["axis"] = axis_;
    config["keepdims"] = keepdims_;
  }

 private:
  // Which axes of a tensor of this rank "axis" names (every one for null).
  AxisFlags reduced_axes(int rank) const {
    AxisFlags reduced{};
    if (axis_.is_null()) {
      for (int i = 0; i < rank; ++i) reduced[static_cast<std::size_t>(i)] = true;
      return reduced;
    }
    auto mark = [&](const json& a) {
      if (!a.is_number_integer()) {
        throw Error(describe() + ": axis must be integers, got " + axis_.dump() + ".");
      }
      const auto v = a.get<std::int64_t>();
      if (v < -rank || v >= rank) {
        throw Error(describe() + ": axis " + std::to_string(v) +
                    " is out of range for a tensor of rank " + std::to_string(rank) + ".");
      }
      const auto k = static_cast<std::size_t>(v < 0 ? v + rank : v);
      if (reduced[k]) throw Error(describe() + ": axis " + std::to_string(k) + " is given twice.");
      reduced[k] = true;
    };
    if (axis_.is_array()) {
      for (const json& a : axis_) mark(a);
    } else {
      mark(axis_);
    }
    return reduced;
  }

  Shape reduce(const Shape& shape, const AxisFlags& reduced) const {
    Shape out = shape;
    int kept = 0;
    for (int i = 0; i < shape.rank(); ++i) {
      if (!reduced[static_cast<std::size_t>(i)]) {
        out[kept++] = shape[i];
      } else if (keepdims_) {
        out[kept++] = 1;
      }
    }
    return out.slice(0, kept);
  }

  Tensor compute(const Tensor& input) const {
    const Tensor x = input.dtype() == DType::bool_ ? input : input.astype(DType::bool_);
    const Shape& shape = x.shape();
    const int rank = shape.rank();
    const AxisFlags reduced = reduced_axes(rank);
    Tensor out = Tensor::zeros(reduce(shape, reduced), DType::bool_);
    // Each input element ORs into the output element whose index is its own
    // with the reduced axes dropped (row-major strides of the output).
    std::array<std::int64_t, Shape::kMaxRank> out_stride{};
    std::array<std::int64_t, Shape::kMaxRank> index{};
    std::int64_t stride = 1;
    for (int i = rank - 1; i >= 0; --i) {
      const auto u = static_cast<std::size_t>(i);
      if (reduced[u]) continue;
      out_stride[u] = stride;
      stride *= shape[i];
    }
    const bool* in = x.data<bool>();
    bool* o = out.data<bool>();
    const std::int64_t n = shape.num_elements();
    std::int64_t at = 0;  // the output position of `index`
    for (std::int64_t k = 0; k < n; ++k) {
      if (in[k]) o[at] = true;
      for (int i = rank - 1; i >= 0; --i) {  // the next index, row-major
        const auto u = static_cast<std::size_t>(i);
        at += out_stride[u];
        if (++index[u] < shape[i]) break;
        at -= out_stride[u] * index[u];
        index[u] = 0;
      }
    }
    return out;
  }

  json axis_;
  bool keepdims_;
};

}  // namespace

KerasTensor any(const KerasTensor& x, const json& axis, bool keepdims) {
  auto op = std::make_shared<AnyImpl>("", axis, keepdims);
  return op->apply_symbolic({x}, false).at(0);
}

std::shared_ptr<OperationImpl> any_from_config(const json& config) {
  const layers::LayerConfig c("Any", config);
  const auto axis = config.find("axis");
  return std::make_shared<AnyImpl>(c.string("name"), axis == config.end() ? json(nullptr) : *axis,
                                   c.boolean("keepdims", false));
}

}  // namespace keras::operations
