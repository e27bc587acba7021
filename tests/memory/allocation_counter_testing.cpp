// The replacement operator new behind allocation_counter_testing.hpp. Tracing
// stores stacks in a fixed array and prints them with backtrace_symbols_fd,
// which do not allocate, so tracing does not count itself. Also the shared
// body of the warm training step tests.
#include "memory/allocation_counter_testing.hpp"

#include <execinfo.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::uint64_t> g_news{0};

constexpr int kFrames = 14;
constexpr int kStacks = 512;
struct Stack {
  void* frames[kFrames];
  int depth;
};
Stack g_stacks[kStacks];
std::atomic<int> g_stack_count{0};
std::atomic<bool> g_tracing{false};
thread_local bool t_in_trace = false;

void save_stack() {
  if (!g_tracing.load(std::memory_order_relaxed) || t_in_trace) return;
  const int i = g_stack_count.fetch_add(1);
  if (i >= kStacks) return;
  t_in_trace = true;  // backtrace() may allocate the first time it runs
  g_stacks[i].depth = backtrace(g_stacks[i].frames, kFrames);
  t_in_trace = false;
}

}  // namespace

namespace keras::testing {

std::uint64_t operator_news() { return g_news.load(); }

NewTracer::NewTracer() {
  if (std::getenv("KERASCPP_TRACE_NEWS") == nullptr) return;
  void* warm[2];
  backtrace(warm, 2);  // loads libgcc before tracing starts
  g_stack_count = 0;
  g_tracing = true;
}

NewTracer::~NewTracer() {
  if (!g_tracing.exchange(false)) return;
  const int n = g_stack_count.load() < kStacks ? g_stack_count.load() : kStacks;
  for (int i = 0; i < n; ++i) {
    std::fprintf(stderr, "---- operator new #%d\n", i);
    std::fflush(stderr);
    backtrace_symbols_fd(g_stacks[i].frames + 1, g_stacks[i].depth - 1, STDERR_FILENO);
  }
}

::testing::AssertionResult warm_train_steps_make_no_operator_new(const Model& model,
                                                                 const TrainingData& data,
                                                                 std::int64_t batch_size) {
  FitOptions options;
  options.batch_size = batch_size;
  options.verbose = 0;
  options.shuffle = false;
  const auto news_in_fit = [&](std::int64_t batches) {
    const auto [x, y] = data(batches * batch_size);
    return news_during([&] { model.fit(x, y, options); });
  };
  news_in_fit(3);
  news_in_fit(3);
  const std::uint64_t few = news_in_fit(4);
  const std::uint64_t many = news_in_fit(8);
  if (many == few) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << (static_cast<double>(many) - static_cast<double>(few)) / 4.0
         << " operator new per warm step (" << few << " in a fit over 4 batches, " << many
         << " over 8)";
}

}  // namespace keras::testing

void* operator new(std::size_t size) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  save_stack();
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
