#pragma once
// Permutes the axes of a row-major array into a new row-major array (numpy's
// transpose followed by a contiguous copy). Works on raw bytes, so on every dtype.
#include <cstddef>

#include "keras/shape.hpp"

namespace keras::backend::cpu {

// out.shape[i] = in_shape[perm[i]].
void transpose(const void* in, void* out, std::size_t element_size, const Shape& in_shape,
               const int* perm);
void reference_transpose(const void* in, void* out, std::size_t element_size,
                         const Shape& in_shape, const int* perm);

}  // namespace keras::backend::cpu
