// How compile(metrics=...) is matched to the outputs and logged, against
// real Keras 3 (tests/fixtures/training/metric_semantics, from
// reference/make_metric_semantics_fixtures.py): a flat list is one entry per
// output, names already taken get "_1", metric objects keep their options,
// one object given for two outputs is one metric, metrics of several
// thresholds log lists, and evaluate() orders its list as Keras.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "keras/keras.hpp"

namespace {

namespace fs = std::filesystem;
namespace L = keras::layers;
namespace M = keras::metrics;
using json = nlohmann::json;

const fs::path kDir = fs::path(KERASCPP_FIXTURES_DIR) / "training" / "metric_semantics";

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

keras::Tensor npy(const fs::path& dir, const std::string& name) {
  return keras::io::load_npy((dir / name).string());
}

// The two models of the reference script, named as there.
keras::Model build_model(const std::string& kind) {
  auto x = keras::Input({6}, {.name = "features"});
  auto h = L::Dense(8, {.activation = "relu", .name = "hidden"})(x);
  if (kind == "two_heads") {
    auto a = L::Dense(3, {.activation = "softmax", .name = "out_a"})(h);
    auto b = L::Dense(1, {.activation = "sigmoid", .name = "out_b"})(h);
    return keras::Model(x, std::vector<keras::KerasTensor>{a, b});
  }
  return keras::Model(x, L::Dense(1, {.activation = "sigmoid", .name = "out"})(h));
}

keras::LossList losses_of(const std::string& kind) {
  if (kind == "two_heads") return {"categorical_crossentropy", "binary_crossentropy"};
  return "binary_crossentropy";
}

std::vector<double> thresholds_of(const json& kwargs) {
  if (!kwargs.contains("thresholds")) return {};
  const json& t = kwargs["thresholds"];
  return t.is_array() ? t.get<std::vector<double>>() : std::vector<double>{t.get<double>()};
}

M::Metric make_object(const json& o) {
  const std::string c = o["class_name"];
  const json& k = o["kwargs"];
  const std::string name = k.value("name", "");
  if (c == "CategoricalAccuracy") return M::CategoricalAccuracy({.name = name});
  if (c == "Precision") return M::Precision({.thresholds = thresholds_of(k), .name = name});
  if (c == "Recall") return M::Recall({.thresholds = thresholds_of(k), .name = name});
  if (c == "TruePositives") return M::TruePositives({.thresholds = thresholds_of(k), .name = name});
  throw std::runtime_error("no metric class " + c);
}

// compile's metrics as case.json describes them; each object key is made once,
// so a key given twice is the same metric twice, as in the Python script.
keras::MetricList make_metrics(const json& spec, const json& objects) {
  std::map<std::string, M::Metric> made;
  for (const auto& [key, o] : objects.items()) made[key] = make_object(o);
  auto leaf = [&](const json& v) {
    if (v.is_null()) return M::Metric();
    if (v.is_object()) return made.at(v["object"]);
    return M::Metric(v.get<std::string>());
  };
  auto list = [&](const json& values) {
    std::vector<M::Metric> out;
    for (const auto& v : values) out.push_back(leaf(v));
    return out;
  };
  const std::string form = spec["form"];
  if (form == "list") return list(spec["value"]);
  if (form == "per_output") {
    std::vector<std::vector<M::Metric>> lists;
    for (const auto& l : spec["value"]) lists.push_back(list(l));
    return keras::MetricList::per_output(lists);
  }
  std::map<std::string, std::vector<M::Metric>> by_name;
  for (const auto& [name, l] : spec["value"].items()) by_name[name] = list(l);
  return keras::MetricList::by_output(by_name);
}

struct Case {
  fs::path dir;
  json info;
  keras::Model model;
  std::vector<keras::Tensor> x, y;
};

Case load_case(const std::string& name) {
  keras::backend::clear_session();
  const fs::path dir = kDir / name;
  json info = read_json(dir / "case.json");
  const std::string kind = info["model"];
  Case c{dir, info, build_model(kind), {npy(dir, "x.npy")}, {}};
  for (std::size_t i = 0; fs::exists(dir / ("y_" + std::to_string(i) + ".npy")); ++i) {
    c.y.push_back(npy(dir, "y_" + std::to_string(i) + ".npy"));
  }
  std::vector<keras::Tensor> weights;
  for (std::size_t i = 0;; ++i) {
    const std::string file = (i < 10 ? "weights_0" : "weights_") + std::to_string(i) + ".npy";
    if (!fs::exists(dir / file)) break;
    weights.push_back(npy(dir, file));
  }
  c.model.set_weights(weights);
  c.model.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 0.01}),
                   .loss = losses_of(kind),
                   .metrics = make_metrics(info["metrics"], info["objects"])});
  return c;
}

keras::FitOptions fit_options(const json& a, int verbose = 0) {
  return {.batch_size = a["batch_size"],
          .epochs = a["epochs"],
          .verbose = verbose,
          .validation_split = a["validation_split"],
          .shuffle = a["shuffle"]};
}

void expect_near(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-4 * std::fabs(expected) + 1e-6) << what;
}

// A number, or a list of numbers where Keras holds an array.
std::vector<double> flat(const json& v) {
  if (v.is_number()) return {v.get<double>()};
  std::vector<double> out;
  for (const auto& e : v) out.push_back(e.get<double>());
  return out;
}

std::vector<std::string> history_keys(const keras::History& h) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : h.history) keys.push_back(k);
  for (const auto& [k, v] : h.arrays) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (fs::exists(entry.path() / "case.json")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class MetricSemantics : public testing::TestWithParam<std::string> {};

TEST_P(MetricSemantics, HistoryAndEvaluateMatchKeras) {
  Case c = load_case(GetParam());
  const keras::History history = c.model.fit(c.x, c.y, fit_options(c.info["fit_args"]));
  EXPECT_EQ(history_keys(history), c.info["history_keys"].get<std::vector<std::string>>());
  for (const auto& [key, epochs] : c.info["history"].items()) {
    ASSERT_EQ(epochs.size(), history.epoch.size()) << key;
    for (std::size_t e = 0; e < epochs.size(); ++e) {
      const std::string what = GetParam() + " history " + key + " epoch " + std::to_string(e);
      if (epochs[e].is_number()) {
        ASSERT_EQ(history.history.count(key), 1u) << what;
        expect_near(history[key][e], epochs[e], what);
        continue;
      }
      // Keras' history holds a list for this epoch: so does History::arrays.
      ASSERT_EQ(history.arrays.count(key), 1u) << what;
      const std::vector<double> want = flat(epochs[e]);
      const std::vector<double>& got = history.arrays.at(key)[e];
      ASSERT_EQ(got.size(), want.size()) << what;
      for (std::size_t i = 0; i < want.size(); ++i) expect_near(got[i], want[i], what);
    }
  }
  std::vector<double> want;
  for (const auto& v : c.info["evaluate"]) {
    const std::vector<double> values = flat(v);
    want.insert(want.end(), values.begin(), values.end());
  }
  const std::vector<double> got = c.model.evaluate(c.x, c.y, {.batch_size = 4, .verbose = 0});
  ASSERT_EQ(got.size(), want.size()) << GetParam() << " evaluate";
  for (std::size_t i = 0; i < want.size(); ++i) {
    expect_near(got[i], want[i], GetParam() + " evaluate value " + std::to_string(i));
  }
}

INSTANTIATE_TEST_SUITE_P(Keras, MetricSemantics, testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

// ---- what Keras prints and writes for a metric of several thresholds ----

std::string mask_timing(const std::string& line) {
  static const std::regex elapsed(R"((\d+/\d+)( - | (?:━)+ )\d+s( - | ))");
  static const std::regex per_step(R"(\d+(s|ms|us)/step)");
  return std::regex_replace(std::regex_replace(line, elapsed, "$1$2<T>s$3"), per_step, "<S>/step");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(MetricSemanticsProgress, PrintsTheMeanOfSeveralValuesAsKeras) {
  for (int verbose : {1, 2}) {
    Case c = load_case("one_thresholds");
    testing::internal::CaptureStdout();
    c.model.fit(c.x, c.y, fit_options(c.info["fit_args"], verbose));
    std::vector<std::string> lines = lines_of(testing::internal::GetCapturedStdout());
    for (auto& line : lines) line = mask_timing(line);
    const char* key = verbose == 2 ? "verbose2_masked" : "verbose1_visible_masked";
    EXPECT_EQ(lines, c.info[key].get<std::vector<std::string>>()) << "verbose=" << verbose;
  }
}

// Python's csv fields of one line (quoted fields keep their quotes).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') quoted = !quoted;
    if (ch == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  return out;
}

TEST(MetricSemanticsProgress, CsvLoggerWritesListsAsKeras) {
  Case c = load_case("one_thresholds");
  const fs::path path = fs::temp_directory_path() / "kerascpp_metric_semantics_log.csv";
  keras::FitOptions options = fit_options(c.info["fit_args"]);
  options.callbacks = {keras::callbacks::CSVLogger(path.string())};
  c.model.fit(c.x, c.y, options);
  std::ifstream in(path, std::ios::binary);
  const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(path);
  const std::string want_text = c.info["csv_logger"];
  auto split_rows = [](const std::string& text) {
    std::vector<std::string> rows;
    std::size_t start = 0;
    for (std::size_t end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2) {
      rows.push_back(text.substr(start, end - start));
    }
    return rows;
  };
  const auto got_rows = split_rows(got), want_rows = split_rows(want_text);
  ASSERT_EQ(got_rows.size(), want_rows.size()) << got;
  EXPECT_EQ(got_rows[0], want_rows[0]);  // the header
  const std::regex array_field(R"re("""\[([^\]]*)\]""")re");
  for (std::size_t r = 1; r < want_rows.size(); ++r) {
    const auto g = csv_fields(got_rows[r]), w = csv_fields(want_rows[r]);
    ASSERT_EQ(g.size(), w.size()) << got_rows[r];
    for (std::size_t i = 0; i < w.size(); ++i) {
      std::smatch gm, wm;
      if (!std::regex_match(w[i], wm, array_field)) {
        expect_near(std::stod(g[i]), std::stod(w[i]), "csv " + want_rows[r]);
        continue;
      }
      ASSERT_TRUE(std::regex_match(g[i], gm, array_field)) << g[i] << " vs " << w[i];
      const auto gv = csv_fields(std::regex_replace(gm[1].str(), std::regex(", "), ","));
      const auto wv = csv_fields(std::regex_replace(wm[1].str(), std::regex(", "), ","));
      ASSERT_EQ(gv.size(), wv.size()) << g[i];
      for (std::size_t j = 0; j < wv.size(); ++j) {
        expect_near(std::stod(gv[j]), std::stod(wv[j]), "csv " + w[i]);
      }
    }
  }
}

TEST(MetricSemanticsProgress, CsvLoggerFormatsArrayValuesAsNumpyFloat32) {
  const fs::path path = fs::temp_directory_path() / "kerascpp_metric_semantics_format.csv";
  keras::callbacks::CSVLogger logger(path.string());
  keras::callbacks::Logs logs{{"loss", 0.5}};
  logs.arrays["precision"] = {1e6, 8.0, 4.0 / 7.0, 1e-5, 0.0, 123456.7, 2.5e-4, -0.25, NAN};
  logger.on_train_begin(logs);
  logger.on_epoch_end(0, logs);
  logger.on_train_end(logs);
  std::ifstream in(path, std::ios::binary);
  const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(path);
  // str() of each value of np.array([...], dtype="float32"), from NumPy 2.
  EXPECT_EQ(got,
            "epoch,loss,precision,val_loss,val_precision\r\n"
            "0,0.5,\"\"\"[1e+06, 8.0, 0.5714286, 1e-05, 0.0, 123456.7, 0.00025, -0.25, nan]\"\"\","
            "NA,NA\r\n");
}

// ---- structures Keras refuses (at fit, not at compile) ----

TEST(MetricSemanticsErrors, StructuresThatFitNoOutputThrowAtFit) {
  const json errors = read_json(kDir / "errors.json");
  Case c = load_case("two_flat_strings");
  for (const auto& e : errors["cases"]) {
    keras::backend::clear_session();
    keras::Model model = build_model("two_heads");
    // Keras' compile accepts them.
    ASSERT_NO_THROW(model.compile({.optimizer = "adam",
                                   .loss = losses_of("two_heads"),
                                   .metrics = make_metrics(e["metrics"], json::object())}))
        << e["name"];
    try {
      model.fit(c.x, c.y, {.batch_size = 4, .epochs = 1, .verbose = 0});
      ADD_FAILURE() << e["name"] << " fitted; Keras raises " << e["keras_error"];
    } catch (const keras::Error& error) {
      const std::string m = error.what();
      EXPECT_NE(m.find("does not fit the 2 outputs"), std::string::npos) << m;
      EXPECT_NE(m.find("\"out_a\", \"out_b\""), std::string::npos) << m;
    }
    EXPECT_THROW(model.evaluate(c.x, c.y, {.verbose = 0}), keras::Error) << e["name"];
  }
}

TEST(MetricSemanticsErrors, FlatListMessageCountsTheEntries) {
  keras::Model model = build_model("two_heads");
  model.compile({.optimizer = "adam", .loss = losses_of("two_heads"), .metrics = {"accuracy"}});
  Case c = load_case("two_flat_strings");
  try {
    model.fit(c.x, c.y, {.batch_size = 4, .epochs = 1, .verbose = 0});
    FAIL() << "fitted";
  } catch (const keras::Error& error) {
    EXPECT_NE(std::string(error.what()).find("{\"accuracy\"} has 1 entry"), std::string::npos)
        << error.what();
  }
}

// ---- behaviour the fixtures imply, checked directly ----

TEST(MetricSemanticsObjects, AStringHandleGivenTwiceMakesTwoMetrics) {
  // Keras makes a metric of a string each time it meets one.
  Case c = load_case("two_flat_strings");
  keras::Model model = build_model("two_heads");
  model.set_weights(c.model.get_weights());
  const M::Metric mae("mae");
  model.compile({.optimizer = "adam",
                 .loss = losses_of("two_heads"),
                 .metrics = keras::MetricList::per_output({{mae}, {mae}})});
  const keras::History h = model.fit(c.x, c.y, {.batch_size = 4, .epochs = 1, .verbose = 0});
  // Output a has 3 columns, output b one: their errors differ.
  EXPECT_GT(std::fabs(h["out_a_mae"][0] - h["out_b_mae"][0]), 1e-3);
}

TEST(MetricSemanticsObjects, AnObjectKeepsItsOwnStateAfterFit) {
  Case c = load_case("two_flat_strings");
  keras::Model model = build_model("one_head");
  const M::Metric precision = M::Precision({.thresholds = {0.3, 0.5}, .name = "p"});
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {precision}});
  keras::callbacks::Logs seen;
  keras::callbacks::LambdaCallback grab(
      {.on_epoch_end = [&](int, keras::callbacks::Logs& l) { seen = l; }});
  const keras::History h =
      model.fit(c.x[0], c.y[1], {.batch_size = 4, .epochs = 1, .verbose = 0, .callbacks = {grab}});
  // Callbacks see the list where Keras' logs hold it, and no number under its name.
  ASSERT_EQ(seen.arrays.count("p"), 1u);
  EXPECT_EQ(seen.count("p"), 0u);
  EXPECT_EQ(precision.result().to_vector<double>(), seen.arrays.at("p"));
  EXPECT_EQ(h.arrays.at("p")[0], seen.arrays.at("p"));
  try {
    (void)h["p"];
    FAIL() << "History[\"p\"] returned numbers";
  } catch (const keras::Error& e) {
    EXPECT_NE(std::string(e.what()).find("history.arrays"), std::string::npos) << e.what();
  }
}

TEST(MetricSemanticsObjects, ADictIsSavedAsOneListPerOutput) {
  keras::Model model = build_model("two_heads");
  model.compile({.optimizer = "adam",
                 .loss = losses_of("two_heads"),
                 .metrics = keras::MetricList::by_output({{"out_b", {"mae"}}})});
  const fs::path path = fs::temp_directory_path() / "kerascpp_metric_semantics_dict.keras";
  model.save(path.string());
  keras::Model loaded = keras::load_model(path.string());
  fs::remove(path);
  Case c = load_case("two_flat_strings");
  const keras::History h = loaded.fit(c.x, c.y, {.batch_size = 4, .epochs = 1, .verbose = 0});
  EXPECT_EQ(history_keys(h),
            (std::vector<std::string>{"loss", "out_a_loss", "out_b_loss", "out_b_mae"}));
}

}  // namespace
