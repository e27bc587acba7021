#pragma once
// Subnormal floats flushed to zero while kerascpp computes, as XLA (Keras'
// JAX backend) and TensorFlow do on the CPU. Keras' numbers are computed that
// way, and without it a value decaying towards zero costs a microcode assist
// per operation: Adam's moments of the MLP's never-lit pixels go subnormal in
// the second epoch and made its update 3x slower (600 -> 180 us a step).
// x86 only (the MXCSR FTZ and DAZ bits); elsewhere these do nothing.

namespace keras::backend::cpu {

// While alive, the calling thread flushes subnormal results and inputs to
// zero; its previous mode comes back at the end. Cheap (two register writes).
class FlushDenormals {
 public:
  FlushDenormals();
  ~FlushDenormals();
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
  unsigned saved_ = 0;
};

// The same for every OpenMP worker thread (the kernels' one thread pool), but
// not the calling thread: a fit's worker threads flush for the whole fit
// while the caller flushes only inside each step, so callbacks run in the
// user's own mode. Costs one parallel region each way. Nested scopes and
// scopes opened inside a parallel region do nothing.
class FlushDenormalsOnWorkers {
 public:
  FlushDenormalsOnWorkers();
  ~FlushDenormalsOnWorkers();
  FlushDenormalsOnWorkers(const FlushDenormalsOnWorkers&) = delete;
  FlushDenormalsOnWorkers& operator=(const FlushDenormalsOnWorkers&) = delete;

 private:
  bool active_ = false;
};

}  // namespace keras::backend::cpu
