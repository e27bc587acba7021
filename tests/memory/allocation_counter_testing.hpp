#pragma once
// Counts every operator new in the test executable (tests/memory replaces the
// global operator new in allocation_counter_testing.cpp), so tests can show a
// warm predict or training step allocates nothing.
#include <cstdint>

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

}  // namespace keras::testing
