// saving::WeightBudget: while a model is rebuilt from a file, its weights
// must fit in the file's bytes. A config is charged for exactly the weights
// the model ends up with: a budget of that many bytes is enough.
#include <gtest/gtest.h>

#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "layers/layer_config_writer.hpp"
#include "saving/keras_file_testing.hpp"
#include "saving/weight_budget.hpp"

namespace {

namespace L = keras::layers;
using keras::keras_file_testing::error_of;

std::int64_t weight_bytes(const keras::Model& model) {
  std::int64_t bytes = 0;
  for (const keras::Tensor& w : model.get_weights()) bytes += w.size() * 4;
  return bytes;
}

// The seed tagger's layers, small. Bidirectional's config holds its wrapped
// layer with a build_config; building that template as well as the two
// directions charged a third LSTM, and the real seed tagger's .keras file
// (weights 2.96 MB, file 2.99 MB) failed to load.
TEST(WeightBudget, BidirectionalIsChargedForItsTwoDirectionsOnly) {
  keras::Sequential model({keras::Input({7}, {.dtype = "int32"}), L::Embedding(50, 8, {.mask_zero = true}),
                           L::Bidirectional(L::LSTM(6, {.return_sequences = true}),
                                            {.merge_mode = "ave"}),
                           L::TimeDistributed(L::Dense(3))});
  const std::string json = keras::detail::serialize_layer(model.impl()).object.dump();
  const std::int64_t exact = weight_bytes(model);
  {
    keras::saving::WeightBudget budget(exact);
    EXPECT_EQ(error_of([&] { keras::models::model_from_json(json); }), "");
  }
  keras::saving::WeightBudget budget(exact - 4);
  EXPECT_NE(error_of([&] { keras::models::model_from_json(json); }).find("more than the"),
            std::string::npos);
}

}  // namespace
