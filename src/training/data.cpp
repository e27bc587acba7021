#include "training/data.hpp"

#include <cmath>
#include <cstring>

#include "backend/cpu/parallel.hpp"

namespace keras::training {

std::int64_t validation_split_at(std::int64_t n, double split) {
  if (split < 0.0 || split >= 1.0) {
    throw Error("validation_split must be in [0, 1), got " + std::to_string(split) + ".");
  }
  const std::int64_t at = static_cast<std::int64_t>(std::floor(static_cast<double>(n) * (1.0 - split)));
  if (split > 0.0 && (at == 0 || at == n)) {
    throw Error("validation_split=" + std::to_string(split) + " leaves " +
                (at == 0 ? std::string("no training samples") : std::string("no validation samples")) +
                " out of " + std::to_string(n) + ".");
  }
  return at;
}

void gather_rows(const Tensor& x, const std::vector<std::int64_t>& indices, std::int64_t begin,
                 std::int64_t end, Tensor& out) {
  const Shape shape = x.shape().with_dim(0, end - begin);
  if (!out.defined() || out.shape() != shape || out.dtype() != x.dtype()) {
    out = Tensor::empty(shape, x.dtype());
  }
  const std::size_t row_bytes =
      x.shape()[0] == 0 ? 0 : x.nbytes() / static_cast<std::size_t>(x.shape()[0]);
  const char* src = static_cast<const char*>(x.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
  // Rows are scattered over the whole data set, each byte a likely cache
  // miss: two threads fetch them faster than one.
  const auto cost = static_cast<std::int64_t>(row_bytes + 1);
  backend::cpu::parallel_for(end - begin, cost, [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t i = begin + first; i < begin + last; ++i) {
      std::memcpy(dst + (i - begin) * row_bytes, src + indices[i] * row_bytes, row_bytes);
    }
  });
}

std::int64_t num_samples(const std::vector<std::vector<Tensor>>& arrays,
                         const std::vector<std::string>& what) {
  std::int64_t n = -1;
  std::string first;
  for (std::size_t a = 0; a < arrays.size(); ++a) {
    for (std::size_t i = 0; i < arrays[a].size(); ++i) {
      const Tensor& t = arrays[a][i];
      if (!t.defined()) continue;
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on a + chain here.
      std::string name = what[a];
      if (arrays[a].size() > 1) {
        name += '[';
        name += std::to_string(i);
        name += ']';
      }
      if (t.rank() == 0) throw Error(name + " must have a batch dimension, got a scalar.");
      if (n < 0) {
        n = t.shape()[0];
        first = name;
      } else if (t.shape()[0] != n) {
        throw Error("Data cardinality is ambiguous: " + first + " has " + std::to_string(n) +
                    " samples but " + name + " has " + std::to_string(t.shape()[0]) +
                    ". Make sure all arrays contain the same number of samples.");
      }
    }
  }
  return n < 0 ? 0 : n;
}

}  // namespace keras::training
