#pragma once
// keras::Tensor: a row-major, contiguous, 64-byte aligned array with a shape and
// a dtype. Copying a Tensor is cheap and shares its storage (as Python names
// share an array); clone() makes an independent copy. Tensor methods are plain
// data operations: the differentiable operations are in keras::ops.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "keras/dtype.hpp"
#include "keras/error.hpp"
#include "keras/shape.hpp"

namespace keras {

namespace detail {
struct Storage;
struct TensorImpl;
}  // namespace detail

class Tensor {
 public:
  Tensor() = default;  // an undefined tensor: defined() is false
  // Tensor({1, 3, 2}, {1, 2, 3, 4, 5, 6}): float32, the default dtype.
  Tensor(Shape shape, std::initializer_list<float> values);
  Tensor(Shape shape, std::vector<float> values);
  Tensor(Shape shape, std::vector<double> values);
  Tensor(Shape shape, std::vector<std::int32_t> values);
  Tensor(Shape shape, std::vector<std::int64_t> values);
  Tensor(Shape shape, std::vector<std::uint8_t> values);
  Tensor(Shape shape, std::vector<bool> values);

  // Uninitialised storage of the given shape (which must be fully defined).
  static Tensor empty(const Shape& shape, DType dtype = DType::float32);
  static Tensor zeros(const Shape& shape, DType dtype = DType::float32);
  static Tensor ones(const Shape& shape, DType dtype = DType::float32);
  static Tensor full(const Shape& shape, double value, DType dtype = DType::float32);
  // A 0-d tensor.
  static Tensor scalar(double value, DType dtype = DType::float32);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  DType dtype() const;
  int rank() const { return shape().rank(); }
  std::int64_t size() const;  // number of elements
  std::size_t nbytes() const;

  // Typed access; throws keras::Error if T does not match dtype().
  template <class T>
  T* data();
  template <class T>
  const T* data() const;
  void* raw_data();
  const void* raw_data() const;

  // The values, converted to T, in row-major order.
  template <class T>
  std::vector<T> to_vector() const;
  // The single value of a one-element tensor, converted to T.
  template <class T>
  T item() const;

  // A view with another shape and the same storage; one dimension may be -1.
  Tensor reshape(const Shape& shape) const;
  // Rows [begin, end) of axis 0 as a view on the same storage.
  Tensor slice_rows(std::int64_t begin, std::int64_t end) const;
  Tensor clone() const;
  Tensor astype(DType dtype) const;
  // Copies other's values into this tensor's storage (same shape and dtype).
  void copy_from(const Tensor& other);
  void fill(double value);

  // Identity of this tensor object (not of its storage), used by GradientTape.
  const void* id() const { return impl_.get(); }
  // True when both share the same storage buffer.
  bool shares_storage_with(const Tensor& other) const;

  std::string to_string() const;  // "Tensor(shape=(2, 3), dtype=float32, values=[...])"

 private:
  explicit Tensor(std::shared_ptr<detail::TensorImpl> impl) : impl_(std::move(impl)) {}
  void check_dtype(DType expected) const;
  std::shared_ptr<detail::TensorImpl> impl_;
};

template <class T>
T* Tensor::data() {
  check_dtype(dtype_of<T>());
  return static_cast<T*>(raw_data());
}

template <class T>
const T* Tensor::data() const {
  check_dtype(dtype_of<T>());
  return static_cast<const T*>(raw_data());
}

}  // namespace keras
