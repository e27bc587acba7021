#include "layers/layer_config.hpp"

namespace keras::layers {

namespace {

// A short rendering of a config value for error messages.
std::string show(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

}  // namespace

LayerConfig::LayerConfig(std::string class_name, const json& config)
    : class_name_(std::move(class_name)), config_(config) {
  if (!config_.is_object()) {
    throw Error(class_name_ + " config must be a JSON object, got " + show(config_) + ".");
  }
}

std::string LayerConfig::where(const std::string& field) const {
  return class_name_ + " config field \"" + field + "\"";
}

bool LayerConfig::has(const std::string& name) const {
  return config_.contains(name) && !config_.at(name).is_null();
}

const json& LayerConfig::field(const std::string& name) const {
  if (!config_.contains(name)) throw Error(where(name) + " is missing.");
  const json& value = config_.at(name);
  if (value.is_null()) throw Error(where(name) + " is null; a value is required.");
  return value;
}

void LayerConfig::wrong_type(const std::string& name, const std::string& expected) const {
  throw Error(where(name) + " must be " + expected + ", got " + show(config_.at(name)) + ".");
}

std::string LayerConfig::string(const std::string& name) const {
  const json& v = field(name);
  if (!v.is_string()) wrong_type(name, "a string");
  return v.get<std::string>();
}

double LayerConfig::number(const std::string& name) const {
  const json& v = field(name);
  if (!v.is_number()) wrong_type(name, "a number");
  return v.get<double>();
}

std::int64_t LayerConfig::integer(const std::string& name) const {
  const json& v = field(name);
  if (!v.is_number_integer()) wrong_type(name, "an integer");
  return v.get<std::int64_t>();
}

bool LayerConfig::boolean(const std::string& name) const {
  const json& v = field(name);
  if (!v.is_boolean()) wrong_type(name, "true or false");
  return v.get<bool>();
}

std::vector<std::int64_t> LayerConfig::integers(const std::string& name) const {
  const json& v = field(name);
  if (!v.is_array()) wrong_type(name, "a list of integers");
  std::vector<std::int64_t> out;
  for (const json& item : v) {
    if (!item.is_number_integer()) wrong_type(name, "a list of integers");
    out.push_back(item.get<std::int64_t>());
  }
  return out;
}

const json& LayerConfig::object(const std::string& name) const {
  const json& v = field(name);
  if (!v.is_object()) wrong_type(name, "an object");
  return v;
}

std::string LayerConfig::string(const std::string& name, const std::string& fallback) const {
  return has(name) ? string(name) : fallback;
}

double LayerConfig::number(const std::string& name, double fallback) const {
  return has(name) ? number(name) : fallback;
}

std::int64_t LayerConfig::integer(const std::string& name, std::int64_t fallback) const {
  return has(name) ? integer(name) : fallback;
}

bool LayerConfig::boolean(const std::string& name, bool fallback) const {
  return has(name) ? boolean(name) : fallback;
}

std::optional<double> LayerConfig::optional_number(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  return number(name);
}

std::optional<std::uint64_t> LayerConfig::seed(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  const json& v = config_.at(name);
  if (v.is_object()) {
    throw Error(where(name) + " holds a SeedGenerator; kerascpp only reads integer seeds.");
  }
  if (!v.is_number_integer()) wrong_type(name, "an integer seed or null");
  return static_cast<std::uint64_t>(v.get<std::int64_t>());
}

std::optional<Shape> LayerConfig::optional_shape(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  const json& v = config_.at(name);
  if (!v.is_array()) wrong_type(name, "a list of integers and nulls");
  std::vector<std::int64_t> dims;
  for (const json& item : v) {
    if (item.is_null()) {
      dims.push_back(None);
    } else if (item.is_number_integer() && item.get<std::int64_t>() >= 0) {
      dims.push_back(item.get<std::int64_t>());
    } else {
      wrong_type(name, "a list of non-negative integers and nulls");
    }
  }
  if (dims.size() > static_cast<std::size_t>(Shape::kMaxRank)) {
    throw Error(where(name) + " has rank " + std::to_string(dims.size()) +
                "; kerascpp supports up to rank " + std::to_string(Shape::kMaxRank) + ".");
  }
  return Shape(dims);
}

initializers::Initializer LayerConfig::initializer(const std::string& name,
                                                   const std::string& fallback) const {
  if (!has(name)) return initializers::get(fallback);
  return initializer_from_config(config_.at(name), where(name));
}

std::string LayerConfig::activation(const std::string& name) const {
  if (!has(name)) return "linear";
  const json& v = config_.at(name);
  if (!v.is_string()) {
    wrong_type(name, "the name of a built-in activation (custom activations are not supported)");
  }
  return v.get<std::string>();
}

std::vector<int> LayerConfig::axes(const std::string& name, std::vector<int> fallback) const {
  if (!has(name)) return fallback;
  const std::vector<std::int64_t> values = config_.at(name).is_array()
                                               ? integers(name)
                                               : std::vector<std::int64_t>{integer(name)};
  std::vector<int> out;
  for (std::int64_t a : values) {
    if (a < -Shape::kMaxRank || a >= Shape::kMaxRank) {
      throw Error(where(name) + " holds " + std::to_string(a) +
                  ", which is not an axis of a tensor kerascpp supports.");
    }
    out.push_back(static_cast<int>(a));
  }
  return out;
}

regularizers::Regularizer LayerConfig::regularizer(const std::string& name) const {
  if (!has(name)) return {};
  return regularizer_from_config(config_.at(name), where(name));
}

constraints::Constraint LayerConfig::constraint(const std::string& name) const {
  if (!has(name)) return {};
  return constraint_from_config(config_.at(name), where(name));
}

LayerConfig::Common LayerConfig::common() const {
  if (has("dtype")) {
    // A string ("float32") in older files, a DTypePolicy object in Keras 3.
    const json& d = config_.at("dtype");
    std::string policy;
    if (d.is_string()) {
      policy = d.get<std::string>();
    } else if (d.is_object() && d.contains("config") && d.at("config").is_object() &&
               d.at("config").contains("name") && d.at("config").at("name").is_string()) {
      policy = d.at("config").at("name").get<std::string>();
    } else {
      wrong_type("dtype", "a dtype policy");
    }
    if (policy != "float32") {
      throw Error(where("dtype") + " is \"" + policy +
                  "\"; kerascpp layers compute in float32 only.");
    }
  }
  return {string("name"), boolean("trainable", true)};
}

void LayerConfig::require_null(const std::string& name) const {
  if (has(name)) {
    throw Error(where(name) + " is " + show(config_.at(name)) +
                "; kerascpp does not support it yet (only null is accepted).");
  }
}

// ---- initializers ----

initializers::Initializer initializer_from_config(const json& value, const std::string& context) {
  namespace init = initializers;
  if (value.is_string()) {
    try {
      return init::get(value.get<std::string>());
    } catch (const Error& e) {
      throw Error(context + ": " + e.what());
    }
  }
  if (!value.is_object() || !value.contains("class_name") || !value.at("class_name").is_string()) {
    throw Error(context +
                " must be an initializer name or an object with \"class_name\" and "
                "\"config\", got " +
                show(value) + ".");
  }
  const std::string given = value.at("class_name").get<std::string>();
  std::string class_name;
  try {
    class_name = init::get(given).class_name();  // also maps aliases to the class
  } catch (const Error& e) {
    throw Error(context + ": " + e.what());
  }
  static const json kEmpty = json::object();
  const json& config_json = value.contains("config") ? value.at("config") : kEmpty;
  const LayerConfig c(context + " (" + class_name + ")", config_json);
  if (class_name == "Zeros") return init::Zeros();
  if (class_name == "Ones") return init::Ones();
  if (class_name == "Constant") return init::Constant(c.number("value", 0.0));
  if (class_name == "Identity") return init::Identity(c.number("gain", 1.0));
  if (class_name == "Orthogonal") return init::Orthogonal(c.number("gain", 1.0), c.seed("seed"));
  if (class_name == "RandomNormal") {
    return init::RandomNormal(c.number("mean", 0.0), c.number("stddev", 0.05), c.seed("seed"));
  }
  if (class_name == "TruncatedNormal") {
    return init::TruncatedNormal(c.number("mean", 0.0), c.number("stddev", 0.05), c.seed("seed"));
  }
  if (class_name == "RandomUniform") {
    return init::RandomUniform(c.number("minval", -0.05), c.number("maxval", 0.05), c.seed("seed"));
  }
  // VarianceScaling and its named variants; custom fan axes are not supported.
  c.require_null("input_axes");
  c.require_null("output_axes");
  if (class_name == "VarianceScaling") {
    return init::VarianceScaling(c.number("scale", 1.0), c.string("mode", "fan_in"),
                                 c.string("distribution", "truncated_normal"), c.seed("seed"));
  }
  if (class_name == "GlorotUniform") return init::GlorotUniform(c.seed("seed"));
  if (class_name == "GlorotNormal") return init::GlorotNormal(c.seed("seed"));
  if (class_name == "HeNormal") return init::HeNormal(c.seed("seed"));
  if (class_name == "HeUniform") return init::HeUniform(c.seed("seed"));
  if (class_name == "LecunNormal") return init::LecunNormal(c.seed("seed"));
  if (class_name == "LecunUniform") return init::LecunUniform(c.seed("seed"));
  throw Error(context + ": initializer class \"" + class_name + "\" cannot be read from a config.");
}

// ---- regularizers and constraints ----

namespace {

// The class name and config of a serialized object given as a name or as
// {"class_name", "config"}; `resolve` maps a name to the object's class name.
template <class Resolve>
std::pair<std::string, const json*> object_class(const json& value, const std::string& context,
                                                 const char* kind, Resolve&& resolve) {
  static const json kEmpty = json::object();
  const std::string given =
      value.is_string() ? value.get<std::string>()
      : value.is_object() && value.contains("class_name") && value.at("class_name").is_string()
          ? value.at("class_name").get<std::string>()
          : std::string();
  if (given.empty()) {
    throw Error(context + " must be a " + kind +
                " name or an object with \"class_name\" and \"config\", got " + show(value) +
                ".");
  }
  std::string class_name;
  try {
    class_name = resolve(given);
  } catch (const Error& e) {
    throw Error(context + ": " + e.what());
  }
  const json* config = value.is_object() && value.contains("config") && !value.at("config").is_null()
                           ? &value.at("config")
                           : &kEmpty;
  return {class_name, config};
}

}  // namespace

regularizers::Regularizer regularizer_from_config(const json& value, const std::string& context) {
  namespace reg = regularizers;
  const auto [class_name, config] = object_class(
      value, context, "regularizer",
      [](const std::string& name) { return reg::get(name).class_name(); });
  if (value.is_string()) return reg::get(value.get<std::string>());
  const LayerConfig c(context + " (" + class_name + ")", *config);
  try {
    if (class_name == "L1") return reg::L1(c.number("l1", 0.01));
    if (class_name == "L2") return reg::L2(c.number("l2", 0.01));
    if (class_name == "L1L2") return reg::L1L2(c.number("l1", 0.0), c.number("l2", 0.0));
    if (class_name == "OrthogonalRegularizer") {
      return reg::OrthogonalRegularizer(c.number("factor", 0.01), c.string("mode", "rows"));
    }
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind(context, 0) == 0) throw;
    throw Error(context + ": " + what);
  }
  throw Error(context + ": regularizer class \"" + class_name + "\" cannot be read from a config.");
}

constraints::Constraint constraint_from_config(const json& value, const std::string& context) {
  namespace con = constraints;
  const auto [class_name, config] = object_class(
      value, context, "constraint",
      [](const std::string& name) { return con::get(name).class_name(); });
  if (value.is_string()) return con::get(value.get<std::string>());
  const LayerConfig c(context + " (" + class_name + ")", *config);
  if (class_name == "MaxNorm") return con::MaxNorm(c.number("max_value", 2.0), c.axes("axis", {0}));
  if (class_name == "NonNeg") return con::NonNeg();
  if (class_name == "UnitNorm") return con::UnitNorm(c.axes("axis", {0}));
  if (class_name == "MinMaxNorm") {
    return con::MinMaxNorm(c.number("min_value", 0.0), c.number("max_value", 1.0),
                           c.number("rate", 1.0), c.axes("axis", {0}));
  }
  throw Error(context + ": constraint class \"" + class_name + "\" cannot be read from a config.");
}

// ---- shapes ----

namespace {
Shape shape_from_config(const json& value, const std::string& context) {
  std::vector<std::int64_t> dims;
  for (const json& item : value) {
    if (item.is_null()) {
      dims.push_back(None);
    } else if (item.is_number_integer() && item.get<std::int64_t>() >= 0) {
      dims.push_back(item.get<std::int64_t>());
    } else {
      throw Error(context + " must hold shapes (lists of non-negative integers and nulls), got " +
                  show(value) + ".");
    }
  }
  if (dims.size() > static_cast<std::size_t>(Shape::kMaxRank)) {
    throw Error(context + " holds a shape of rank " + std::to_string(dims.size()) +
                "; kerascpp supports up to rank " + std::to_string(Shape::kMaxRank) + ".");
  }
  return Shape(dims);
}
}  // namespace

std::vector<Shape> shapes_from_config(const json& value, const std::string& context) {
  if (!value.is_array()) {
    throw Error(context + " must be a shape or a list of shapes, got " + show(value) + ".");
  }
  const bool list_of_shapes = !value.empty() && value.at(0).is_array();
  if (!list_of_shapes) return {shape_from_config(value, context)};
  std::vector<Shape> shapes;
  for (const json& item : value) {
    if (!item.is_array()) {
      throw Error(context + " must be a shape or a list of shapes, got " + show(value) + ".");
    }
    shapes.push_back(shape_from_config(item, context));
  }
  return shapes;
}

}  // namespace keras::layers
