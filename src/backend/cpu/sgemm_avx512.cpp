#include "backend/cpu/sgemm_avx512.hpp"

#include <omp.h>

#include <algorithm>
#include <string_view>

#include "backend/cpu/thread_buffer.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace keras::backend::cpu {

#if defined(__AVX512F__)

// GCC 12's AVX-512 intrinsics (unpack, shuffle, max, ...) start from
// _mm512_undefined_ps(), which -W(maybe-)uninitialized reports once they are
// inlined (a GCC bug).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace {

// The register tile: 12 rows of C by 32 columns (two vectors), 24
// accumulators. Each step of the inner loop loads two vectors of B and
// broadcasts 12 values of A straight from memory into 24 FMAs, which keeps
// both FMA ports busy with loads to spare.
constexpr std::int64_t kMr = 12, kNr = 32;
// Cache blocks (BLIS' scheme): a packed 12 x kc strip of A (24 KiB at most)
// stays in L1 while the packed kc x 32 strips of B stream from L2. For the
// MLP's products a thread's blocks of A and B fit in this machine's 2 MiB L2
// together; larger products are cut into blocks of at most kc x nc of B and
// mc x kc of A. kc = 512 measured best for those products (320: 143 GFLOP/s
// on one thread for 128x512x784; 512: 150-159).
constexpr std::int64_t kKc = 512, kMc = 768, kNc = 1024;
// Rows of packed B fetched ahead in the inner loop.
constexpr std::int64_t kPrefetchRows = 8;
// Below this many multiply-adds one thread is faster than waking two.
constexpr std::int64_t kParallelWork = std::int64_t{1} << 20;

// Tags of the calling thread's packing buffers (thread_buffer.hpp).
struct PackedA;
struct PackedB;

__mmask16 lanes(std::int64_t count) {
  return count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << std::max<std::int64_t>(count, 0)) - 1);
}

// One evenly sized block per ceil(total / limit), rounded up to `unit`.
std::int64_t block_size(std::int64_t total, std::int64_t limit, std::int64_t unit) {
  const std::int64_t blocks = (total + limit - 1) / limit;
  const std::int64_t size = (total + blocks - 1) / blocks;
  return (size + unit - 1) / unit * unit;
}

// Loads a block of `rows` (<= 16) rows of `count` (<= 16) floats each, zero
// beyond, and returns its columns: col[q] lane r = src[r * ld + q].
void load_transposed_16x16(const float* src, std::int64_t ld, std::int64_t rows, std::int64_t count,
                           __m512 col[16]) {
  const __mmask16 keep = lanes(count);
  __m512 r[16], t[16];
  for (int i = 0; i < 16; ++i) {
    r[i] = i < rows ? _mm512_maskz_loadu_ps(keep, src + i * ld) : _mm512_setzero_ps();
  }
  // Pairs, then quads of rows within each 128-bit lane ...
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    const auto pd = [](__m512 v) { return _mm512_castps_pd(v); };
    r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(pd(t[i]), pd(t[i + 2])));
    r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(pd(t[i]), pd(t[i + 2])));
    r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(pd(t[i + 1]), pd(t[i + 3])));
    r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(pd(t[i + 1]), pd(t[i + 3])));
  }
  // ... now r[4g + c] lane L holds column 4L + c of rows 4g..4g+3; move the
  // 128-bit lanes into place in two rounds.
  for (int c = 0; c < 4; ++c) {
    t[c] = _mm512_shuffle_f32x4(r[c], r[4 + c], 0x88);
    t[4 + c] = _mm512_shuffle_f32x4(r[c], r[4 + c], 0xdd);
    t[8 + c] = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0x88);
    t[12 + c] = _mm512_shuffle_f32x4(r[8 + c], r[12 + c], 0xdd);
  }
  for (int c = 0; c < 4; ++c) {
    col[c] = _mm512_shuffle_f32x4(t[c], t[8 + c], 0x88);
    col[8 + c] = _mm512_shuffle_f32x4(t[c], t[8 + c], 0xdd);
    col[4 + c] = _mm512_shuffle_f32x4(t[4 + c], t[12 + c], 0x88);
    col[12 + c] = _mm512_shuffle_f32x4(t[4 + c], t[12 + c], 0xdd);
  }
}

// Strip layout [p][r]: the kMr values of column p of a 12-row strip of op(A)
// side by side; rows past the matrix are zero.
void pack_a_strip(bool trans_a, const float* a, std::int64_t lda, std::int64_t i0,
                  std::int64_t rows, std::int64_t p0, std::int64_t kc, float* dst) {
  const __mmask16 strip = lanes(kMr);
  if (trans_a) {
    // op(A)(i, p) = a[p * lda + i]: 12 neighbouring values per p.
    const __mmask16 keep = lanes(rows);
    for (std::int64_t p = 0; p < kc; ++p) {
      const __m512 v = _mm512_maskz_loadu_ps(keep, a + (p0 + p) * lda + i0);
      _mm512_mask_storeu_ps(dst + p * kMr, strip, v);
    }
    return;
  }
  // op(A)(i, p) = a[i * lda + p]: transpose 16 columns at a time.
  __m512 col[16];
  for (std::int64_t p = 0; p < kc; p += 16) {
    const std::int64_t count = std::min<std::int64_t>(16, kc - p);
    load_transposed_16x16(a + i0 * lda + p0 + p, lda, rows, count, col);
    for (std::int64_t q = 0; q < count; ++q) {
      _mm512_mask_storeu_ps(dst + (p + q) * kMr, strip, col[q]);
    }
  }
}

// Strip layout [p][c]: the kNr values of row p of a 32-column strip of op(B);
// columns past the matrix are zero.
void pack_b_strip(bool trans_b, const float* b, std::int64_t ldb, std::int64_t j0,
                  std::int64_t cols, std::int64_t p0, std::int64_t kc, float* dst) {
  if (!trans_b) {
    // op(B)(p, j) = b[p * ldb + j]: a row segment per p.
    const __mmask16 lo = lanes(cols), hi = lanes(cols - 16);
    for (std::int64_t p = 0; p < kc; ++p) {
      const float* src = b + (p0 + p) * ldb + j0;
      _mm512_store_ps(dst + p * kNr, _mm512_maskz_loadu_ps(lo, src));
      _mm512_store_ps(dst + p * kNr + 16, _mm512_maskz_loadu_ps(hi, src + 16));
    }
    return;
  }
  // op(B)(p, j) = b[j * ldb + p]: transpose 16 x 16 blocks.
  __m512 col[16];
  for (std::int64_t half = 0; half < kNr / 16; ++half) {
    const std::int64_t rows = std::clamp<std::int64_t>(cols - half * 16, 0, 16);
    for (std::int64_t p = 0; p < kc; p += 16) {
      const std::int64_t count = std::min<std::int64_t>(16, kc - p);
      load_transposed_16x16(b + (j0 + half * 16) * ldb + p0 + p, ldb, rows, count, col);
      for (std::int64_t q = 0; q < count; ++q) {
        _mm512_store_ps(dst + (p + q) * kNr + half * 16, col[q]);
      }
    }
  }
}

// What the kernel does to a C tile after adding up its last block of the
// inner dimension.
struct TileEnd {
  float alpha, beta;
  bool read_c;        // beta * C is added (else C is only written)
  const float* bias;  // added per column when not null (final block only)
  bool relu;          // max(0, .) (final block only)
};

// C tile (rows x cols, at most 12 x 32) = end(alpha * Ap Bp + beta * C).
void kernel_12x32(std::int64_t kc, const float* __restrict ap, const float* __restrict bp, float* c,
                  std::int64_t ldc, std::int64_t rows, std::int64_t cols, const TileEnd& end) {
  __m512 lo[kMr], hi[kMr];
#pragma GCC unroll 12
  for (int r = 0; r < kMr; ++r) lo[r] = hi[r] = _mm512_setzero_ps();
  for (std::int64_t p = 0; p < kc; ++p) {
    if constexpr (kPrefetchRows > 0) {
      _mm_prefetch(reinterpret_cast<const char*>(bp + kPrefetchRows * kNr), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(bp + kPrefetchRows * kNr + 16), _MM_HINT_T0);
    }
    const __m512 b0 = _mm512_load_ps(bp), b1 = _mm512_load_ps(bp + 16);
#pragma GCC unroll 12
    for (int r = 0; r < kMr; ++r) {
      const __m512 av = _mm512_set1_ps(ap[r]);
      lo[r] = _mm512_fmadd_ps(av, b0, lo[r]);
      hi[r] = _mm512_fmadd_ps(av, b1, hi[r]);
    }
    ap += kMr;
    bp += kNr;
  }
  const __mmask16 m0 = lanes(cols), m1 = lanes(cols - 16);
  const __m512 va = _mm512_set1_ps(end.alpha), vb = _mm512_set1_ps(end.beta);
  const __m512 bias0 = end.bias ? _mm512_maskz_loadu_ps(m0, end.bias) : _mm512_setzero_ps();
  const __m512 bias1 = end.bias ? _mm512_maskz_loadu_ps(m1, end.bias + 16) : _mm512_setzero_ps();
  const __m512 zero = _mm512_setzero_ps();
#pragma GCC unroll 12
  for (int r = 0; r < kMr; ++r) {
    if (r < rows) {
      float* cr = c + r * ldc;
      __m512 v0 = _mm512_fmadd_ps(lo[r], va, bias0), v1 = _mm512_fmadd_ps(hi[r], va, bias1);
      if (end.read_c) {
        v0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, cr), v0);
        v1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, cr + 16), v1);
      }
      if (end.relu) {
        v0 = _mm512_max_ps(v0, zero);
        v1 = _mm512_max_ps(v1, zero);
      }
      _mm512_mask_storeu_ps(cr, m0, v0);
      _mm512_mask_storeu_ps(cr + 16, m1, v1);
    }
  }
}

struct Range {
  std::int64_t begin, end;
};

Range share(std::int64_t count, int part, int parts) {
  return {count * part / parts, count * (part + 1) / parts};
}

// Packing space, shared by the threads: two blocks of A, one of B.
struct Buffers {
  float* a;
  std::int64_t a_size;
  float* b;
  std::int64_t b_size;
};

struct Problem {
  bool trans_a, trans_b;
  std::int64_t m, n, k;
  float alpha;
  const float* a;
  std::int64_t lda;
  const float* b;
  std::int64_t ldb;
  float beta;
  float* c;
  std::int64_t ldc;
  const float* bias;
  bool relu;
};

// Fetches into L2 rows [first_row, last_row) of the part of B that strips
// [s0, s1) of column block jc (nc wide) take for the inner block
// [pc, pc + kc): rows of B untransposed, its columns (rows of b) transposed.
void prefetch_b_source(const Problem& q, std::int64_t jc, std::int64_t nc, std::int64_t s0,
                       std::int64_t s1, std::int64_t pc, std::int64_t kc, std::int64_t first_row,
                       std::int64_t last_row) {
  const std::int64_t j0 = jc + s0 * kNr, j1 = jc + std::min(s1 * kNr, nc);
  const std::int64_t count = q.trans_b ? kc : j1 - j0;
  for (std::int64_t r = first_row; r < last_row; ++r) {
    const float* row = q.trans_b ? q.b + (j0 + r) * q.ldb + pc : q.b + (pc + r) * q.ldb + j0;
    for (std::int64_t c = 0; c < count; c += 16) {
      _mm_prefetch(reinterpret_cast<const char*>(row + c), _MM_HINT_T1);
    }
  }
}

// The blocked product on `parts` threads (this is thread `part`). The threads
// split the larger of C's two dimensions into strips, and each block's
// strips of A are packed once, a share by each thread, into a buffer all
// read. Split by columns, each thread packs and reads only its own strips of
// B, and blocks of A alternate between two buffers, so the barrier after
// packing also keeps a thread from packing over strips another still reads
// (past it, everyone has finished the block before). Split by rows, the
// strips of B are shared too (packing them twice measured slower than
// waiting), with a barrier before each block's packing.
void run_blocks(const Problem& q, const Buffers& buffers, int part, int parts) {
  const std::int64_t nc_max = block_size(q.n, kNc, kNr), kc_max = block_size(q.k, kKc, 1),
                     mc_max = block_size(q.m, kMc, kMr);
  const bool split_columns = (q.n + kNr - 1) / kNr >= (q.m + kMr - 1) / kMr;
  float* const packed_b = buffers.b;
  std::int64_t block = 0;
  for (std::int64_t jc = 0; jc < q.n; jc += nc_max) {
    const std::int64_t nc = std::min(nc_max, q.n - jc), n_strips = (nc + kNr - 1) / kNr;
    const Range own_n = split_columns ? share(n_strips, part, parts) : Range{0, n_strips};
    for (std::int64_t pc = 0; pc < q.k; pc += kc_max) {
      const std::int64_t kc = std::min(kc_max, q.k - pc);
      const bool first = pc == 0, final_block = pc + kc >= q.k;
      const Range pack_n = split_columns ? own_n : share(n_strips, part, parts);
      for (std::int64_t s = pack_n.begin; s < pack_n.end; ++s) {
        pack_b_strip(q.trans_b, q.b, q.ldb, jc + s * kNr, std::min(kNr, nc - s * kNr), pc, kc,
                     packed_b + s * kNr * kc_max);
      }
      for (std::int64_t ic = 0; ic < q.m; ic += mc_max, ++block) {
        const std::int64_t mc = std::min(mc_max, q.m - ic), m_strips = (mc + kMr - 1) / kMr;
        float* const packed_a = buffers.a + (split_columns ? block % 2 : 0) * buffers.a_size;
        const Range pack_m = share(m_strips, part, parts);
        for (std::int64_t s = pack_m.begin; s < pack_m.end; ++s) {
          pack_a_strip(q.trans_a, q.a, q.lda, ic + s * kMr, std::min(kMr, mc - s * kMr), pc, kc,
                       packed_a + s * kMr * kc_max);
        }
#pragma omp barrier
        const Range own_m = split_columns ? Range{0, m_strips} : pack_m;
        // Split by columns, a thread's strips of B for the next inner block
        // are fetched a slice per row strip while the kernel computes: packing
        // them from L3 (the first layer's weights, fresh from the optimizer)
        // took 25-28 us a block.
        const std::int64_t next_pc = pc + kc, next_kc = std::min(kc_max, q.k - next_pc);
        const bool fetch_next = split_columns && next_pc < q.k && ic + mc >= q.m;
        const std::int64_t source_rows =
            q.trans_b ? std::min(own_n.end * kNr, nc) - own_n.begin * kNr : next_kc;
        for (std::int64_t i = own_m.begin; i < own_m.end; ++i) {
          if (fetch_next) {
            prefetch_b_source(q, jc, nc, own_n.begin, own_n.end, next_pc, next_kc,
                              source_rows * i / m_strips, source_rows * (i + 1) / m_strips);
          }
          const std::int64_t rows = std::min(kMr, mc - i * kMr);
          for (std::int64_t j = own_n.begin; j < own_n.end; ++j) {
            const TileEnd end{q.alpha, first ? q.beta : 1.0f, !first || q.beta != 0.0f,
                              final_block && q.bias ? q.bias + jc + j * kNr : nullptr,
                              final_block && q.relu};
            kernel_12x32(kc, packed_a + i * kMr * kc_max, packed_b + j * kNr * kc_max,
                         q.c + (ic + i * kMr) * q.ldc + jc + j * kNr, q.ldc, rows,
                         std::min(kNr, nc - j * kNr), end);
          }
        }
        // The next block's packing overwrites what the others may still read
        // (after the last block, the end of the parallel region waits).
        const bool last = jc + nc >= q.n && pc + kc >= q.k && ic + mc >= q.m;
        if (!split_columns && !last) {
#pragma omp barrier
        }
      }
    }
    // A narrower last column block shares its strips out differently, so a
    // thread could pack over strips another is still reading.
    if (split_columns && jc + nc < q.n) {
#pragma omp barrier
    }
  }
}

// KERASCPP_GEMM=blas sends every product to BLAS, to compare the two.
bool blas_only() {
  static const bool only = [] {
    const char* choice = std::getenv("KERASCPP_GEMM");
    return choice != nullptr && std::string_view(choice) == "blas";
  }();
  return only;
}

}  // namespace

// Products under 2M multiply-adds stay with OpenBLAS, whose small-matrix
// kernels skip packing: the seed tagger's batch-1 predict (50x300x64 and
// 50x200x75) took 0.130 ms with them here against 0.118 with OpenBLAS.
// Except a wide output over an inner dimension under 16, where OpenBLAS
// is slow: the MLP's last input gradient (128x256, k = 10) took 26 us
// there and 11 here.
bool sgemm_avx512_suits(std::int64_t m, std::int64_t n, std::int64_t k) {
  return !blas_only() && m >= kMr && n >= kNr &&
         ((k >= 16 && m * n * k >= (std::int64_t{1} << 21)) || (k < 16 && m * n >= 16384));
}

void sgemm_avx512(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
                  float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
                  float beta, float* c, std::int64_t ldc, const SgemmEpilogue& epilogue) {
  const Problem q{trans_a,       trans_b,      m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                  epilogue.bias, epilogue.relu};
  const bool threaded = !omp_in_parallel() && m * n * k >= kParallelWork;
  const std::int64_t threads = threaded ? omp_get_max_threads() : 1;
  const std::int64_t kc = block_size(k, kKc, 1);
  Buffers buffers;
  buffers.a_size = block_size(m, kMc, kMr) * kc;
  buffers.b_size = block_size(n, kNc, kNr) * kc;
  buffers.a = thread_buffer<float, PackedA>(buffers.a_size * 2);
  buffers.b = thread_buffer<float, PackedB>(buffers.b_size);
#pragma omp parallel if (threaded) num_threads(static_cast <int>(threads))
  run_blocks(q, buffers, omp_get_thread_num(), omp_get_num_threads());
}

#pragma GCC diagnostic pop

#else  // no AVX-512 in this build: cpu::gemm always uses BLAS.

bool sgemm_avx512_suits(std::int64_t, std::int64_t, std::int64_t) { return false; }

void sgemm_avx512(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*,
                  std::int64_t, const float*, std::int64_t, float, float*, std::int64_t,
                  const SgemmEpilogue&) {}

#endif

}  // namespace keras::backend::cpu
