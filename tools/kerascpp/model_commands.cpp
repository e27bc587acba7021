// kerascpp summary / explain / predict / convert (plot: plot_command.cpp).
#include "model_commands.hpp"

#include <iostream>
#include <keras/io/npy.hpp>
#include <keras/model.hpp>
#include <keras/saving.hpp>

namespace kerascpp_tool {

int run_summary(const SummaryCommandOptions& options) {
  // The optimizer's variables count in Keras' summary of a loaded model, so
  // the model is loaded compiled, as keras.saving.load_model does.
  const keras::Model model = keras::load_model(options.model);
  keras::SummaryOptions summary;
  summary.line_length = options.line_length;
  summary.expand_nested = options.expand_nested;
  summary.show_trainable = options.show_trainable;
  model.summary(std::cout, summary);
  return 0;
}

int run_explain(const std::string& path) {
  const keras::Model model = keras::load_model(path, {.compile = false});
  model.explain(std::cout);
  return 0;
}

namespace {

// OUT.npy -> OUT_3.npy (OUT -> OUT_3.npy).
std::string numbered(const std::string& path, std::size_t i) {
  const std::string suffix = ".npy";
  const bool has_suffix = path.size() >= suffix.size() &&
                          path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  const std::string stem = has_suffix ? path.substr(0, path.size() - suffix.size()) : path;
  return stem + "_" + std::to_string(i) + suffix;
}

}  // namespace

int run_predict(const PredictCommandOptions& options) {
  const keras::Model model = keras::load_model(options.model, {.compile = false});
  const std::size_t wanted = model.inputs().size();
  if (options.inputs.size() != wanted) {
    std::cerr << "kerascpp predict: the model takes " << wanted << " input"
              << (wanted == 1 ? "" : "s") << ", got " << options.inputs.size() << " .npy file"
              << (options.inputs.size() == 1 ? "" : "s")
              << "; give one per input, in the model's input order.\n";
    return 2;
  }
  std::vector<keras::Tensor> xs;
  for (const std::string& path : options.inputs) xs.push_back(keras::io::load_npy(path));
  const std::vector<keras::Tensor> ys = model.predict(xs, {.batch_size = options.batch_size});
  for (std::size_t i = 0; i < ys.size(); ++i) {
    const std::string path = ys.size() == 1 ? options.output : numbered(options.output, i);
    keras::io::save_npy(path, ys[i]);
    std::cout << path << " " << ys[i].shape().to_string() << " " << keras::dtype_name(ys[i].dtype())
              << "\n";
  }
  return 0;
}

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "Keras 3 .keras" / "legacy HDF5 .h5", or empty for an unknown extension.
std::string format_of(const std::string& path) {
  if (ends_with(path, ".keras")) return "Keras 3 .keras";
  if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) return "legacy HDF5 .h5";
  return "";
}

}  // namespace

int run_convert(const ConvertCommandOptions& options) {
  for (const std::string* path : {&options.input, &options.output}) {
    if (format_of(*path).empty()) {
      std::cerr << "kerascpp convert: \"" << *path
                << "\" has no known model extension; use .keras (Keras 3) or .h5 (legacy "
                   "HDF5).\n";
      return 2;
    }
  }
  const keras::Model model = keras::load_model(options.input, {.compile = options.compile});
  model.save(options.output);
  std::cout << options.output << " (" << format_of(options.output) << ")\n";
  return 0;
}

}  // namespace kerascpp_tool
