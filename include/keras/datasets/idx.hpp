#pragma once
// The IDX format of the MNIST family of data sets (optionally gzip-compressed):
// a big-endian header with the element type and dimensions, then the values.
#include <string>

#include "keras/tensor.hpp"

namespace keras::datasets {

// Reads an .idx / .idx.gz file of unsigned bytes (type 0x08) or 32-bit ints
// (0x0C, returned as int32). The file is untrusted: the header is checked
// against the data actually present before anything is allocated, and every
// failure is a keras::Error naming the file and what was wrong.
Tensor load_idx(const std::string& path);
// The same, from bytes already in memory (what load_idx reads after gunzip).
Tensor parse_idx(const std::string& bytes, const std::string& source_name);

}  // namespace keras::datasets
