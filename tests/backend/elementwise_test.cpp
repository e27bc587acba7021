// Broadcasting loops against the index-by-index reference.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "backend/cpu/elementwise.hpp"

namespace {

namespace cpu = keras::backend::cpu;
using keras::Shape;

std::vector<float> iota(std::int64_t n, float scale) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>(i + 1);
  return v;
}

Shape broadcast(const Shape& a, const Shape& b) {
  const int rank = std::max(a.rank(), b.rank());
  std::vector<std::int64_t> d(static_cast<std::size_t>(rank));
  for (int i = 0; i < rank; ++i) {
    const int ia = i - (rank - a.rank()), ib = i - (rank - b.rank());
    const std::int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    d[i] = da == 1 ? db : da;
  }
  return Shape(d);
}

void check(const Shape& sa, const Shape& sb) {
  SCOPED_TRACE(sa.to_string() + " op " + sb.to_string());
  const Shape out = broadcast(sa, sb);
  const auto a = iota(sa.num_elements(), 1.0f);
  const auto b = iota(sb.num_elements(), 0.001f);
  std::vector<float> fast(static_cast<std::size_t>(out.num_elements())), ref(fast.size());
  auto f = [](float x, float y) { return x * 3.0f - y; };
  cpu::map_binary(cpu::plan_broadcast<2>({sa, sb}, out), a.data(), b.data(), fast.data(), 1, f);
  cpu::reference_map_binary(sa, a.data(), sb, b.data(), out, ref.data(), f);
  EXPECT_EQ(fast, ref);
}

TEST(MapBinary, MatchesReferenceOnBroadcastShapes) {
  check({3, 4}, {3, 4});
  check({3, 4}, {4});
  check({3, 4}, {3, 1});
  check({3, 1}, {1, 4});
  check({}, {2, 3});
  check({2, 3}, {});
  check({2, 1, 4, 1}, {3, 1, 5});
  check({5, 1, 1, 7}, {5, 6, 1, 7});
  check({1, 1}, {1});
  check({2, 3, 4, 5}, {3, 1, 5});
  check({0, 3}, {3});
  check({3, 0}, {1, 0});
  check({2, 0, 3}, {1, 3});
}

TEST(MapBinary, LargeTensorsMatchReference) {
  // Big enough to run on several threads.
  check({300, 513}, {513});
  check({300, 1}, {300, 513});
  check({1 << 18}, {1 << 18});
}

TEST(MapTernary, SelectsAndBroadcasts) {
  const Shape sc{2, 1}, sa{2, 3}, sb{3};
  const bool c[] = {true, false};
  const float a[] = {1, 2, 3, 4, 5, 6}, b[] = {-1, -2, -3};
  float out[6];
  cpu::map_ternary(cpu::plan_broadcast<3>({sc, sa, sb}, Shape{2, 3}), c, a, b, out, 1,
                   [](bool cv, float av, float bv) { return cv ? av : bv; });
  const std::vector<float> got(out, out + 6), expected{1, 2, 3, -1, -2, -3};
  EXPECT_EQ(got, expected);
}

TEST(BroadcastCopy, RepeatsAlongBroadcastAxes) {
  const float in[] = {1, 2, 3};
  float out[12];
  cpu::broadcast_copy(Shape{3, 1}, in, Shape{2, 3, 2}, out);
  const std::vector<float> got(out, out + 12), expected{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3};
  EXPECT_EQ(got, expected);
}

}  // namespace
