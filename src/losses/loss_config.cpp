// keras.losses.deserialize: each loss class rebuilt from the config its
// get_config writes (a table class_name -> builder, as layer_factory.cpp).
#include <functional>
#include <map>

#include "keras/error.hpp"
#include "keras/losses.hpp"
#include "saving/object_config.hpp"

namespace keras::losses {

namespace {

using saving::check_fields;

// Keras reads reduction=None as "none".
std::string reduction_of(const Config& c) {
  const auto& value = saving::config_value(c);
  if (value.contains("reduction") && value.at("reduction").is_null()) return "none";
  return c.string("reduction", "sum_over_batch_size");
}

// The fields every loss takes; checks that config has no other than these
// and the class' own.
template <class Options>
Options common(const Config& c, std::initializer_list<const char*> fields) {
  check_fields(c, fields);
  Options o;
  o.name = c.string("name", "");
  o.reduction = reduction_of(c);
  o.dtype = c.string("dtype", "");
  return o;
}

int axis_of(const Config& c) { return saving::bounded_integer(c, "axis", -1, -64, 63); }

// Keras' field lists, plus dtype (which Keras takes but does not write).
#define KERAS_LOSS_FIELDS "name", "reduction", "dtype"

Loss plain(const Config& c, Loss (*make)(LossOptions)) {
  return make(common<LossOptions>(c, {KERAS_LOSS_FIELDS}));
}

Loss huber_from_config(const Config& c) {
  auto o = common<HuberOptions>(c, {KERAS_LOSS_FIELDS, "delta"});
  o.delta = saving::finite_number(c, "delta", o.delta);
  return Huber(o);
}

Loss cosine_similarity_from_config(const Config& c) {
  auto o = common<CosineSimilarityOptions>(c, {KERAS_LOSS_FIELDS, "axis"});
  o.axis = axis_of(c);
  return CosineSimilarity(o);
}

template <class Options>
Options smoothed_crossentropy(const Config& c) {
  auto o = common<Options>(c, {KERAS_LOSS_FIELDS, "from_logits", "label_smoothing", "axis"});
  o.from_logits = c.boolean("from_logits", o.from_logits);
  o.label_smoothing = saving::finite_number(c, "label_smoothing", o.label_smoothing);
  o.axis = axis_of(c);
  return o;
}

Loss sparse_categorical_crossentropy_from_config(const Config& c) {
  auto o = common<SparseCategoricalCrossentropyOptions>(
      c, {KERAS_LOSS_FIELDS, "from_logits", "ignore_class", "axis"});
  o.from_logits = c.boolean("from_logits", o.from_logits);
  o.ignore_class =
      saving::optional_integer(c, "ignore_class", -(std::int64_t{1} << 31), std::int64_t{1} << 31);
  o.axis = axis_of(c);
  return SparseCategoricalCrossentropy(o);
}

#undef KERAS_LOSS_FIELDS

using Builder = std::function<Loss(const Config&)>;

const std::map<std::string, Builder>& builders() {
  static const std::map<std::string, Builder> table = {
      {"MeanSquaredError", [](const Config& c) { return plain(c, MeanSquaredError); }},
      {"MeanAbsoluteError", [](const Config& c) { return plain(c, MeanAbsoluteError); }},
      {"MeanAbsolutePercentageError",
       [](const Config& c) { return plain(c, MeanAbsolutePercentageError); }},
      {"MeanSquaredLogarithmicError",
       [](const Config& c) { return plain(c, MeanSquaredLogarithmicError); }},
      {"CosineSimilarity", cosine_similarity_from_config},
      {"Huber", huber_from_config},
      {"LogCosh", [](const Config& c) { return plain(c, LogCosh); }},
      {"Hinge", [](const Config& c) { return plain(c, Hinge); }},
      {"SquaredHinge", [](const Config& c) { return plain(c, SquaredHinge); }},
      {"CategoricalHinge", [](const Config& c) { return plain(c, CategoricalHinge); }},
      {"KLDivergence", [](const Config& c) { return plain(c, KLDivergence); }},
      {"Poisson", [](const Config& c) { return plain(c, Poisson); }},
      {"BinaryCrossentropy",
       [](const Config& c) {
         return BinaryCrossentropy(smoothed_crossentropy<BinaryCrossentropyOptions>(c));
       }},
      {"CategoricalCrossentropy",
       [](const Config& c) {
         return CategoricalCrossentropy(smoothed_crossentropy<CategoricalCrossentropyOptions>(c));
       }},
      {"SparseCategoricalCrossentropy", sparse_categorical_crossentropy_from_config},
  };
  return table;
}

}  // namespace

Loss from_config(const Config& config) {
  const auto it = builders().find(config.class_name());
  if (it == builders().end()) {
    std::string list;
    for (const auto& name : config_class_names()) list += (list.empty() ? "" : ", ") + name;
    throw Error("Unknown loss class \"" + config.class_name() + "\"; kerascpp reads " + list + ".");
  }
  return it->second(config);
}

std::vector<std::string> config_class_names() {
  std::vector<std::string> out;
  for (const auto& [name, builder] : builders()) out.push_back(name);
  return out;
}

}  // namespace keras::losses
