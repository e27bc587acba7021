// keras::utils::model_to_dot: the DOT text `kerascpp plot` writes, with each
// layer's name, class and parameter count on its node and each tensor's
// shape on its edge.
#include "keras/utils/model_to_dot.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "keras/keras.hpp"

namespace {

namespace L = keras::layers;
using keras::Input;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const keras::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ModelToDot, SequentialShowsTheInputShapeAndEveryEdgeShape) {
  keras::backend::clear_session();
  keras::Sequential model({Input({3, 2}), L::Dense(16), L::Flatten(), L::Dense(4)});
  EXPECT_EQ(keras::utils::model_to_dot(model),
            "digraph \"sequential\" {\n"
            "  graph [rankdir=\"TB\", dpi=200, label=\"sequential (Sequential): 244 params\", "
            "labelloc=\"t\"];\n"
            "  node [shape=\"box\", style=\"rounded\", fontname=\"Helvetica\"];\n"
            "  edge [fontname=\"Helvetica\", fontsize=\"10\"];\n"
            "  \"input_layer\" [label=\"input_layer\\nInputLayer\\n0 params\"];\n"
            "  \"dense\" [label=\"dense\\nDense\\n48 params\"];\n"
            "  \"flatten\" [label=\"flatten\\nFlatten\\n0 params\"];\n"
            "  \"dense_1\" [label=\"dense_1\\nDense\\n196 params\"];\n"
            "  \"input_layer\" -> \"dense\" [label=\"(None, 3, 2)\"];\n"
            "  \"dense\" -> \"flatten\" [label=\"(None, 3, 16)\"];\n"
            "  \"flatten\" -> \"dense_1\" [label=\"(None, 48)\"];\n"
            "  \"/output_0\" [label=\"output\", shape=\"plaintext\"];\n"
            "  \"dense_1\" -> \"/output_0\" [label=\"(None, 4)\"];\n"
            "}\n");
}

TEST(ModelToDot, SharedLayerGetsOneNodeAndAnEdgePerCall) {
  keras::backend::clear_session();
  auto a = Input({5}, {.name = "a"});
  auto b = Input({5}, {.name = "b"});
  L::Dense shared(3, {.name = "shared"});
  auto sum = L::Add({.name = "sum"})({shared(a), shared(b)}).at(0);
  keras::Model model(std::vector<keras::KerasTensor>{a, b},
                     std::vector<keras::KerasTensor>{sum, shared(a)}, {.name = "two_heads"});
  const std::string dot =
      keras::utils::model_to_dot(model, {.show_dtype = true, .rankdir = "LR", .dpi = 96});
  EXPECT_NE(dot.find("graph [rankdir=\"LR\", dpi=96, label=\"two_heads (Functional): 18 params\""),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("  \"shared\" [label=\"shared\\nDense\\n18 params\"];\n"), std::string::npos);
  EXPECT_NE(dot.find("  \"a\" -> \"shared\" [label=\"(None, 5) float32\"];\n"), std::string::npos);
  EXPECT_NE(dot.find("  \"b\" -> \"shared\" [label=\"(None, 5) float32\"];\n"), std::string::npos);
  EXPECT_NE(dot.find("  \"/output_0\" [label=\"output 0\", shape=\"plaintext\"];\n"),
            std::string::npos);
  EXPECT_NE(dot.find("  \"sum\" -> \"/output_0\" [label=\"(None, 3) float32\"];\n"),
            std::string::npos);
  EXPECT_NE(dot.find("  \"shared\" -> \"/output_1\" [label=\"(None, 3) float32\"];\n"),
            std::string::npos);
  // One node for the shared layer, however often it is called.
  EXPECT_EQ(dot.find("\n  \"shared\" [label"), dot.rfind("\n  \"shared\" [label"));
}

TEST(ModelToDot, OptionsChangeTheLabels) {
  keras::backend::clear_session();
  keras::Sequential model({Input({4}), L::Dense(1, {.trainable = false})});
  const std::string dot = keras::utils::model_to_dot(
      model, {.show_shapes = false, .show_layer_names = false, .show_trainable = true});
  EXPECT_NE(dot.find("[label=\"Dense\\n5 params\\nnon-trainable\"]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("  \"input_layer\" -> \"dense\";\n"), std::string::npos) << dot;
  // A one-parameter layer says "param".
  keras::Sequential one({Input({1}), L::Dense(1, {.use_bias = false})});
  EXPECT_NE(keras::utils::model_to_dot(one).find("\\n1 param\""), std::string::npos);
}

TEST(ModelToDot, NamesWithQuotesAreEscaped) {
  keras::backend::clear_session();
  keras::Sequential model({Input({2}), L::Dense(1, {.name = "say \"hi\""})});
  EXPECT_NE(keras::utils::model_to_dot(model).find("\"say \\\"hi\\\"\" [label=\"say \\\"hi\\\"\\n"),
            std::string::npos);
}

TEST(ModelToDot, ErrorsNameTheProblem) {
  keras::backend::clear_session();
  keras::Sequential unbuilt;
  unbuilt.add(L::Dense(2));
  EXPECT_EQ(error_of([&] { keras::utils::model_to_dot(unbuilt); }),
            "model_to_dot: model \"sequential\" has no input shape yet; start it with "
            "keras::Input(...) or build it first.");
  keras::Sequential model({Input({2}), L::Dense(1)});
  EXPECT_EQ(error_of([&] { keras::utils::model_to_dot(model, {.rankdir = "up"}); }),
            "model_to_dot: rankdir must be \"TB\", \"BT\", \"LR\" or \"RL\", got \"up\".");
}

}  // namespace
