#pragma once
// Random calls of ops::recurrent_sequence for the recurrent op tests.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/gradient_check_testing.hpp"
#include "keras/ops.hpp"
#include "ops/recurrent.hpp"

namespace keras::testing {

struct RecurrentCase {
  std::string label;
  ops::RecurrentOptions options;
  std::int64_t batch = 2, time = 4, features = 3, units = 3;
  bool use_bias = true;
  bool initial_states = true;  // random initial states, else zeros
  // Per row of the mask, the unmasked steps ("1101"); empty: no mask.
  std::vector<std::string> mask;
  int input_dropout = 0;      // number of input dropout masks (0, 1 or gates)
  int recurrent_dropout = 0;  // number of recurrent dropout masks
};

inline int gates_of(ops::RecurrentCell cell) {
  return cell == ops::RecurrentCell::lstm ? 4 : (cell == ops::RecurrentCell::gru ? 3 : 1);
}

// Inputs for c in float64 (values drawn from seed); weights small enough
// that the gates do not saturate.
inline ops::RecurrentInputs make_inputs(const RecurrentCase& c, std::uint64_t seed) {
  const std::int64_t width = gates_of(c.options.cell) * c.units;
  ops::RecurrentInputs in;
  in.sequences = random_tensor(Shape{c.batch, c.time, c.features}, -1.0, 1.0, seed);
  const int states = c.options.cell == ops::RecurrentCell::lstm ? 2 : 1;
  for (int i = 0; i < states; ++i) {
    in.initial_states.push_back(c.initial_states
                                    ? random_tensor(Shape{c.batch, c.units}, -0.8, 0.8,
                                                    seed + 10 + static_cast<std::uint64_t>(i))
                                    : Tensor::zeros(Shape{c.batch, c.units}, DType::float64));
  }
  in.kernel = random_tensor(Shape{c.features, width}, -0.6, 0.6, seed + 20);
  in.recurrent_kernel = random_tensor(Shape{c.units, width}, -0.6, 0.6, seed + 21);
  if (c.use_bias) {
    const bool two_rows = c.options.cell == ops::RecurrentCell::gru && c.options.reset_after;
    in.bias = random_tensor(two_rows ? Shape{2, width} : Shape{width}, -0.3, 0.3, seed + 22);
  }
  if (!c.mask.empty()) {
    std::vector<bool> bits;
    for (const std::string& row : c.mask) {
      for (char ch : row) bits.push_back(ch == '1');
    }
    in.mask = Tensor(Shape{c.batch, c.time}, bits);
  }
  // Dropout masks: 0 or 2 (rate 0.5), a fixed pattern per seed.
  auto dropout = [&](int count, std::int64_t last, std::uint64_t s) {
    const Tensor u = random_tensor(Shape{count, c.batch, last}, 0.0, 1.0, s);
    std::vector<double> v = u.to_vector<double>();
    for (double& e : v) e = e < 0.5 ? 0.0 : 2.0;
    return Tensor(u.shape(), v);
  };
  if (c.input_dropout > 0) in.input_dropout = dropout(c.input_dropout, c.features, seed + 30);
  if (c.recurrent_dropout > 0) {
    in.recurrent_dropout = dropout(c.recurrent_dropout, c.units, seed + 31);
  }
  return in;
}

// The same inputs in float32.
inline ops::RecurrentInputs as_float32(const ops::RecurrentInputs& in) {
  auto f = [](const Tensor& t) { return t.defined() ? t.astype(DType::float32) : t; };
  ops::RecurrentInputs out = in;
  out.sequences = f(in.sequences);
  for (Tensor& s : out.initial_states) s = f(s);
  out.kernel = f(in.kernel);
  out.recurrent_kernel = f(in.recurrent_kernel);
  out.bias = f(in.bias);
  out.input_dropout = f(in.input_dropout);
  out.recurrent_dropout = f(in.recurrent_dropout);
  return out;
}

// A spread of configurations: every cell, both directions, masks with each
// masked-output rule, dropout, no bias, other activations.
inline std::vector<RecurrentCase> recurrent_cases() {
  using ops::MaskedOutput;
  using ops::RecurrentCell;
  std::vector<RecurrentCase> cases;
  const std::vector<std::pair<std::string, RecurrentCell>> cells = {
      {"simple_rnn", RecurrentCell::simple_rnn},
      {"lstm", RecurrentCell::lstm},
      {"gru", RecurrentCell::gru},
      {"gru_reset_before", RecurrentCell::gru}};
  for (const auto& [name, cell] : cells) {
    RecurrentCase base;
    base.options.cell = cell;
    base.options.reset_after = name != "gru_reset_before";
    const int gates = gates_of(cell);
    auto add = [&](const std::string& what, auto change) {
      RecurrentCase c = base;
      c.label = name + " " + what;
      change(c);
      cases.push_back(c);
    };
    add("last output", [](RecurrentCase&) {});
    add("sequences", [](RecurrentCase& c) { c.options.return_sequences = true; });
    add("backwards", [](RecurrentCase& c) {
      c.options.go_backwards = true;
      c.options.return_sequences = true;
    });
    add("zero initial states, one step", [](RecurrentCase& c) {
      c.initial_states = false;
      c.time = 1;
    });
    add("mask, previous state", [](RecurrentCase& c) {
      c.options.return_sequences = true;
      c.mask = {"0101", "1100"};
    });
    add("mask, zeros, backwards", [](RecurrentCase& c) {
      c.options.return_sequences = true;
      c.options.go_backwards = true;
      c.options.masked_output = MaskedOutput::zeros;
      c.mask = {"0101", "1000"};
    });
    add("mask, previous output (unroll)", [](RecurrentCase& c) {
      c.options.return_sequences = true;
      c.options.masked_output = MaskedOutput::previous_output;
      c.mask = {"0010", "0000"};
    });
    add("mask, last output masked", [](RecurrentCase& c) {
      c.options.masked_output = MaskedOutput::zeros;
      c.mask = {"1110", "0111"};
    });
    add("no bias, batch 1", [](RecurrentCase& c) {
      c.use_bias = false;
      c.batch = 1;
      c.mask.clear();
    });
    add("one dropout mask", [](RecurrentCase& c) {
      c.input_dropout = 1;
      c.recurrent_dropout = 1;
      c.options.return_sequences = true;
    });
    add("dropout mask per gate", [gates](RecurrentCase& c) {
      c.input_dropout = gates;
      c.recurrent_dropout = gates;
      c.mask = {"1011", "1110"};
    });
    add("softsign and hard_sigmoid", [](RecurrentCase& c) {
      c.options.activation = "softsign";
      c.options.recurrent_activation = "hard_sigmoid";
      c.options.return_sequences = true;
    });
    add("wider", [](RecurrentCase& c) {
      c.batch = 3;
      c.time = 5;
      c.features = 7;
      c.units = 5;
      c.mask = {"11111", "01110", "10101"};
      c.options.return_sequences = true;
    });
  }
  return cases;
}

// The message of the keras::Error fn throws ("" and a test failure if none).
template <class Fn>
std::string error_message_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a keras::Error";
  return "";
}

}  // namespace keras::testing
