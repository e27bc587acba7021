#pragma once
// Counts every operator new in the test executable (tests/memory replaces the
// global operator new in allocation_counter_testing.cpp), so tests can show a
// warm predict or training step allocates nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <utility>

#include "keras/model.hpp"
#include "keras/tensor.hpp"

namespace keras::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kPoolsOn = false;  // the pools hand every block back under ASan
#else
inline constexpr bool kPoolsOn = true;
#endif

std::uint64_t operator_news();

// While alive, each operator new also saves its call stack; the destructor
// prints the stacks to stderr when KERASCPP_TRACE_NEWS is set in the
// environment (to find what allocates when a count is not 0).
class NewTracer {
 public:
  NewTracer();
  ~NewTracer();
  NewTracer(const NewTracer&) = delete;
  NewTracer& operator=(const NewTracer&) = delete;
};

template <class F>
std::uint64_t news_during(F&& f) {
  NewTracer tracer;
  const std::uint64_t before = operator_news();
  f();
  return operator_news() - before;
}

// The inputs and targets of a fit over `rows` samples.
using TrainingData = std::function<std::pair<Tensor, Tensor>(std::int64_t rows)>;

// Whether a warm training step of model makes no operator new: after two
// warm-up fits over 3 batches (they build the optimizer, size the pools and
// the tape's tables, and make what each process makes once: OpenMP's and
// OpenBLAS' threads, ...), fit over 8 batches makes exactly as many operator
// new calls as fit over 4. Only the fit calls are counted, not making the
// data. On failure the message gives the operator new per warm step.
::testing::AssertionResult warm_train_steps_make_no_operator_new(const Model& model,
                                                                 const TrainingData& data,
                                                                 std::int64_t batch_size);

}  // namespace keras::testing
