#pragma once
// Keras 3's weights layout (see weights_h5.cpp), shared by save_weights /
// load_weights (.weights.h5 files) and save / load_model (the
// model.weights.h5 member of a .keras archive).
#include <string>

#include "models/functional.hpp"
#include "saving/h5_file.hpp"

namespace keras::saving {

// Writes the variables of every layer, then the optimizer's once compiled.
void write_model_weights(H5File& file, const detail::FunctionalImpl& model);

// Reads every layer's variables (and a built optimizer's, when the file has
// them), checking all of them before assigning any. Throws keras::Error
// starting with context and naming the HDF5 path of a missing or
// mismatched group or dataset. With skip_unbuilt_optimizer, the state of an
// optimizer that was not built when the file was saved (iteration and
// learning_rate only) is skipped, as Keras' load_model does.
void read_model_weights(const H5File& file, const detail::FunctionalImpl& model,
                        const std::string& context, bool skip_unbuilt_optimizer);

}  // namespace keras::saving
