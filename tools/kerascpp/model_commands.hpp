#pragma once
// `kerascpp summary` and `kerascpp predict`: a saved model (.keras) inspected
// and run from the command line.
#include <cstdint>
#include <string>
#include <vector>

namespace kerascpp_tool {

struct SummaryCommandOptions {
  std::string model;
  int line_length = 0;  // 0: Keras' rule (76 in a pipe, else the terminal's width)
  bool expand_nested = false;
  bool show_trainable = false;
};

// Prints the model's summary table to stdout, as Keras' model.summary().
int run_summary(const SummaryCommandOptions& options);

struct PredictCommandOptions {
  std::string model;
  std::vector<std::string> inputs;  // one .npy per model input, in order
  std::string output;               // OUT.npy; OUT_0.npy, OUT_1.npy, ... for several outputs
  std::int64_t batch_size = 32;
};

// Runs model.predict on the inputs and writes the outputs; prints one line
// per file written. Returns 2 when the number of inputs does not fit the model.
int run_predict(const PredictCommandOptions& options);

}  // namespace kerascpp_tool
