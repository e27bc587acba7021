// Legacy .h5 model files are untrusted input: a damaged, absurd or
// inconsistent file gives a keras::Error naming the file, the HDF5 path (or
// attribute) and the field, never a crash or an allocation the file does not
// justify. The bad files are made by editing a good one with the HDF5 C API.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "keras/error.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using keras::saving_testing::TempDir;
using namespace keras::keras_file_testing;

constexpr const char* kKernel = "/model_weights/dense/sequential/dense/kernel";

// A small compiled model saved as .h5; returns its path.
std::string good_file(const TempDir& tmp, const std::string& name = "good.h5") {
  keras::backend::clear_session();
  keras::Sequential model({keras::Input({3}), L::Dense(4), L::Dense(2)});
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.save(tmp.file(name));
  return tmp.file(name);
}

// Opens an .h5 file for editing (read-write), closed at scope exit.
class Edit {
 public:
  explicit Edit(const std::string& path) : id_(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)) {
    EXPECT_GE(id_, 0) << path;
  }
  ~Edit() { H5Fclose(id_); }
  Edit(const Edit&) = delete;
  Edit& operator=(const Edit&) = delete;

  void set_text(const std::string& object, const std::string& name, const std::string& value) {
    if (H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0) {
      H5Adelete_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT);
    }
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate_by_name(id_, object.c_str(), name.c_str(), type, space,
                                              H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const char* text = value.c_str();
    H5Awrite(attribute, type, &text);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
  }
  void set_int(const std::string& object, const std::string& name, int value) {
    H5Adelete_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate_by_name(id_, object.c_str(), name.c_str(), H5T_STD_I32LE,
                                              space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attribute, H5T_NATIVE_INT, &value);
    H5Aclose(attribute);
    H5Sclose(space);
  }
  // A scalar (one value) or 1-D array of null-padded fixed-length strings, as
  // h5py 2 wrote bytes and numpy "S" arrays.
  void set_fixed(const std::string& object, const std::string& name,
                 const std::vector<std::string>& values, bool scalar) {
    if (H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0) {
      H5Adelete_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT);
    }
    std::size_t width = 1;
    for (const std::string& v : values) width = std::max(width, v.size());
    std::string buffer(values.size() * width, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) values[i].copy(&buffer[i * width], width);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, width);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    const hsize_t size = values.size();
    const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &size, nullptr);
    const hid_t attribute = H5Acreate_by_name(id_, object.c_str(), name.c_str(), type, space,
                                              H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attribute, type, buffer.data());
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
  }
  void remove_attribute(const std::string& object, const std::string& name) {
    EXPECT_GE(H5Adelete_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT), 0);
  }
  void remove(const std::string& path) { EXPECT_GE(H5Ldelete(id_, path.c_str(), H5P_DEFAULT), 0); }
  void replace_dataset(const std::string& path, std::vector<hsize_t> dims) {
    remove(path);
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t dataset =
        H5Dcreate2(id_, path.c_str(), H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(dataset);
    H5Sclose(space);
  }
  json model_config() const {
    const hid_t attribute = H5Aopen(id_, "model_config", H5P_DEFAULT);
    const hid_t type = H5Aget_type(attribute);
    char* text = nullptr;
    H5Aread(attribute, type, &text);
    json out = json::parse(text);
    H5free_memory(text);
    H5Tclose(type);
    H5Aclose(attribute);
    return out;
  }

 private:
  hid_t id_;
};

// load_model's error message; the test fails if it throws none or the
// message does not name the file and every part.
std::string load_error(const std::string& path, const std::vector<std::string>& parts,
                       keras::LoadModelOptions options = {}) {
  const std::string message = error_of([&] { keras::load_model(path, options); });
  EXPECT_NE(message, "") << path << " loaded";
  EXPECT_NE(message.find("load_model(\"" + path + "\")"), std::string::npos) << message;
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "no \"" << part << "\" in: " << message;
  }
  return message;
}

// Not an error: what older Keras and h5py versions wrote loads too.
TEST(LegacyH5Errors, FixedLengthAndSplitAttributesLoad) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  const keras::Model before = keras::load_model(path);
  {
    Edit edit(path);
    edit.set_fixed("/", "model_config", {edit.model_config().dump()}, true);
    edit.set_fixed("/model_weights/dense", "weight_names",
                   {"sequential/dense/kernel", "sequential/dense/bias"}, false);
  }
  {
    // A long list, as Keras splits it: layer_names0, layer_names1, ...
    Edit edit(path);
    edit.remove_attribute("/model_weights", "layer_names");
    edit.set_fixed("/model_weights", "layer_names0", {"dense"}, false);
    edit.set_fixed("/model_weights", "layer_names1", {"dense_1"}, false);
  }
  const keras::Model after = keras::load_model(path);
  const auto w0 = before.get_weights(), w1 = after.get_weights();
  ASSERT_EQ(w0.size(), w1.size());
  for (std::size_t i = 0; i < w0.size(); ++i) expect_close(w1[i], w0[i], 0.0, "weight");
}

TEST(LegacyH5Errors, NotAnHdf5File) {
  TempDir tmp;
  write_text(tmp.file("text.h5"), "not an HDF5 file at all");
  load_error(tmp.file("text.h5"), {"not an HDF5 file"});
  load_error(tmp.file("absent.h5"), {"cannot open"});
}

TEST(LegacyH5Errors, AWeightsFileIsNotAModel) {
  TempDir tmp;
  keras::Sequential model({keras::Input({3}), L::Dense(2)});
  model.save_weights(tmp.file("w.weights.h5"));
  fs::copy_file(tmp.file("w.weights.h5"), tmp.file("w.h5"));
  load_error(tmp.file("w.h5"), {"model_config", "load_weights"});
}

TEST(LegacyH5Errors, ModelConfigThatIsNotJsonOrNotText) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  Edit(path).set_text("/", "model_config", "{\"class_name\": ");
  load_error(path, {"attribute model_config", "not valid JSON"});
  Edit(path).set_int("/", "model_config", 7);
  load_error(path, {"model_config", "not a string"});
}

TEST(LegacyH5Errors, UnknownLayerClass) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  {
    Edit edit(path);
    json config = edit.model_config();
    config["config"]["layers"][1]["class_name"] = "FancyLayer";
    edit.set_text("/", "model_config", config.dump());
  }
  load_error(path, {"attribute model_config", "model.config.layers[1]", "FancyLayer"});
}

TEST(LegacyH5Errors, AbsurdSizesAreRefusedBeforeAllocating) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  {
    Edit edit(path);
    json config = edit.model_config();
    config["config"]["layers"][1]["config"]["units"] = 1000000000;  // a 12 GB kernel
    edit.set_text("/", "model_config", config.dump());
  }
  load_error(path, {"attribute model_config", "dense", "kernel", "bytes"});
}

TEST(LegacyH5Errors, WeightShapeMismatch) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  Edit(path).replace_dataset(kKernel, {4, 4});
  load_error(path, {kKernel, "(4, 4)", "(3, 4)", "Dense \"dense\""});
}

TEST(LegacyH5Errors, MissingWeight) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  Edit(path).remove(kKernel);
  load_error(path, {kKernel, "missing"});
}

TEST(LegacyH5Errors, WeightAndLayerCounts) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  Edit(path).set_text("/model_weights/dense", "weight_names", "sequential/dense/kernel");
  load_error(path, {"/model_weights/dense", "weight_names", "1 weights", "has 2"});

  const std::string other = good_file(tmp, "other.h5");
  {
    Edit edit(other);
    json config = edit.model_config();
    json extra = config["config"]["layers"][2];
    extra["config"]["name"] = "dense_9";
    config["config"]["layers"].push_back(extra);
    edit.set_text("/", "model_config", config.dump());
  }
  load_error(other, {"/model_weights", "2 layers", "3 layers with weights"});
}

TEST(LegacyH5Errors, MissingGroups) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  Edit(path).remove("/model_weights/dense_1");
  load_error(path, {"/model_weights/dense_1", "layer_names", "missing"});
  const std::string other = good_file(tmp, "other.h5");
  Edit(other).remove("/model_weights");
  load_error(other, {"/model_weights", "missing"});
}

TEST(LegacyH5Errors, TrainingConfigIsOnlyReadWhenCompiling) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  {
    Edit edit(path);
    edit.set_text("/", "training_config",
                  R"({"loss": "mse", "optimizer_config": {"class_name": "Fancy", "config": {}}})");
  }
  load_error(path, {"attribute training_config", "optimizer_config", "Fancy"});
  EXPECT_EQ(error_of([&] { keras::load_model(path, {.compile = false}); }), "");
}

TEST(LegacyH5Errors, TruncatedAndDamagedFiles) {
  TempDir tmp;
  const std::string path = good_file(tmp);
  const std::string bytes = read_text(path);
  for (std::size_t keep : {std::size_t{8}, std::size_t{100}, bytes.size() / 2, bytes.size() - 64}) {
    SCOPED_TRACE(keep);
    write_text(tmp.file("cut.h5"), bytes.substr(0, keep));
    load_error(tmp.file("cut.h5"), {});
  }
  // Bytes changed here and there: an error or a model, never a crash.
  std::uint32_t state = 12345;
  for (int round = 0; round < 40; ++round) {
    std::string damaged = bytes;
    for (int k = 0; k < 4; ++k) {
      state = state * 1664525u + 1013904223u;
      damaged[state % damaged.size()] = static_cast<char>(state >> 24);
    }
    write_text(tmp.file("damaged.h5"), damaged);
    try {
      keras::load_model(tmp.file("damaged.h5"));
    } catch (const keras::Error& e) {
      EXPECT_NE(std::string(e.what()).find("damaged.h5"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
