// kerascpp: the command-line face of the library. Results go to stdout, one
// clear error line to stderr; exit 0 on success, 1 on a failed run, 2 on bad
// usage.
#include <CLI/CLI.hpp>
#include <iostream>
#include <keras/error.hpp>

#include "demo.hpp"

int main(int argc, char** argv) {
  CLI::App app{"kerascpp: Keras 3 models in C++ (same shapes, summaries and numbers)",
               "kerascpp"};
  app.set_version_flag("--version", std::string("kerascpp ") + KERASCPP_VERSION);
  app.require_subcommand(1);

  kerascpp_tool::DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "Train a model on Fashion-MNIST: summary, progress bar and test accuracy");
  demo_cmd->add_option("--model", demo.model, "Model to train")
      ->check(CLI::IsMember({"mlp"}))
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 uses exit code 0 for --help/--version, non-zero for bad usage.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (*demo_cmd) return kerascpp_tool::run_demo(demo);
  } catch (const keras::Error& e) {
    std::cerr << "kerascpp: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "kerascpp: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
