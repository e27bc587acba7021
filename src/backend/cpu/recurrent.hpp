#pragma once
// Fused whole-sequence kernels for SimpleRNN, LSTM and GRU, computing what
// Keras 3's RNN loop (keras/src/backend/jax/rnn.py around the cells of
// keras/src/layers/rnn/) computes, step by step, in one call:
//   - the input projection of every time step is ONE GEMM up front
//     (x . kernel + input bias, for all batch rows and steps together);
//   - each step then adds only the recurrent GEMM (h . recurrent_kernel) and
//     runs the gate math row by row in vectorised loops;
//   - the backward pass walks the steps in reverse with one GEMM per step for
//     the state gradient, and gets the weight gradients from ONE GEMM each at
//     the end over the gate gradients of all steps.
// Masks and go_backwards are handled inside; nothing is allocated per step.
//
// Layouts (row-major): x (B, T, I); kernel (I, G*U); recurrent_kernel
// (U, G*U); bias (G*U,), or for GRU with reset_after (2, G*U): input bias
// then recurrent bias; states (B, U); mask (B, T) bool. G gates: SimpleRNN 1,
// LSTM 4 [i f c o], GRU 3 [z r h]. Outputs are in processing order: with
// go_backwards, output step s is the result of time T-1-s (as Keras).
#include <cstdint>
#include <functional>

namespace keras::backend::cpu {

enum class RecurrentCell : std::uint8_t { simple_rnn, lstm, gru };

// What a masked step outputs, as Keras' jax rnn(): the previous state h
// (scan, the default), zeros (scan with zero_output_for_mask), or the
// previous step's output, zeros before any real step (unroll=True, which
// ignores zero_output_for_mask). The state itself always carries over.
enum class MaskedOutput : std::uint8_t { previous_state, zeros, previous_output };

// An element-wise activation applied to contiguous spans (the loops inside
// are vectorised); backward gives dx = dy * f'(x) from x and y = f(x).
// Both must allow dx to alias dy.
template <class T>
struct SpanActivation {
  std::function<void(const T* x, T* y, std::int64_t n)> forward;
  std::function<void(const T* dy, const T* x, const T* y, T* dx, std::int64_t n)> backward;
  // Whether backward reads x; when false it may be given any pointer for x
  // (tanh and sigmoid need y alone).
  bool uses_input = true;
};

struct RecurrentSpec {
  RecurrentCell cell = RecurrentCell::lstm;
  bool reset_after = true;  // GRU only
  std::int64_t batch = 0, time = 0, input_dim = 0, units = 0;
  bool go_backwards = false;
  bool return_sequences = false;
  MaskedOutput masked_output = MaskedOutput::previous_state;
  // Dropout masks, constant over time (Keras' DropoutRNNCell): 0 (none), 1
  // (one mask for all gates) or gates() (one per gate, Keras' implementation 1).
  int input_dropout_count = 0;
  int recurrent_dropout_count = 0;

  int gates() const {
    return cell == RecurrentCell::lstm ? 4 : (cell == RecurrentCell::gru ? 3 : 1);
  }
  int states() const { return cell == RecurrentCell::lstm ? 2 : 1; }
  // GRU with reset_after keeps its recurrent pre-activations apart.
  bool separate_recurrent() const { return cell == RecurrentCell::gru && reset_after; }
};

template <class T>
struct RecurrentWeights {
  const T* kernel = nullptr;
  const T* recurrent_kernel = nullptr;
  const T* bias = nullptr;  // may be null (use_bias=False)
};

// Constant inputs of one call: the mask and the dropout masks (values 0 or
// 1 / (1 - rate)), shaped (count, B, I) and (count, B, U). Each may be null.
template <class T>
struct RecurrentConstants {
  const bool* mask = nullptr;
  const T* input_dropout = nullptr;
  const T* recurrent_dropout = nullptr;
  SpanActivation<T> activation;
  SpanActivation<T> recurrent_activation;
};

// What the forward pass keeps for the backward pass; all indexed by time
// (not by step), shaped (B, T, ...). Null pointers when not training.
template <class T>
struct RecurrentTape {
  T* pre = nullptr;     // (B, T, G*U): the gate pre-activations
  T* gates = nullptr;   // (B, T, G*U): the activated gates (SimpleRNN: the new h)
  T* h_prev = nullptr;  // (B, T, U): h before the step at each time
  T* c_prev = nullptr;  // (B, T, U): LSTM's c before the step
  T* rec_h = nullptr;   // (B, T, U): GRU reset_after: h . R_h + recurrent bias_h
  T* c_act = nullptr;   // (B, T, U): LSTM's act(c) after the step, which h = o * act(c) used
};

// y: (B, T, U) with return_sequences, else (B, U). h_out, c_out: (B, U).
// c0 and c_out only for LSTM. tape: null, or buffers of the sizes above.
template <class T>
void recurrent_forward(const RecurrentSpec& spec, const RecurrentWeights<T>& w,
                       const RecurrentConstants<T>& k, const T* x, const T* h0, const T* c0, T* y,
                       T* h_out, T* c_out, const RecurrentTape<T>* tape);

// Gradients of one call. dy has y's shape; dh_out, dc_out are the
// gradients of the final states. Every output pointer may be null when
// that gradient is not needed; dkernel, drecurrent_kernel and dbias are
// overwritten (not accumulated).
template <class T>
struct RecurrentGradients {
  T* dx = nullptr;
  T* dh0 = nullptr;
  T* dc0 = nullptr;
  T* dkernel = nullptr;
  T* drecurrent_kernel = nullptr;
  T* dbias = nullptr;
};

template <class T>
void recurrent_backward(const RecurrentSpec& spec, const RecurrentWeights<T>& w,
                        const RecurrentConstants<T>& k, const T* x, const RecurrentTape<T>& tape,
                        const T* dy, const T* dh_out, const T* dc_out,
                        const RecurrentGradients<T>& grads);

// The plain version the tests compare recurrent_forward with: one time step
// at a time, one dot product per gate value, Keras' cell formulas as written.
template <class T>
void reference_recurrent_forward(const RecurrentSpec& spec, const RecurrentWeights<T>& w,
                                 const RecurrentConstants<T>& k, const T* x, const T* h0,
                                 const T* c0, T* y, T* h_out, T* c_out);

}  // namespace keras::backend::cpu
