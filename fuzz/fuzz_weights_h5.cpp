// libFuzzer target of the .weights.h5 reader: Model::load_weights on the
// input written to a file, into one fixed model (weights_h5_model.hpp) whose
// layers cover every layout the reader knows. Every input must either load
// or throw keras::Error.
//
// KERASCPP_FUZZ_WRITE_SEED=<folder> makes the program save that model's
// weights there as seed.weights.h5 (a valid input to start from) and exit;
// scripts/fuzz does this to seed the corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "support.hpp"
#include "keras/error.hpp"
#include "weights_h5_model.hpp"

namespace {

keras::Model& model() {
  static keras::Model m = keras::fuzz::weights_h5_model();
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* folder = std::getenv("KERASCPP_FUZZ_WRITE_SEED")) {
    model().save_weights(std::string(folder) + "/seed.weights.h5");
    std::exit(0);
  }
  model();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = keras::fuzz::write_input_file(data, size, ".weights.h5");
  try {
    model().load_weights(path);
  } catch (const keras::Error&) {
  }
  return 0;
}
