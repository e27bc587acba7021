#include "rnn/rnn_fixture_testing.hpp"

#include "keras/saving.hpp"
#include "keras/utils.hpp"
#include "layers/rnn.hpp"

namespace kerascpp_testing::rnn {

namespace fs = std::filesystem;

const fs::path& fixtures_dir() {
  static const fs::path dir = fs::path(KERASCPP_FIXTURES_DIR) / "rnn";
  return dir;
}

std::vector<std::string> case_names(const std::string& kind) {
  return common::case_names(fixtures_dir(), common::of_kind(kind));
}

std::vector<keras::Tensor> load_all(const fs::path& dir, const nlohmann::json& list,
                                    const std::string& key) {
  std::vector<keras::Tensor> out;
  for (const auto& entry : list) out.push_back(load(dir, entry.at(key).get<std::string>()));
  return out;
}

LossGradients loss_gradients(const keras::Model& model, const std::vector<keras::Tensor>& xs,
                             const std::vector<keras::Tensor>& cotangents) {
  return common::loss_gradients(model, xs, cotangents, /*training=*/false);
}

namespace {

int reset_layer(keras::LayerImpl& layer) {
  int count = 0;
  if (auto* rnn = dynamic_cast<keras::layers::RNNImpl*>(&layer)) {
    rnn->reset_states();
    ++count;
  }
  for (const auto& sub : layer.sublayers()) count += reset_layer(*sub);
  return count;
}

}  // namespace

int reset_rnn_states(const keras::Model& model) {
  int count = 0;
  for (const auto& layer : model.layers()) count += reset_layer(layer.impl());
  return count;
}

keras::Model build_model(const fs::path& dir) {
  keras::backend::clear_session();
  return keras::models::model_from_json_file((dir / "model.json").string());
}

}  // namespace kerascpp_testing::rnn
