#pragma once
// Softmax and log-softmax along one axis of a tensor seen as (outer, n, inner):
// n is the softmax axis, inner the elements after it. Numerically stable
// (the maximum is subtracted first). reference_softmax is the plain version.
#include <cstdint>

namespace keras::backend::cpu {

template <class T>
void softmax(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner);
template <class T>
void log_softmax(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner);
// dx = y * (dy - sum(dy * y)) along the axis, y being softmax's output.
template <class T>
void softmax_backward(const T* y, const T* dy, T* dx, std::int64_t outer, std::int64_t n,
                      std::int64_t inner);
// dx = dy - exp(y) * sum(dy) along the axis, y being log_softmax's output.
template <class T>
void log_softmax_backward(const T* y, const T* dy, T* dx, std::int64_t outer, std::int64_t n,
                          std::int64_t inner);

template <class T>
void reference_softmax(const T* x, T* y, std::int64_t outer, std::int64_t n, std::int64_t inner);
template <class T>
void reference_log_softmax(const T* x, T* y, std::int64_t outer, std::int64_t n,
                           std::int64_t inner);

}  // namespace keras::backend::cpu
