// predict of the 784-512-256-10 ReLU MLP (issue: the core) next to the raw
// BLAS GEMMs of the same shapes in the same binary, so the ratio shows what
// the model machinery costs. Also counts allocations after warm-up.
//
//   build/bench/mlp_predict_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "backend/allocator.hpp"
#include "keras/keras.hpp"

namespace {

std::atomic<std::uint64_t> g_news{0};

keras::Sequential make_mlp() {
  namespace L = keras::layers;
  return keras::Sequential({
      keras::Input({784}),
      L::Dense(512, {.activation = "relu"}),
      L::Dense(256, {.activation = "relu"}),
      L::Dense(10),
  });
}

// MACs of the three layers, times 2 for FLOPs.
double mlp_flops(std::int64_t batch) { return 2.0 * batch * (784 * 512 + 512 * 256 + 256 * 10); }

void BM_MlpPredict(benchmark::State& state) {
  const std::int64_t batch = state.range(0);
  keras::Sequential model = make_mlp();
  keras::Tensor x = keras::Tensor::full({batch, 784}, 0.5);
  keras::PredictOptions options{.batch_size = batch};
  { keras::Tensor warm = model.predict(x, options); }
  { keras::Tensor warm = model.predict(x, options); }
  const auto before = keras::backend::allocator_stats();
  const std::uint64_t news_before = g_news.load();
  for (auto _ : state) {
    keras::Tensor y = model.predict(x, options);
    benchmark::DoNotOptimize(y.raw_data());
  }
  const auto after = keras::backend::allocator_stats();
  state.counters["GFLOP/s"] =
      benchmark::Counter(mlp_flops(batch), benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
  state.counters["tensor_bytes_from_system"] =
      static_cast<double>(after.system_bytes - before.system_bytes);
  state.counters["operator_new_per_call"] =
      static_cast<double>(g_news.load() - news_before) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_MlpPredict)->Arg(1)->Arg(256)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The same three GEMMs (plus nothing else) through BLAS.
void BM_MlpGemmsOnly(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  const int dims[4] = {784, 512, 256, 10};
  std::vector<std::vector<float>> weights, activations;
  activations.emplace_back(static_cast<std::size_t>(batch) * 784, 0.5f);
  for (int l = 0; l < 3; ++l) {
    weights.emplace_back(static_cast<std::size_t>(dims[l]) * dims[l + 1], 0.01f);
    activations.emplace_back(static_cast<std::size_t>(batch) * dims[l + 1], 0.0f);
  }
  for (auto _ : state) {
    for (int l = 0; l < 3; ++l) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, dims[l + 1], dims[l], 1.0f,
                  activations[l].data(), dims[l], weights[l].data(), dims[l + 1], 0.0f,
                  activations[l + 1].data(), dims[l + 1]);
    }
    benchmark::DoNotOptimize(activations[3].data());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(mlp_flops(batch), benchmark::Counter::kIsIterationInvariantRate,
                         benchmark::Counter::kIs1000);
}
BENCHMARK(BM_MlpGemmsOnly)->Arg(1)->Arg(256)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

// Counts every operator new in the process, to show a warm predict allocates
// no tensors and how many small objects it still creates.
void* operator new(std::size_t size) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

BENCHMARK_MAIN();
