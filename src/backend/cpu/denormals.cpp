#include "backend/cpu/denormals.hpp"

#include <omp.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define KERASCPP_HAS_MXCSR 1
#endif

namespace keras::backend::cpu {

namespace {

#if KERASCPP_HAS_MXCSR
constexpr unsigned kFlushBits = 0x8040;  // FTZ (bit 15) and DAZ (bit 6)
unsigned mode() { return _mm_getcsr(); }
void set_mode(unsigned csr) { _mm_setcsr(csr); }
#else
constexpr unsigned kFlushBits = 0;
unsigned mode() { return 0; }
void set_mode(unsigned) {}
#endif

// Each user thread that starts parallel regions has its own pool (libgomp),
// so the count of open scopes is per thread: the outermost one switches.
thread_local int open_worker_scopes = 0;

// Sets (or clears) the flush bits on every thread of the pool but leaves
// the calling thread (thread 0 of the team) as it was.
void set_workers(bool flush) {
  const unsigned caller = mode();
#pragma omp parallel
  {
    const unsigned csr = mode();
    set_mode(flush ? (csr | kFlushBits) : (csr & ~kFlushBits));
  }
  set_mode(caller);
}

}  // namespace

FlushDenormals::FlushDenormals() : saved_(mode()) { set_mode(saved_ | kFlushBits); }

FlushDenormals::~FlushDenormals() { set_mode(saved_); }

FlushDenormalsOnWorkers::FlushDenormalsOnWorkers() {
  if (kFlushBits == 0 || omp_in_parallel() || omp_get_max_threads() < 2) return;
  // A program that flushes already (its threads inherit the mode) keeps it.
  if (open_worker_scopes == 0 && (mode() & kFlushBits) == kFlushBits) return;
  active_ = true;
  if (open_worker_scopes++ == 0) set_workers(true);
}

FlushDenormalsOnWorkers::~FlushDenormalsOnWorkers() {
  if (!active_) return;
  if (--open_worker_scopes == 0) set_workers(false);
}

}  // namespace keras::backend::cpu
