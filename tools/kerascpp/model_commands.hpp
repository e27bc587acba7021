#pragma once
// `kerascpp summary`, `explain`, `plot`, `predict` and `convert`: a saved
// model (.keras, or a legacy .h5) inspected, run and converted from the
// command line.
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

// Prints what each layer does to the shapes and where each parameter comes
// from (Model::explain).
int run_explain(const std::string& model);

struct PlotCommandOptions {
  std::string model;
  // Empty: DOT text on stdout. OUT.dot: DOT text. OUT.svg, .png, .pdf: drawn by
  // Graphviz's `dot`, which must be installed.
  std::string output;
  std::string rankdir = "TB";
  bool show_dtype = false;
  bool show_trainable = false;
};

// Draws the model's graph: each layer with its name, class and parameter
// count, each edge with its tensor's shape. Returns 2 for an output name
// whose extension it does not know.
int run_plot(const PlotCommandOptions& options);

struct PredictCommandOptions {
  std::string model;
  std::vector<std::string> inputs;  // one .npy per model input, in order
  std::string output;               // OUT.npy; OUT_0.npy, OUT_1.npy, ... for several outputs
  std::int64_t batch_size = 32;
};

// Runs model.predict on the inputs and writes the outputs; prints one line
// per file written. Returns 2 when the number of inputs does not fit the model.
int run_predict(const PredictCommandOptions& options);

struct ConvertCommandOptions {
  std::string input;    // .keras, .h5 or .hdf5
  std::string output;   // .keras, .h5 or .hdf5
  bool compile = true;  // false: leave out the compile arguments and optimizer state
};

// Reads a model in one format and writes it in the other (or the same),
// formats chosen by the file extensions: a .keras archive (Keras 3) or a
// legacy HDF5 .h5 file (Keras 2 / tf.keras, or Keras 3's model.save("m.h5")).
// Returns 2 for an extension it does not know.
int run_convert(const ConvertCommandOptions& options);

}  // namespace kerascpp_tool
