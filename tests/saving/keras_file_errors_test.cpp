// .keras files are untrusted input: a damaged or inconsistent file gives a
// keras::Error naming the file, the archive member and the field, never a
// crash or an allocation larger than the file justifies.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "keras/error.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "saving/keras_archive.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/saving_testing.hpp"

namespace {

namespace L = keras::layers;
using json = nlohmann::ordered_json;
using keras::saving_testing::TempDir;
using namespace keras::keras_file_testing;

// The members of a small valid model's .keras file.
struct Members {
  std::string metadata, config, weights;
};

Members good_members(const TempDir& tmp) {
  keras::Sequential model({keras::Input({3}), L::Dense(4), L::Dense(2)});
  model.save(tmp.file("good.keras"));
  const std::string p = tmp.file("good.keras");
  return {read_member(p, "metadata.json"), read_member(p, "config.json"),
          read_member(p, "model.weights.h5")};
}

std::string write(const TempDir& tmp, const std::string& name,
                  const std::vector<keras::saving::ArchiveMember>& members) {
  const std::string path = tmp.file(name);
  keras::saving::write_archive(path, members, "test");
  return path;
}

std::string with_config(const TempDir& tmp, const Members& m, const std::string& config,
                        const std::string& name = "edited.keras") {
  return write(
      tmp, name,
      {{"metadata.json", m.metadata}, {"config.json", config}, {"model.weights.h5", m.weights}});
}

// load_model's error message; the test fails if it throws none.
std::string load_error(const std::string& path) {
  const std::string message = error_of([&] { keras::load_model(path); });
  EXPECT_NE(message, "") << path << " loaded";
  EXPECT_NE(message.find(path), std::string::npos)
      << "the message does not name the file: " << message;
  return message;
}

void expect_contains(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << message;
}

TEST(LoadErrors, MissingFileOrWrongExtension) {
  TempDir tmp;
  expect_contains(load_error(tmp.file("absent.keras")), "no such file");
  // A path ending in .h5 is read as a legacy HDF5 file (legacy_h5_errors_test.cpp).
  expect_contains(load_error(tmp.file("m.h5")), "cannot open the file");
  expect_contains(error_of([&] { keras::load_model(tmp.file("m.txt")); }), ".keras");
}

TEST(LoadErrors, NotAZipArchive) {
  TempDir tmp;
  write_text(tmp.file("text.keras"), "this is not a zip archive at all");
  expect_contains(load_error(tmp.file("text.keras")), "not a zip archive");
  write_text(tmp.file("empty.keras"), "");
  load_error(tmp.file("empty.keras"));
}

TEST(LoadErrors, TruncatedAnywhere) {
  TempDir tmp;
  good_members(tmp);
  const std::string whole = read_text(tmp.file("good.keras"));
  for (int k = 1; k < 20; ++k) {
    const std::size_t size = whole.size() * static_cast<std::size_t>(k) / 20;
    const std::string path = tmp.file("cut" + std::to_string(k) + ".keras");
    write_text(path, whole.substr(0, size));
    SCOPED_TRACE("cut at " + std::to_string(size) + " of " + std::to_string(whole.size()));
    load_error(path);
  }
}

TEST(LoadErrors, CorruptedWeightBytesFailTheChecksum) {
  TempDir tmp;
  const Members m = good_members(tmp);
  std::string whole = read_text(tmp.file("good.keras"));
  // Flip a byte inside the stored weights file (its data sits between the
  // config and the central directory).
  const std::size_t at = whole.find(m.weights.substr(0, 64));
  ASSERT_NE(at, std::string::npos);
  whole[at + m.weights.size() / 2] ^= 0x5a;
  write_text(tmp.file("flipped.keras"), whole);
  expect_contains(load_error(tmp.file("flipped.keras")), "model.weights.h5");
}

TEST(LoadErrors, MissingMembers) {
  TempDir tmp;
  const Members m = good_members(tmp);
  expect_contains(
      load_error(write(tmp, "no_config.keras",
                       {{"metadata.json", m.metadata}, {"model.weights.h5", m.weights}})),
      "no member \"config.json\"");
  expect_contains(load_error(write(tmp, "no_weights.keras",
                                   {{"metadata.json", m.metadata}, {"config.json", m.config}})),
                  "no member \"model.weights.h5\"");
}

TEST(LoadErrors, DuplicateMembers) {
  TempDir tmp;
  const Members m = good_members(tmp);
  // libzip refuses to write two members of one name: write "config.jsoX"
  // and rename it in the bytes (local header and central directory).
  const std::string path = write(tmp, "dup.keras",
                                 {{"metadata.json", m.metadata},
                                  {"config.json", m.config},
                                  {"config.jsoX", m.config},
                                  {"model.weights.h5", m.weights}});
  std::string bytes = read_text(path);
  for (std::size_t at = bytes.find("config.jsoX"); at != std::string::npos;
       at = bytes.find("config.jsoX", at)) {
    bytes[at + 10] = 'n';
  }
  write_text(path, bytes);
  const std::string message = load_error(path);
  EXPECT_TRUE(message.find("twice") != std::string::npos ||
              message.find("two members of the same name") != std::string::npos)
      << message;
}

TEST(LoadErrors, ConfigIsNotJson) {
  TempDir tmp;
  const Members m = good_members(tmp);
  expect_contains(load_error(with_config(tmp, m, "{\"class_name\": \"Sequential\", ")),
                  "member \"config.json\" is not valid JSON");
  expect_contains(load_error(with_config(tmp, m, "[1, 2]")), "config.json");
  expect_contains(load_error(with_config(tmp, m, std::string(5000, '[') + std::string(5000, ']'))),
                  "config.json");
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "{\"a\": ";
  deep += "1" + std::string(5000, '}');
  expect_contains(load_error(with_config(tmp, m, deep, "deep.keras")), "nested more than");
}

TEST(LoadErrors, UnknownLayerClass) {
  TempDir tmp;
  const Members m = good_members(tmp);
  json config = json::parse(m.config);
  config["config"]["layers"][1]["class_name"] = "FancyLayer";
  const std::string message = load_error(with_config(tmp, m, config.dump()));
  expect_contains(message, "config.json");
  expect_contains(message, "layers[1]");
  expect_contains(message, "FancyLayer");
}

TEST(LoadErrors, MissingOrIllTypedField) {
  TempDir tmp;
  const Members m = good_members(tmp);
  json config = json::parse(m.config);
  config["config"]["layers"][1]["config"]["units"] = "four";
  const std::string message = load_error(with_config(tmp, m, config.dump()));
  expect_contains(message, "config.json");
  expect_contains(message, "\"units\"");
}

TEST(LoadErrors, WeightShapesDisagreeWithTheConfig) {
  TempDir tmp;
  const Members m = good_members(tmp);
  json config = json::parse(m.config);
  config["config"]["layers"][2]["config"]["units"] = 3;  // the file holds 2
  std::string message = load_error(with_config(tmp, m, config.dump()));
  expect_contains(message, "model.weights.h5");
  expect_contains(message, "/layers/dense_1/vars/0");
  expect_contains(message, "(4, 2)");
  expect_contains(message, "(4, 3)");
  // A first layer of another size no longer fits the second one's build_config.
  config = json::parse(m.config);
  config["config"]["layers"][1]["config"]["units"] = 5;
  message = load_error(with_config(tmp, m, config.dump(), "first.keras"));
  expect_contains(message, "config.json: model.config.layers[2]");
}

TEST(LoadErrors, LayersMissingFromTheWeightsFile) {
  TempDir tmp;
  const Members m = good_members(tmp);
  json config = json::parse(m.config);
  json extra = config["config"]["layers"][2];
  extra["config"]["name"] = "dense_9";
  extra["build_config"]["input_shape"] = json::parse("[null, 2]");
  config["config"]["layers"].push_back(extra);
  const std::string message = load_error(with_config(tmp, m, config.dump()));
  expect_contains(message, "model.weights.h5");
  expect_contains(message, "/layers/dense_2/vars");
}

// A config asking for weights far larger than the file fails before the
// weights are allocated.
TEST(LoadErrors, AbsurdSizesFailBeforeAllocating) {
  TempDir tmp;
  const Members m = good_members(tmp);
  json units = json::parse(m.config);
  units["config"]["layers"][1]["config"]["units"] = 1 << 30;  // a 12 GB kernel
  std::string message = load_error(with_config(tmp, m, units.dump(), "units.keras"));
  expect_contains(message, "config.json");
  expect_contains(message, "bytes of weights the file holds");

  json huge = json::parse(m.config);
  huge["config"]["layers"][1]["config"]["units"] = std::int64_t{1} << 50;
  message = load_error(with_config(tmp, m, huge.dump(), "huge.keras"));
  expect_contains(message, "config.json: model.config.layers[1].config.units");

  json dims = json::parse(m.config);
  dims["config"]["layers"][0]["config"]["batch_shape"] = json::parse("[null, 1048576, 1048576, 3]");
  dims["config"]["layers"][1]["build_config"]["input_shape"] =
      json::parse("[null, 1048576, 1048576, 3]");
  message = load_error(with_config(tmp, m, dims.dump(), "dims.keras"));
  expect_contains(message, "config.json");

  json negative = json::parse(m.config);
  negative["config"]["layers"][0]["config"]["batch_shape"] = json::parse("[null, -7]");
  load_error(with_config(tmp, m, negative.dump(), "negative.keras"));
}

TEST(LoadErrors, WeightsMemberIsNotHdf5) {
  TempDir tmp;
  const Members m = good_members(tmp);
  const std::string path = write(tmp, "garbage.keras",
                                 {{"metadata.json", m.metadata},
                                  {"config.json", m.config},
                                  {"model.weights.h5", std::string(m.weights.size(), 'x')}});
  const std::string message = load_error(path);
  expect_contains(message, "model.weights.h5");
  expect_contains(message, "not an HDF5 file");
  // Too small to hold the weights the config asks for.
  const std::string small = write(
      tmp, "small.keras",
      {{"metadata.json", m.metadata}, {"config.json", m.config}, {"model.weights.h5", "tiny"}});
  expect_contains(load_error(small), "bytes of weights the file holds");
  // HDF5's signature followed by garbage.
  const std::string fake = m.weights.substr(0, 8) + std::string(m.weights.size() - 8, '\x17');
  const std::string path2 =
      write(tmp, "garbage2.keras",
            {{"metadata.json", m.metadata}, {"config.json", m.config}, {"model.weights.h5", fake}});
  expect_contains(load_error(path2), "model.weights.h5");
}

TEST(LoadErrors, MetadataIsNotJson) {
  TempDir tmp;
  const Members m = good_members(tmp);
  const std::string path = write(
      tmp, "meta.keras",
      {{"metadata.json", "{oops"}, {"config.json", m.config}, {"model.weights.h5", m.weights}});
  expect_contains(load_error(path), "member \"metadata.json\"");
}

TEST(LoadErrors, CompileConfigThatCannotBeHonoured) {
  TempDir tmp;
  const Members m = good_members(tmp);
  json config = json::parse(m.config);
  config["compile_config"] = json::parse(R"({"optimizer": {"class_name": "Ftrl", "config": {}},
                                             "loss": "mse"})");
  std::string message = load_error(with_config(tmp, m, config.dump(), "ftrl.keras"));
  expect_contains(message, "compile_config.optimizer");
  expect_contains(message, "Ftrl");
  config["compile_config"] = json::parse(R"({"optimizer": "adam", "loss": "no_such_loss"})");
  message = load_error(with_config(tmp, m, config.dump(), "loss.keras"));
  expect_contains(message, "compile_config.loss");
  // Without compiling, the same file loads.
  EXPECT_NO_THROW(keras::load_model(tmp.file("loss.keras"), {.compile = false}));
}

}  // namespace

namespace {

// A small fuzz: damaged copies of a valid file (bytes flipped anywhere:
// zip headers, JSON, HDF5 structures, weights) either load or fail with a
// keras::Error; the process neither crashes nor throws anything else.
TEST(LoadErrors, FlippedBytesLoadOrFailCleanly) {
  TempDir tmp;
  good_members(tmp);
  const std::string whole = read_text(tmp.file("good.keras"));
  std::mt19937 random(2024);
  int failed = 0;
  for (int round = 0; round < 300; ++round) {
    std::string damaged = whole;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < flips; ++i) {
      damaged[random() % damaged.size()] ^= static_cast<char>(1 + random() % 255);
    }
    const std::string path = tmp.file("fuzz.keras");
    write_text(path, damaged);
    try {
      keras::load_model(path);
    } catch (const keras::Error&) {
      ++failed;
    }
  }
  EXPECT_GT(failed, 0);
}

// The same behind valid zip checksums, so that the JSON and HDF5 readers see
// the damage: bytes of config.json or of model.weights.h5 flipped, then
// archived again.
TEST(LoadErrors, DamagedMembersLoadOrFailCleanly) {
  TempDir tmp;
  const Members m = good_members(tmp);
  std::mt19937 random(7);
  int failed = 0;
  for (int round = 0; round < 400; ++round) {
    Members damaged = m;
    std::string& target = round % 2 == 0 ? damaged.config : damaged.weights;
    const int flips = 1 + static_cast<int>(random() % 3);
    for (int i = 0; i < flips; ++i) {
      target[random() % target.size()] ^= static_cast<char>(1 + random() % 255);
    }
    const std::string path = write(tmp, "fuzz.keras",
                                   {{"metadata.json", damaged.metadata},
                                    {"config.json", damaged.config},
                                    {"model.weights.h5", damaged.weights}});
    try {
      keras::load_model(path);
    } catch (const keras::Error&) {
      ++failed;
    }
  }
  EXPECT_GT(failed, 0);
}

}  // namespace
