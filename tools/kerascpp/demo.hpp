#pragma once
// `kerascpp demo`: trains a model on Fashion-MNIST, showing Keras' summary,
// progress bar and the test accuracy.
#include <cstdint>
#include <string>

namespace kerascpp_tool {

struct DemoOptions {
  std::string model = "mlp";
  int epochs = 5;
  std::int64_t batch_size = 128;
  int verbose = 1;
  std::string data_dir;
};

int run_demo(const DemoOptions& options);

}  // namespace kerascpp_tool
