// Reductions over every subset of axes against the element-by-element reference.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "backend/cpu/reduce.hpp"

namespace {

namespace cpu = keras::backend::cpu;
using keras::Shape;

template <class R, class T>
void check_all_masks(const Shape& shape) {
  const std::int64_t n = shape.num_elements();
  std::mt19937_64 gen(7);
  std::uniform_int_distribution<int> dist(-50, 50);
  std::vector<T> in(static_cast<std::size_t>(n));
  for (T& v : in) v = static_cast<T>(dist(gen));  // integers: sums are exact in any order
  for (unsigned mask = 0; mask < (1u << shape.rank()); ++mask) {
    SCOPED_TRACE(::testing::Message() << shape.to_string() << " mask " << mask);
    const cpu::ReducePlan plan = cpu::plan_reduce(shape, mask);
    std::vector<T> fast(static_cast<std::size_t>(plan.out_size)), ref(fast.size());
    cpu::reduce<R>(plan, in.data(), fast.data());
    cpu::reference_reduce<R>(shape, mask, in.data(), ref.data());
    EXPECT_EQ(fast, ref);
  }
}

TEST(Reduce, SumMatchesReferenceForEveryAxisSet) {
  check_all_masks<cpu::SumReducer, float>({2, 3, 4, 5});
  check_all_masks<cpu::SumReducer, double>({3, 1, 4, 2});
  check_all_masks<cpu::SumReducer, std::int64_t>({1, 5, 1, 3});
  check_all_masks<cpu::SumReducer, float>({4, 300, 129});  // threaded paths
}

TEST(Reduce, MaxAndMinMatchReference) {
  check_all_masks<cpu::MaxReducer, float>({2, 3, 4, 5});
  check_all_masks<cpu::MinReducer, double>({3, 2, 4});
  check_all_masks<cpu::MaxReducer, std::int32_t>({6, 1, 7});
}

TEST(Reduce, EverythingIntoOneValueSplitAcrossThreads) {
  const std::int64_t n = 1 << 20;
  std::vector<float> in(static_cast<std::size_t>(n), 0.5f);
  float out = 0;
  cpu::reduce<cpu::SumReducer>(cpu::plan_reduce(Shape{n}, 1u), in.data(), &out);
  EXPECT_EQ(out, 0.5f * static_cast<float>(n));
}

TEST(Reduce, EmptyInputGivesTheIdentity) {
  float out[3] = {1, 2, 3};
  cpu::reduce<cpu::SumReducer>(cpu::plan_reduce(Shape{0, 3}, 1u), static_cast<float*>(nullptr),
                               out);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[2], 0.0f);
}

}  // namespace
