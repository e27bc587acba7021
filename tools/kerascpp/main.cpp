// kerascpp: the command-line face of the library. Results go to stdout, one
// clear error line to stderr; exit 0 on success, 1 on a failed run, 2 on bad
// usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <keras/error.hpp>

#include "demo.hpp"
#include "model_commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"kerascpp: Keras 3 models in C++ (same shapes, summaries and numbers)",
               "kerascpp"};
  app.set_version_flag("--version", std::string("kerascpp ") + KERASCPP_VERSION);
  app.require_subcommand(1);

  kerascpp_tool::DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "Train a model on Fashion-MNIST: summary, progress bar and test accuracy");
  demo_cmd->add_option("--model", demo.model, "Model to train")
      ->check(CLI::IsMember({"mlp", "cnn"}))
      ->capture_default_str();
  demo_cmd->add_option("--epochs", demo.epochs, "Epochs")->check(CLI::PositiveNumber)
      ->capture_default_str();
  demo_cmd->add_option("--batch-size", demo.batch_size, "Batch size")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  demo_cmd->add_option("--verbose", demo.verbose, "0 silent, 1 progress bar, 2 one line per epoch")
      ->check(CLI::Range(0, 2))
      ->capture_default_str();
  demo_cmd->add_option("--data-dir", demo.data_dir,
                       "Folder with the Fashion-MNIST .gz files (default: the Debian package's)");

  kerascpp_tool::SummaryCommandOptions summary;
  CLI::App* summary_cmd = app.add_subcommand(
      "summary", "Print a saved model's summary table, as Keras' model.summary()");
  summary_cmd->add_option("MODEL", summary.model, "The model file (.keras or .h5)")->required();
  summary_cmd
      ->add_option("--line-length", summary.line_length,
                   "Width of the table (default: Keras' rule, 76 in a pipe)")
      ->check(CLI::Range(20, 1000));
  summary_cmd->add_flag("--expand-nested", summary.expand_nested, "Show nested models' layers");
  summary_cmd->add_flag("--show-trainable", summary.show_trainable,
                        "Add a column saying whether each layer is trainable");

  std::string explain_model;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain",
      "Explain a saved model layer by layer: shapes, the operation in index notation, what is "
      "shared, and where every parameter comes from");
  explain_cmd->add_option("MODEL", explain_model, "The model file (.keras or .h5)")->required();

  kerascpp_tool::PlotCommandOptions plot;
  CLI::App* plot_cmd = app.add_subcommand(
      "plot",
      "Draw a saved model's graph (Graphviz DOT): layers with their parameter counts, edges "
      "with their shapes");
  plot_cmd->add_option("MODEL", plot.model, "The model file (.keras or .h5)")->required();
  plot_cmd->add_option("-o,--output", plot.output,
                       "OUT.dot (DOT text), or OUT.svg / OUT.png / OUT.pdf (drawn by Graphviz's "
                       "dot); default: DOT text on stdout");
  plot_cmd->add_option("--rankdir", plot.rankdir, "TB: top to bottom, LR: left to right")
      ->check(CLI::IsMember({"TB", "BT", "LR", "RL"}))
      ->capture_default_str();
  plot_cmd->add_flag("--show-dtype", plot.show_dtype, "Add each tensor's dtype to its edge");
  plot_cmd->add_flag("--show-trainable", plot.show_trainable,
                     "Mark layers with weights as trainable or not");

  kerascpp_tool::PredictCommandOptions predict;
  CLI::App* predict_cmd = app.add_subcommand(
      "predict", "Run a saved model on .npy inputs and write its outputs as .npy files");
  predict_cmd->add_option("MODEL", predict.model, "The model file (.keras or .h5)")->required();
  predict_cmd
      ->add_option("INPUTS", predict.inputs,
                   "One .npy file per model input, in the model's input order")
      ->required();
  predict_cmd
      ->add_option("-o,--output", predict.output,
                   "Output .npy file (several outputs: OUT_0.npy, OUT_1.npy, ...)")
      ->required();
  predict_cmd->add_option("--batch-size", predict.batch_size, "Batch size")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  kerascpp_tool::ConvertCommandOptions convert;
  bool convert_no_compile = false;
  CLI::App* convert_cmd = app.add_subcommand(
      "convert",
      "Convert a saved model between Keras 3's .keras format and the legacy HDF5 .h5 format "
      "(either way, chosen by the extensions), with its weights and training state");
  convert_cmd->add_option("INPUT", convert.input, "The model file to read (.keras or .h5)")
      ->required();
  convert_cmd->add_option("OUTPUT", convert.output, "The model file to write (.keras or .h5)")
      ->required();
  convert_cmd->add_flag("--no-compile", convert_no_compile,
                        "Leave out the compile arguments and the optimizer's state, as "
                        "load_model(compile=False)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses exit code 0 for --help/--version, non-zero for bad usage.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (*demo_cmd) return kerascpp_tool::run_demo(demo);
    if (*summary_cmd) return kerascpp_tool::run_summary(summary);
    if (*explain_cmd) return kerascpp_tool::run_explain(explain_model);
    if (*plot_cmd) return kerascpp_tool::run_plot(plot);
    if (*predict_cmd) return kerascpp_tool::run_predict(predict);
    if (*convert_cmd) {
      convert.compile = !convert_no_compile;
      return kerascpp_tool::run_convert(convert);
    }
  } catch (const keras::Error& e) {
    std::cerr << "kerascpp: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "kerascpp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
