// transpose against the reference on every permutation and element size.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "backend/cpu/transpose.hpp"

namespace {

namespace cpu = keras::backend::cpu;
using keras::Shape;

void check_all_permutations(const Shape& shape, std::size_t element_size) {
  const std::size_t bytes = static_cast<std::size_t>(shape.num_elements()) * element_size;
  std::vector<unsigned char> in(bytes);
  for (std::size_t i = 0; i < bytes; ++i) in[i] = static_cast<unsigned char>(i * 7 + i / 251);
  std::vector<int> perm(static_cast<std::size_t>(shape.rank()));
  std::iota(perm.begin(), perm.end(), 0);
  do {
    std::vector<unsigned char> fast(bytes), ref(bytes);
    cpu::transpose(in.data(), fast.data(), element_size, shape, perm.data());
    cpu::reference_transpose(in.data(), ref.data(), element_size, shape, perm.data());
    EXPECT_EQ(fast, ref) << shape.to_string() << " element size " << element_size;
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(Transpose, MatchesReferenceForEveryPermutation) {
  for (std::size_t size : {1, 4, 8}) {
    check_all_permutations({2, 3, 4}, size);
    check_all_permutations({3, 1, 5, 2}, size);
    check_all_permutations({37, 45}, size);  // several tiles, ragged edges
  }
  check_all_permutations({64, 300}, 4);  // threaded
}

}  // namespace
