#pragma once
// NumPy's .npy files, as numpy.load / numpy.save read and write them.
//
// Reading accepts format versions 1.0, 2.0 and 3.0; the dtypes float32, float64,
// int32, int64, uint8 and bool in either byte order ('<f4', '>f8', '|u1', '|b1', ...);
// C and Fortran order (a Fortran-order array is transposed into the row-major
// order a keras::Tensor uses); 0-d and empty arrays. Files are treated as
// untrusted: every field of the header is checked, and the data size it implies
// is compared with what the file holds before anything is allocated. Any problem
// is a keras::Error naming the file and the field.
#include <string>
#include <string_view>

#include "keras/tensor.hpp"

namespace keras::io {

// Reads a .npy file into a tensor of the same dtype and shape (numpy.load).
Tensor load_npy(const std::string& path);

// Writes a tensor as a little-endian, C-order .npy file (numpy.save): format 1.0,
// or 2.0 when the header does not fit in 1.0's 64 KiB.
void save_npy(const std::string& path, const Tensor& tensor);

// The same two, in memory: decode_npy reads the bytes of a whole .npy file
// (source names them in error messages); encode_npy returns the bytes save_npy
// writes. Useful for .npy files inside archives.
Tensor decode_npy(std::string_view bytes, const std::string& source = "<memory>");
std::string encode_npy(const Tensor& tensor);

}  // namespace keras::io
