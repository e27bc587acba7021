#include "keras/tensor.hpp"

#include <cstring>
#include <sstream>

#include "backend/allocator.hpp"
#include "backend/cpu/parallel.hpp"
#include "backend/small_object_pool.hpp"

namespace keras {

namespace detail {

struct Storage {
  void* ptr = nullptr;
  std::size_t bytes = 0;
  explicit Storage(std::size_t n) : ptr(backend::allocate(n)), bytes(n) {}
  ~Storage() { backend::deallocate(ptr, bytes); }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  std::size_t offset = 0;  // bytes from the start of storage
  Shape shape;
  DType dtype = DType::float32;
};

}  // namespace detail

namespace {

// Handles and storage records come from the small-object pool, so creating
// a tensor in a warm loop does not call operator new.
template <class T, class... Args>
std::shared_ptr<T> make_pooled(Args&&... args) {
  return std::allocate_shared<T>(backend::PoolAllocator<T>{}, std::forward<Args>(args)...);
}

std::shared_ptr<detail::TensorImpl> make_impl(const Shape& shape, DType dtype) {
  if (!shape.is_fully_defined()) {
    throw Error("Cannot create a tensor of shape " + shape.to_string() +
                ": every dimension must be known.");
  }
  auto impl = make_pooled<detail::TensorImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  impl->storage =
      make_pooled<detail::Storage>(static_cast<std::size_t>(shape.num_elements()) *
                                        dtype_size(dtype));
  return impl;
}

template <class T>
void check_count(const Shape& shape, std::size_t count) {
  const std::int64_t expected = shape.num_elements();
  if (static_cast<std::int64_t>(count) != expected) {
    throw Error("Tensor of shape " + shape.to_string() + " needs " + std::to_string(expected) +
                " values, got " + std::to_string(count) + ".");
  }
}

template <class Src, class Dst>
void convert(const Src* src, Dst* dst, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) dst[i] = static_cast<Dst>(src[i]);
}

// Calls f(ptr) with ptr typed as the dtype's C++ type.
template <class F>
void visit(DType dtype, void* ptr, F&& f) {
  switch (dtype) {
    case DType::float32: f(static_cast<float*>(ptr)); break;
    case DType::float64: f(static_cast<double*>(ptr)); break;
    case DType::int32: f(static_cast<std::int32_t*>(ptr)); break;
    case DType::int64: f(static_cast<std::int64_t*>(ptr)); break;
    case DType::uint8: f(static_cast<std::uint8_t*>(ptr)); break;
    case DType::bool_: f(static_cast<bool*>(ptr)); break;
  }
}

}  // namespace

#define KERASCPP_TENSOR_FROM_VECTOR(T)                                    \
  Tensor::Tensor(Shape shape, std::vector<T> values) {                    \
    check_count<T>(shape, values.size());                                 \
    impl_ = make_impl(shape, dtype_of<T>());                              \
    if (!values.empty()) std::memcpy(raw_data(), values.data(), nbytes()); \
  }
KERASCPP_TENSOR_FROM_VECTOR(float)
KERASCPP_TENSOR_FROM_VECTOR(double)
KERASCPP_TENSOR_FROM_VECTOR(std::int32_t)
KERASCPP_TENSOR_FROM_VECTOR(std::int64_t)
KERASCPP_TENSOR_FROM_VECTOR(std::uint8_t)
#undef KERASCPP_TENSOR_FROM_VECTOR

Tensor::Tensor(Shape shape, std::initializer_list<float> values)
    : Tensor(shape, std::vector<float>(values)) {}

Tensor::Tensor(Shape shape, std::vector<bool> values) {
  check_count<bool>(shape, values.size());
  impl_ = make_impl(shape, DType::bool_);
  bool* out = static_cast<bool*>(raw_data());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i];
}

Tensor Tensor::empty(const Shape& shape, DType dtype) { return Tensor(make_impl(shape, dtype)); }

Tensor Tensor::zeros(const Shape& shape, DType dtype) {
  Tensor t = empty(shape, dtype);
  std::memset(t.raw_data(), 0, t.nbytes());
  return t;
}

Tensor Tensor::ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
  Tensor t = empty(shape, dtype);
  t.fill(value);
  return t;
}

Tensor Tensor::scalar(double value, DType dtype) { return full(Shape{}, value, dtype); }

const Shape& Tensor::shape() const {
  if (!impl_) throw Error("Use of an undefined tensor.");
  return impl_->shape;
}

DType Tensor::dtype() const {
  if (!impl_) throw Error("Use of an undefined tensor.");
  return impl_->dtype;
}

std::int64_t Tensor::size() const { return shape().num_elements(); }

std::size_t Tensor::nbytes() const {
  return static_cast<std::size_t>(size()) * dtype_size(dtype());
}

void* Tensor::raw_data() {
  if (!impl_) throw Error("Use of an undefined tensor.");
  return static_cast<char*>(impl_->storage->ptr) + impl_->offset;
}

const void* Tensor::raw_data() const {
  if (!impl_) throw Error("Use of an undefined tensor.");
  return static_cast<const char*>(impl_->storage->ptr) + impl_->offset;
}

void Tensor::check_dtype(DType expected) const {
  if (dtype() != expected) {
    throw Error("Tensor of dtype " + std::string(dtype_name(dtype())) + " accessed as " +
                std::string(dtype_name(expected)) + ".");
  }
}

template <class T>
std::vector<T> Tensor::to_vector() const {
  std::vector<T> out(static_cast<std::size_t>(size()));
  visit(dtype(), const_cast<void*>(raw_data()),
        [&](auto* src) { convert(src, out.data(), size()); });
  return out;
}

template <>
std::vector<bool> Tensor::to_vector<bool>() const {
  std::vector<bool> out(static_cast<std::size_t>(size()));
  visit(dtype(), const_cast<void*>(raw_data()), [&](auto* src) {
    for (std::int64_t i = 0; i < size(); ++i) out[i] = src[i] != 0;
  });
  return out;
}

template <class T>
T Tensor::item() const {
  if (size() != 1) {
    throw Error("item() needs a tensor with one element, got shape " + shape().to_string() + ".");
  }
  T value{};
  visit(dtype(), const_cast<void*>(raw_data()),
        [&](auto* src) { value = static_cast<T>(src[0]); });
  return value;
}

template std::vector<float> Tensor::to_vector<float>() const;
template std::vector<double> Tensor::to_vector<double>() const;
template std::vector<std::int32_t> Tensor::to_vector<std::int32_t>() const;
template std::vector<std::int64_t> Tensor::to_vector<std::int64_t>() const;
template std::vector<std::uint8_t> Tensor::to_vector<std::uint8_t>() const;
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template std::int32_t Tensor::item<std::int32_t>() const;
template std::int64_t Tensor::item<std::int64_t>() const;
template std::uint8_t Tensor::item<std::uint8_t>() const;
template bool Tensor::item<bool>() const;

Tensor Tensor::reshape(const Shape& new_shape) const {
  const std::int64_t n = size();
  Shape target = new_shape;
  int unknown = -1;
  std::int64_t known = 1;
  for (int i = 0; i < target.rank(); ++i) {
    if (target[i] == None) {
      if (unknown >= 0) {
        throw Error("Cannot reshape " + shape().to_string() + " to " + new_shape.to_string() +
                    ": only one dimension may be -1.");
      }
      unknown = i;
    } else {
      known *= target[i];
    }
  }
  if (unknown >= 0) {
    if (known == 0 || n % known != 0) {
      throw Error("Cannot reshape a tensor of shape " + shape().to_string() + " (" +
                  std::to_string(n) + " values) to " + new_shape.to_string() + ".");
    }
    target[unknown] = n / known;
  } else if (known != n) {
    throw Error("Cannot reshape a tensor of shape " + shape().to_string() + " (" +
                std::to_string(n) + " values) to " + new_shape.to_string() + " (" +
                std::to_string(known) + " values).");
  }
  auto impl = make_pooled<detail::TensorImpl>(*impl_);
  impl->shape = target;
  return Tensor(impl);
}

Tensor Tensor::slice_rows(std::int64_t begin, std::int64_t end) const {
  if (rank() == 0 || begin < 0 || end < begin || end > shape()[0]) {
    throw Error("Rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                ") are out of range for a tensor of shape " + shape().to_string() + ".");
  }
  const std::int64_t row = shape()[0] == 0 ? 0 : size() / shape()[0];
  auto impl = make_pooled<detail::TensorImpl>(*impl_);
  impl->shape[0] = end - begin;
  impl->offset += static_cast<std::size_t>(begin * row) * dtype_size(dtype());
  return Tensor(impl);
}

Tensor Tensor::clone() const {
  Tensor t = empty(shape(), dtype());
  if (nbytes() > 0) std::memcpy(t.raw_data(), raw_data(), nbytes());
  return t;
}

Tensor Tensor::astype(DType target) const {
  if (target == dtype()) return clone();
  Tensor t = empty(shape(), target);
  const std::int64_t n = size();
  visit(dtype(), const_cast<void*>(raw_data()), [&](auto* src) {
    visit(target, t.raw_data(), [&](auto* dst) {
      using D = std::remove_pointer_t<decltype(dst)>;
      // A training batch is cast on every step (uint8 images to float32):
      // on one thread that pass held the other waiting.
      backend::cpu::parallel_for(n, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          if constexpr (std::is_same_v<D, bool>) {
            dst[i] = src[i] != 0;
          } else {
            dst[i] = static_cast<D>(src[i]);
          }
        }
      });
    });
  });
  return t;
}

void Tensor::copy_from(const Tensor& other) {
  if (other.shape() != shape() || other.dtype() != dtype()) {
    throw Error("Cannot copy a tensor of shape " + other.shape().to_string() + " and dtype " +
                std::string(dtype_name(other.dtype())) + " into one of shape " +
                shape().to_string() + " and dtype " + std::string(dtype_name(dtype())) + ".");
  }
  if (nbytes() > 0 && raw_data() != other.raw_data()) {
    std::memmove(raw_data(), other.raw_data(), nbytes());
  }
}

void Tensor::fill(double value) {
  const std::int64_t n = size();
  visit(dtype(), raw_data(), [&](auto* dst) {
    using D = std::remove_pointer_t<decltype(dst)>;
    const D v = static_cast<D>(value);
    for (std::int64_t i = 0; i < n; ++i) dst[i] = v;
  });
}

bool Tensor::shares_storage_with(const Tensor& other) const {
  return impl_ && other.impl_ && impl_->storage == other.impl_->storage;
}

std::string Tensor::to_string() const {
  if (!impl_) return "Tensor(undefined)";
  std::ostringstream os;
  os << "Tensor(shape=" << shape().to_string() << ", dtype=" << dtype_name(dtype())
     << ", values=[";
  const std::int64_t n = size();
  const std::int64_t shown = n > 20 ? 20 : n;
  std::vector<double> values = to_vector<double>();
  for (std::int64_t i = 0; i < shown; ++i) os << (i ? ", " : "") << values[i];
  if (shown < n) os << ", ...";
  os << "])";
  return os.str();
}

}  // namespace keras
