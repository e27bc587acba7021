// summary() with its options, against Keras' own output for the same models
// (tests/models/testdata/make_summary_options.py, COLUMNS=80 and 200), and the
// terminal-width rule.
#include "models/summary.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "keras/layers/concatenate.hpp"
#include "keras/layers/dense.hpp"
#include "keras/layers/flatten.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/model.hpp"
#include "keras/utils.hpp"
#include "models/fixture_testing.hpp"
#include "models/summary_table.hpp"

namespace L = keras::layers;

namespace {

using kerascpp_testing::EnvGuard;

const std::string kTestData = std::string(KERASCPP_FIXTURES_DIR) + "/../models/testdata/";

// "@@case" marker lines split the file into one summary per case.
std::map<std::string, std::string> read_cases(const std::string& file) {
  std::ifstream in(kTestData + file, std::ios::binary);
  std::map<std::string, std::string> cases;
  std::string line;
  std::string current;
  while (std::getline(in, line)) {
    if (line.rfind("@@", 0) == 0) {
      current = line.substr(2);
      cases[current];
    } else if (!current.empty()) {
      cases[current] += line + "\n";
    }
  }
  return cases;
}


keras::Model nested() {
  keras::backend::clear_session();
  keras::Sequential inner({keras::Input({6}), L::Dense(4, {.activation = "relu"}), L::Dense(3)});
  auto inp = keras::Input({6});
  auto h = L::Dense(6, {.trainable = false})(inp);
  auto out = L::Dense(2)(inner(h));
  return keras::Model(inp, out);
}

keras::Model branch() {
  keras::backend::clear_session();
  auto inp = keras::Input({3, 2});
  auto a = L::Dense(16)(inp);
  auto b = L::Dense(16)(inp);
  auto c = L::Concatenate()({a, b});
  return keras::Model(inp, L::Dense(4)(L::Flatten()(c)));
}

keras::Model long_names() {
  keras::backend::clear_session();
  return keras::Sequential({keras::Input({3, 2}), L::Dense(16, {.name = std::string(100, 'x')})},
                           {.name = std::string(90, 'm')});
}

keras::Model empty() {
  keras::backend::clear_session();
  return keras::Sequential({keras::Input({5})});
}

struct Case {
  std::function<keras::Model()> make;
  keras::SummaryOptions options;
};

std::map<std::string, Case> cases() {
  std::map<std::string, Case> c;
  c["nested_trainable_expanded"] = {nested, {.expand_nested = true, .show_trainable = true}};
  c["nested_layer_range"] = {
      nested, {.layer_range = std::pair<std::string, std::string>("dense_2", "sequential")}};
  c["nested_line_length_40"] = {nested, {.line_length = 40}};
  c["nested_positions"] = {nested, {.line_length = 60, .positions = {0.5, 0.7, 1.0}}};
  c["branch_trainable"] = {branch, {.show_trainable = true}};
  c["branch_line_length_150"] = {branch, {.line_length = 150}};
  c["branch_positions_short"] = {branch, {.line_length = 120, .positions = {0.2, 0.4, 0.5, 0.8}}};
  c["branch_expanded_default"] = {branch, {.expand_nested = true}};
  c["long_names_120"] = {long_names, {.line_length = 120}};
  c["long_names_40"] = {long_names, {.line_length = 40}};
  c["long_names_default"] = {long_names, {}};
  c["empty_sequential"] = {empty, {}};
  return c;
}

void check_all(const char* columns, const std::string& file) {
  EnvGuard env("COLUMNS", columns);
  const auto expected = read_cases(file);
  const auto all = cases();
  ASSERT_EQ(expected.size(), all.size()) << file;
  for (const auto& [name, c] : all) {
    ASSERT_TRUE(expected.count(name)) << name;
    EXPECT_EQ(c.make().summary_string(c.options), expected.at(name))
        << name << " COLUMNS=" << columns;
  }
}

}  // namespace

TEST(Summary, OptionsMatchKerasOn80Columns) { check_all("80", "summary_options_80.txt"); }

TEST(Summary, OptionsMatchKerasOn200Columns) { check_all("200", "summary_options_200.txt"); }

TEST(Summary, ExplicitConsoleWidthOverridesColumns) {
  EnvGuard env("COLUMNS", "80");
  const auto expected = read_cases("summary_options_200.txt");
  keras::SummaryOptions options{.line_length = 150, .console_width = 200};
  EXPECT_EQ(branch().summary_string(options), expected.at("branch_line_length_150"));
}

TEST(Summary, DefaultLineLengthFollowsColumns) {
  // 88 columns wanted; COLUMNS=60 caps the line length at 56.
  EnvGuard env("COLUMNS", "60");
  const std::string text = nested().summary_string();
  std::istringstream lines(text);
  std::string title;
  std::string top;
  std::getline(lines, title);
  std::getline(lines, top);
  EXPECT_EQ(keras::detail::rich::cell_len(top), 56);
  EXPECT_EQ(keras::detail::terminal_columns(), 60);
  EXPECT_EQ(keras::detail::console_columns(), 60);
}

TEST(Summary, InvalidColumnsFallsBackTo80WithoutTerminal) {
  EnvGuard env("COLUMNS", "wide");
  if (isatty(1)) GTEST_SKIP() << "stdout is a terminal";
  EXPECT_EQ(keras::detail::terminal_columns(), 80);
}

TEST(Summary, TooNarrowIsAnError) {
  EnvGuard env("COLUMNS", "80");
  try {
    branch().summary_string({.line_length = 10});
    FAIL() << "expected an error";
  } catch (const keras::Error& e) {
    EXPECT_STREQ(e.what(), "Insufficient console width to print summary.");
  }
}

TEST(Summary, LayerRangeMustMatch) {
  EnvGuard env("COLUMNS", "80");
  keras::SummaryOptions options;
  options.layer_range = std::pair<std::string, std::string>("nothing", "dense");
  EXPECT_THROW(branch().summary_string(options), keras::Error);
}

TEST(Summary, OptimizerHookAddsFooterLine) {
  EnvGuard env("COLUMNS", "80");
  keras::Model model = branch();
  auto& impl = dynamic_cast<keras::detail::FunctionalImpl&>(model.impl());
  impl.optimizer_variables = [] {
    return std::vector<keras::Variable>{
        keras::Variable("iteration", keras::Tensor::zeros({}, keras::DType::int64)),
        keras::Variable("m", keras::Tensor::zeros({10, 10}))};
  };
  const std::string text = model.summary_string();
  EXPECT_NE(text.find(" Total params: 585 (2.29 KB)\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" Optimizer params: 101 (404.00 B)\n"), std::string::npos) << text;
}

TEST(SummaryTable, WrapsAtSpacesAndCutsLongWords) {
  using keras::detail::rich::Justify;
  using keras::detail::rich::Overflow;
  using keras::detail::rich::wrap;
  EXPECT_EQ(wrap("input_layer (InputLayer)", 19, Justify::left, Overflow::ellipsis),
            (std::vector<std::string>{"input_layer        ", "(InputLayer)       "}));
  EXPECT_EQ(wrap("input_layer[0][0], input_layer_1[0][0]", 17, Justify::left, Overflow::ellipsis),
            (std::vector<std::string>{"input_layer[0][0\u2026", "input_layer_1[0]\u2026"}));
  EXPECT_EQ(wrap("Param #", 5, Justify::right, Overflow::ellipsis),
            (std::vector<std::string>{"Param", "    #"}));
  EXPECT_EQ(wrap("Y", 5, Justify::center, Overflow::ellipsis), (std::vector<std::string>{"  Y  "}));
  EXPECT_EQ(wrap("abcdefgh", 3, Justify::none, Overflow::fold),
            (std::vector<std::string>{"abc", "def", "gh"}));
}
