// The subnormal-flushing scopes: on inside, back to IEEE outside, on the
// calling thread and on the OpenMP workers.
#include "backend/cpu/denormals.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <vector>

namespace {

using keras::backend::cpu::FlushDenormals;
using keras::backend::cpu::FlushDenormalsOnWorkers;

// Half of a small normal float: subnormal in IEEE arithmetic, zero when
// flushed. volatile keeps the compiler from folding it.
float half_of_smallest_normal() {
  volatile float tiny = 1.17549435e-38f;
  volatile float half = 0.5f;
  return tiny * half;
}

// What each OpenMP thread of a full team computes.
std::vector<float> on_every_thread() {
  std::vector<float> out(static_cast<std::size_t>(omp_get_max_threads()), -1.0f);
#pragma omp parallel
  out[static_cast<std::size_t>(omp_get_thread_num())] = half_of_smallest_normal();
  return out;
}

#if defined(__x86_64__) || defined(__i386__)

TEST(FlushDenormals, FlushesOnTheCallingThreadOnlyWhileAlive) {
  EXPECT_GT(half_of_smallest_normal(), 0.0f);
  {
    FlushDenormals flush;
    EXPECT_EQ(half_of_smallest_normal(), 0.0f);
    {
      FlushDenormals nested;
      EXPECT_EQ(half_of_smallest_normal(), 0.0f);
    }
    EXPECT_EQ(half_of_smallest_normal(), 0.0f);  // the nested scope restored "on"
  }
  EXPECT_GT(half_of_smallest_normal(), 0.0f);
}

TEST(FlushDenormals, WorkersFlushWhileTheCallerKeepsItsMode) {
  if (omp_get_max_threads() < 2) GTEST_SKIP() << "needs two OpenMP threads";
  {
    FlushDenormalsOnWorkers workers;
    EXPECT_GT(half_of_smallest_normal(), 0.0f) << "the caller must keep IEEE arithmetic";
    const std::vector<float> inside = on_every_thread();
    for (std::size_t t = 1; t < inside.size(); ++t) EXPECT_EQ(inside[t], 0.0f) << "thread " << t;
    {
      FlushDenormalsOnWorkers nested;
    }
    const std::vector<float> after_nested = on_every_thread();
    for (std::size_t t = 1; t < after_nested.size(); ++t) EXPECT_EQ(after_nested[t], 0.0f);
  }
  for (float v : on_every_thread()) EXPECT_GT(v, 0.0f);
}

#endif

}  // namespace
