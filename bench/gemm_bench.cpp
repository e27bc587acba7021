// sgemm on the reference shapes: OpenBLAS (the OpenMP build kerascpp links),
// oneDNN's dnnl_sgemm, and kerascpp's own cpu::gemm (its AVX-512 kernel,
// OpenBLAS for the rest, and the gemv path for one-row products), each with 1
// and 2 OpenMP threads. KERASCPP_GEMM=blas makes cpu::gemm use OpenBLAS only.
//
//   build/bench/gemm_bench --benchmark_min_time=0.5
//   (the GFLOP/s column is "FLOPS", in G/s)
//
// kerascpp's first GEMM re-selects OpenBLAS' kernels when OpenBLAS fell back
// to its generic "Prescott" core (see src/backend/cpu/gemm.cpp); main() makes
// that call first, so the openblas rows show the tuned library. Run with
// OPENBLAS_CORETYPE=Prescott to see OpenBLAS as it detects an unknown CPU.
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/cpu/gemm.hpp"

namespace {

struct Shape {
  const char* name;
  bool trans_a, trans_b;
  int m, n, k;
};

// MLP 784-512-256-10: inference at batch 256 and 1, training at batch 128
// (forward, dW = x^T dy with transposed A, dx = dy W^T with transposed B),
// and the seed tagger's skinny product (small K).
const Shape kShapes[] = {
    {"mlp_b256_784x512", false, false, 256, 512, 784},
    {"mlp_b256_512x256", false, false, 256, 256, 512},
    {"mlp_b256_256x10", false, false, 256, 10, 256},
    {"mlp_b1_784x512", false, false, 1, 512, 784},
    {"mlp_b1_512x256", false, false, 1, 256, 512},
    {"mlp_b1_256x10", false, false, 1, 10, 256},
    {"train_b128_fwd_784x512", false, false, 128, 512, 784},
    {"train_b128_dW_784x512 (A^T)", true, false, 784, 512, 128},
    {"train_b128_dx_512x784 (B^T)", false, true, 128, 784, 512},
    {"train_b128_fwd_512x256", false, false, 128, 256, 512},
    {"train_b128_dW_512x256 (A^T)", true, false, 512, 256, 128},
    {"train_b128_dx_256x512 (B^T)", false, true, 128, 512, 256},
    {"skinny_1500x75x200", false, false, 1500, 200, 75},
};

struct Operands {
  std::vector<float> a, b, c;
  int lda, ldb, ldc;
  explicit Operands(const Shape& s)
      : a(static_cast<std::size_t>(s.m) * s.k),
        b(static_cast<std::size_t>(s.k) * s.n),
        c(static_cast<std::size_t>(s.m) * s.n),
        lda(s.trans_a ? s.m : s.k),
        ldb(s.trans_b ? s.k : s.n),
        ldc(s.n) {
    std::mt19937 gen(1);
    std::uniform_real_distribution<float> dist(-1, 1);
    for (float& v : a) v = dist(gen);
    for (float& v : b) v = dist(gen);
  }
};

enum class Library { kOpenBlas, kOneDnn, kKerascpp };

void BM_Sgemm(benchmark::State& state, Shape s, Library library) {
  const int threads = static_cast<int>(state.range(0));
  omp_set_num_threads(threads);
  Operands op(s);
  auto run = [&] {
    switch (library) {
      case Library::kOpenBlas:
        cblas_sgemm(CblasRowMajor, s.trans_a ? CblasTrans : CblasNoTrans,
                    s.trans_b ? CblasTrans : CblasNoTrans, s.m, s.n, s.k, 1.0f, op.a.data(),
                    op.lda, op.b.data(), op.ldb, 0.0f, op.c.data(), op.ldc);
        break;
      case Library::kOneDnn:
        if (dnnl_sgemm(s.trans_a ? 'T' : 'N', s.trans_b ? 'T' : 'N', s.m, s.n, s.k, 1.0f,
                       op.a.data(), op.lda, op.b.data(), op.ldb, 0.0f, op.c.data(),
                       op.ldc) != dnnl_success) {
          throw std::runtime_error("dnnl_sgemm failed");
        }
        break;
      case Library::kKerascpp:
        keras::backend::cpu::gemm(s.trans_a, s.trans_b, s.m, s.n, s.k, 1.0f, op.a.data(), op.lda,
                                  op.b.data(), op.ldb, 0.0f, op.c.data(), op.ldc);
        break;
    }
  };
  run();  // warm-up: packing buffers, thread start
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(op.c.data());
    benchmark::ClobberMemory();
  }
  state.counters["FLOPS"] = benchmark::Counter(2.0 * s.m * s.n * s.k,
                                               benchmark::Counter::kIsIterationInvariantRate,
                                               benchmark::Counter::OneK::kIs1000);
  omp_set_num_threads(omp_get_num_procs());
}

const int kRegistered = [] {
  for (const Shape& s : kShapes) {
    for (auto [library, name] : {std::pair{Library::kOpenBlas, "openblas"},
                                 std::pair{Library::kOneDnn, "onednn"},
                                 std::pair{Library::kKerascpp, "kerascpp"}}) {
      benchmark::RegisterBenchmark((std::string(name) + "/" + s.name).c_str(), BM_Sgemm, s,
                                   library)
          ->ArgName("threads")
          ->Arg(1)
          ->Arg(2)
          ->UseRealTime();
    }
  }
  return 0;
}();

}  // namespace

int main(int argc, char** argv) {
  float one = 1.0f, out = 0.0f;
  keras::backend::cpu::gemm(false, false, 1, 1, 1, 1.0f, &one, 1, &one, 1, 0.0f, &out, 1);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
