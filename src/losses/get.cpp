// Losses by name: keras.losses.get and what compile(loss="...") does with a string.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "keras/losses.hpp"

namespace keras::losses {

namespace {

using Factory = std::function<Loss(const std::string& name)>;

template <class Options>
Options named(const std::string& name) {
  Options o;
  o.name = name;
  return o;
}

// Class names, with the factory making the class (name "" = its default).
const std::map<std::string, Factory>& classes() {
  static const std::map<std::string, Factory> table = {
      {"MeanSquaredError", [](const std::string& n) { return MeanSquaredError({.name = n}); }},
      {"MeanAbsoluteError", [](const std::string& n) { return MeanAbsoluteError({.name = n}); }},
      {"MeanAbsolutePercentageError",
       [](const std::string& n) { return MeanAbsolutePercentageError({.name = n}); }},
      {"MeanSquaredLogarithmicError",
       [](const std::string& n) { return MeanSquaredLogarithmicError({.name = n}); }},
      {"CosineSimilarity",
       [](const std::string& n) { return CosineSimilarity(named<CosineSimilarityOptions>(n)); }},
      {"Huber", [](const std::string& n) { return Huber(named<HuberOptions>(n)); }},
      {"LogCosh", [](const std::string& n) { return LogCosh({.name = n}); }},
      {"Hinge", [](const std::string& n) { return Hinge({.name = n}); }},
      {"SquaredHinge", [](const std::string& n) { return SquaredHinge({.name = n}); }},
      {"CategoricalHinge", [](const std::string& n) { return CategoricalHinge({.name = n}); }},
      {"KLDivergence", [](const std::string& n) { return KLDivergence({.name = n}); }},
      {"Poisson", [](const std::string& n) { return Poisson({.name = n}); }},
      {"BinaryCrossentropy",
       [](const std::string& n) {
         return BinaryCrossentropy(named<BinaryCrossentropyOptions>(n));
       }},
      {"CategoricalCrossentropy",
       [](const std::string& n) {
         return CategoricalCrossentropy(named<CategoricalCrossentropyOptions>(n));
       }},
      {"SparseCategoricalCrossentropy",
       [](const std::string& n) {
         return SparseCategoricalCrossentropy(named<SparseCategoricalCrossentropyOptions>(n));
       }},
  };
  return table;
}

// Function names and their aliases, with the class computing the function.
const std::map<std::string, std::pair<std::string, std::string>>& functions() {
  // identifier -> (function name, class name)
  static const std::map<std::string, std::pair<std::string, std::string>> table = [] {
    std::map<std::string, std::pair<std::string, std::string>> t = {
        {"mean_squared_error", {"", "MeanSquaredError"}},
        {"mean_absolute_error", {"", "MeanAbsoluteError"}},
        {"mean_absolute_percentage_error", {"", "MeanAbsolutePercentageError"}},
        {"mean_squared_logarithmic_error", {"", "MeanSquaredLogarithmicError"}},
        {"cosine_similarity", {"", "CosineSimilarity"}},
        {"huber", {"", "Huber"}},
        {"log_cosh", {"", "LogCosh"}},
        {"hinge", {"", "Hinge"}},
        {"squared_hinge", {"", "SquaredHinge"}},
        {"categorical_hinge", {"", "CategoricalHinge"}},
        {"kl_divergence", {"", "KLDivergence"}},
        {"poisson", {"", "Poisson"}},
        {"binary_crossentropy", {"", "BinaryCrossentropy"}},
        {"categorical_crossentropy", {"", "CategoricalCrossentropy"}},
        {"sparse_categorical_crossentropy", {"", "SparseCategoricalCrossentropy"}},
    };
    for (auto& [id, entry] : t) entry.first = id;
    const std::pair<const char*, const char*> aliases[] = {
        {"bce", "binary_crossentropy"},
        {"kld", "kl_divergence"},
        {"mae", "mean_absolute_error"},
        {"mse", "mean_squared_error"},
        {"mape", "mean_absolute_percentage_error"},
        {"msle", "mean_squared_logarithmic_error"},
    };
    for (const auto& [alias, function] : aliases) {
      std::string upper = alias;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      t[alias] = t.at(function);
      t[upper] = t.at(function);
    }
    return t;
  }();
  return table;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool is_crossentropy_shortcut(const std::string& identifier) {
  const std::string l = lower(identifier);
  return l == "crossentropy" || l == "ce";
}

[[noreturn]] void throw_unknown(const std::string& identifier) {
  std::string list;
  for (const auto& n : names()) list += (list.empty() ? "" : ", ") + n;
  throw Error("Unknown loss \"" + identifier + "\"; expected one of " + list +
              " (or \"crossentropy\" / \"ce\" in compile).");
}

// compile(loss="crossentropy"): binary, sparse or categorical, decided on the
// shapes of the first call.
class CrossentropyShortcutImpl : public LossImpl {
 public:
  explicit CrossentropyShortcutImpl(const std::string& identifier)
      : LossImpl("LossFunctionWrapper", identifier, {.name = identifier}) {}

  LossValues call(const Tensor& y_true, const Tensor& y_pred) const override {
    if (!resolved_) resolved_ = resolve(name(), y_true.shape(), y_pred.shape()).ptr();
    return resolved_->call(y_true, y_pred);
  }

 private:
  mutable std::shared_ptr<LossImpl> resolved_;
};

// What compile makes of a string: functions named as written, classes with
// their defaults.
Loss from_compile_string(const std::string& identifier) {
  if (is_crossentropy_shortcut(identifier)) {
    return Loss(std::make_shared<CrossentropyShortcutImpl>(identifier));
  }
  if (auto f = functions().find(identifier); f != functions().end()) {
    return classes().at(f->second.second)(identifier);
  }
  if (auto c = classes().find(identifier); c != classes().end()) return c->second("");
  throw_unknown(identifier);
}

}  // namespace

Loss::Loss(const char* identifier) : Loss(std::string(identifier ? identifier : "")) {}

Loss::Loss(const std::string& identifier) : impl_(from_compile_string(identifier).ptr()) {
  impl_->set_identifier(identifier);
}

Loss get(const std::string& identifier) {
  if (auto f = functions().find(identifier); f != functions().end()) {
    return classes().at(f->second.second)(f->second.first);
  }
  if (auto c = classes().find(identifier); c != classes().end()) return c->second("");
  throw_unknown(identifier);
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [name, entry] : functions()) out.push_back(name);
  for (const auto& [name, factory] : classes()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

Loss resolve(const std::string& identifier, const Shape& y_true_shape, const Shape& y_pred_shape) {
  if (!is_crossentropy_shortcut(identifier)) return Loss(identifier);
  // Keras' is_binary_or_sparse_categorical.
  const std::int64_t true_last = y_true_shape.rank() > 0 ? y_true_shape[-1] : 1;
  const std::int64_t pred_last = y_pred_shape.rank() > 0 ? y_pred_shape[-1] : 1;
  const bool binary = pred_last == 1;
  const bool sparse =
      y_true_shape.rank() < y_pred_shape.rank() || (true_last == 1 && pred_last > 1);
  if (binary) return BinaryCrossentropy({.name = identifier});
  if (sparse) return SparseCategoricalCrossentropy({.name = identifier});
  return CategoricalCrossentropy({.name = identifier});
}

}  // namespace keras::losses
