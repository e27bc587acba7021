// libFuzzer target of the legacy HDF5 model reader: keras::load_model on the
// input written to a file ending in .h5 (what Keras 2's model.save wrote:
// the model_config attribute, model_weights, training_config). Every input
// must either load or throw keras::Error.
#include <cstddef>
#include <cstdint>

#include "support.hpp"
#include "keras/error.hpp"
#include "keras/saving.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = keras::fuzz::write_input_file(data, size, ".h5");
  try {
    keras::load_model(path);
  } catch (const keras::Error&) {
  }
  return 0;
}
