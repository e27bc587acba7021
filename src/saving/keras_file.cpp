// model.save / keras.saving.load_model in Keras 3's .keras format
// (keras/src/saving/saving_lib.py); a path ending in .h5 or .hdf5 goes to the
// legacy HDF5 format instead (legacy_h5.cpp), as in Keras. A .keras file is a
// zip archive of
//   metadata.json     {"keras_version": "3.15.1", "date_saved": "2025-01-01@12:00:00"}
//   config.json       serialize_keras_object(model), compile_config included
//   model.weights.h5  the .weights.h5 layout (weights_h5.cpp)
// Files are untrusted: every size is checked against the file before it is
// allocated (the archive's members, the weights the config asks for, the
// datasets of the weights file), and every failure is a keras::Error that
// names the file, the member and the field.
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "keras/error.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "layers/layer_config_writer.hpp"
#include "models/functional.hpp"
#include "saving/config_checks.hpp"
#include "saving/h5_file.hpp"
#include "saving/keras_archive.hpp"
#include "saving/legacy_h5.hpp"
#include "saving/model_from_config.hpp"
#include "saving/weight_budget.hpp"
#include "saving/weights_h5.hpp"

namespace keras {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* kMetadata = "metadata.json";
constexpr const char* kConfig = "config.json";
constexpr const char* kWeights = "model.weights.h5";
// The Keras version whose format kerascpp writes.
constexpr const char* kKerasVersion = "3.15.1";
// The most JSON text a member may hold.
constexpr std::int64_t kMaxJsonBytes = std::int64_t{64} << 20;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Keras' date_saved: local time as "%Y-%m-%d@%H:%M:%S".
std::string date_saved() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d@%H:%M:%S", &local);
  return text;
}

json parse_member(const saving::KerasArchive& archive, const std::string& member,
                  const std::string& context) {
  json value;
  try {
    value = json::parse(archive.member(member));
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw Error(context + ": member " + quoted(member) + " is not valid JSON: " + e.what());
  }
  if (!value.is_object()) {
    throw Error(context + ": member " + quoted(member) + " must hold a JSON object.");
  }
  return value;
}

// The model's layers and weights as config.json describes them.
Model rebuild(const json& config, std::int64_t weights_bytes, const std::string& context) {
  const std::string where = context + ": " + kConfig;
  saving::check_config_values(config, where + ": model");
  // The weights the config asks for must fit in the weights file.
  saving::WeightBudget budget(weights_bytes);
  try {
    return saving::model_from_config(config);
  } catch (const Error& e) {
    std::string what = e.what();
    const std::string prefix = "model_from_json: ";
    if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
    if (what.rfind(context, 0) == 0) throw;
    throw Error(where + ": " + what);
  }
}

}  // namespace

void Model::save(const std::string& path) const {
  const std::string context = "save(" + quoted(path) + ")";
  if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) {
    // Keras' legacy HDF5 format, as model.save("m.h5") writes it.
    saving::save_legacy_h5(functional(), path, context);
    return;
  }
  if (!ends_with(path, ".keras")) {
    throw Error(context +
                ": invalid filepath extension for saving. Add a `.keras` extension "
                "(Keras 3's native format) or `.h5` (the legacy HDF5 format).");
  }
  detail::FunctionalImpl& model = functional();
  // Everything is serialized before the file is touched.
  const std::string config = detail::serialize_layer(model).object.dump();
  saving::H5File weights = saving::H5File::create_in_memory(context + ": " + kWeights);
  saving::write_model_weights(weights, model);
  std::string weights_image = weights.image();
  weights.close();
  const json metadata = {{"keras_version", kKerasVersion}, {"date_saved", date_saved()}};
  saving::write_archive(path,
                        {{kMetadata, metadata.dump(), false},
                         {kConfig, config, false},
                         {kWeights, std::move(weights_image), true}},
                        context);
}

Model load_model(const std::string& path, const LoadModelOptions& options) {
  const std::string context = "load_model(" + quoted(path) + ")";
  if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) {
    return saving::load_legacy_h5(path, options, context);
  }
  if (!ends_with(path, ".keras")) {
    throw Error(context +
                ": file format not supported. kerascpp reads Keras 3 `.keras` files and "
                "legacy HDF5 `.h5` files.");
  }
  const saving::KerasArchive archive = saving::KerasArchive::read(
      path, context, {{kMetadata, kMaxJsonBytes}, {kConfig, kMaxJsonBytes}, {kWeights, INT64_MAX}});
  json config = parse_member(archive, kConfig, context);
  // As Keras' load_model(compile=False): the compile_config is ignored.
  if (!options.compile) config.erase("compile_config");
  if (archive.has(kMetadata)) parse_member(archive, kMetadata, context);
  const std::string& weights = archive.member(kWeights);

  Model model = rebuild(config, static_cast<std::int64_t>(weights.size()), context);
  detail::FunctionalImpl& impl = *detail::as_model(model.ptr().get());
  saving::check_tensor_sizes(impl, context + ": " + kConfig);
  const std::string where = context + ": " + kWeights;
  const saving::H5File file = saving::H5File::open_image(weights, where);
  saving::read_model_weights(file, impl, where, true);
  return model;
}

}  // namespace keras
