// compile(metrics=...) as Keras 3's CompileMetrics (keras/src/trainers/compile_utils.py).
#include "training/compile_metrics.hpp"

#include <algorithm>
#include <map>

#include "keras/error.hpp"

namespace keras::training {

namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "\"" : ", \"") + n + "\"";
  return out;
}

std::string describe_list(const std::vector<metrics::Metric>& list) {
  std::string out;
  for (const auto& m : list) {
    out += out.empty() ? "" : ", ";
    out += m.defined() ? "\"" + m.name() + "\"" : "(none)";
  }
  return "{" + out + "}";
}

// What Keras' _build_metrics_set makes of `given`: the metrics of each output,
// or an error message when the structure fits no output.
std::vector<std::vector<metrics::Metric>> match_outputs(const MetricList& given,
                                                        const std::vector<std::string>& outputs,
                                                        const std::string& model,
                                                        std::string& error) {
  const std::size_t n = outputs.size();
  std::vector<std::vector<metrics::Metric>> out(n);
  if (n == 1) {
    // One output: every metric of the structure follows it (tree.flatten;
    // a dict's values in the order of its sorted keys).
    for (const auto& list : given.lists) out[0].insert(out[0].end(), list.begin(), list.end());
    for (const auto& [name, list] : given.by_name) {
      out[0].insert(out[0].end(), list.begin(), list.end());
    }
    return out;
  }
  const std::string head = "compile(metrics=...) does not fit the " + std::to_string(n) +
                           " outputs of " + model + " (" + quoted_list(outputs) + "): ";
  const std::string fix =
      " As in Keras 3, give a list with one entry per output (entry i is the metric of output "
      "i), MetricList::per_output with one list per output, or MetricList::by_output with "
      "lists by output name.";
  if (given.is_by_output_name) {
    for (const auto& [name, list] : given.by_name) {
      const auto it = std::find(outputs.begin(), outputs.end(), name);
      if (it == outputs.end()) {
        error = head + "the dict of metrics names \"" + name + "\", which is not an output." + fix;
        return {};
      }
      out[static_cast<std::size_t>(it - outputs.begin())] = list;
    }
    return out;
  }
  if (given.lists.empty()) return out;
  if (given.is_per_output) {
    if (given.lists.size() != n) {
      error = head + "MetricList::per_output was given " + std::to_string(given.lists.size()) +
              " lists." + fix;
      return {};
    }
    return given.lists;
  }
  const std::vector<metrics::Metric>& list = given.lists[0];
  if (list.empty()) return out;  // Keras: an empty list is no metric
  if (list.size() != n) {
    error = head + "the list of metrics " + describe_list(list) + " has " +
            std::to_string(list.size()) + (list.size() == 1 ? " entry" : " entries") +
            ", and Keras 3 applies such a list to a model of several outputs one entry per "
            "output (it no longer gives every output the whole list)." +
            fix;
    return {};
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (list[i].defined()) out[i].push_back(list[i]);  // an empty handle: Keras' None
  }
  return out;
}

// Keras makes a metric of a string each time it meets one (get_metric), so
// every output gets its own state; a metric object is used as given.
metrics::Metric fresh(const metrics::Metric& m) {
  return m.impl().identifier().empty() ? m : metrics::Metric(m.impl().identifier());
}

// Keras' float(value) of a metric's result: a float32 number; a result of
// several values stays a list.
bool is_scalar(const Tensor& t) { return t.size() == 1; }

}  // namespace

CompileMetrics::CompileMetrics(const MetricList& given,
                               const std::vector<std::string>& output_names,
                               const std::string& model) {
  per_output_ = match_outputs(given, output_names, model, error_);
  if (!error_.empty()) return;
  // Names as Keras' CompileMetrics.result: "{output}_{name}" with several
  // outputs, and "_1", "_2", ... after a name already taken.
  std::map<std::string, int> taken;
  log_names_.resize(per_output_.size());
  for (std::size_t i = 0; i < per_output_.size(); ++i) {
    for (auto& m : per_output_[i]) {
      if (!m.defined()) {
        error_ = "compile(metrics=...): the metrics of output \"" + output_names[i] +
                 "\" hold an empty metric handle; Keras raises \"Expected metric, received "
                 "`None`\". Remove it.";
        per_output_.clear();
        return;
      }
      m = fresh(m);
      std::string name = output_names.size() > 1 ? output_names[i] + "_" + m.name() : m.name();
      auto [it, inserted] = taken.emplace(name, 1);
      if (!inserted) name += "_" + std::to_string(it->second++);
      log_names_[i].push_back(name);
      metric_names_.push_back(m.name());
    }
  }
}

void CompileMetrics::check() const {
  if (!error_.empty()) throw Error(error_);
}

void CompileMetrics::update_state(const std::vector<Tensor>& y_true,
                                  const std::vector<Tensor>& y_pred,
                                  const std::vector<std::optional<Tensor>>& masks) const {
  for (std::size_t i = 0; i < per_output_.size(); ++i) {
    const Tensor mask = masks.size() > i && masks[i] ? *masks[i] : Tensor();
    for (const auto& m : per_output_[i]) m.update_state(y_true[i], y_pred[i], Tensor(), mask);
  }
}

void CompileMetrics::reset_state() const {
  for (const auto& list : per_output_) {
    for (const auto& m : list) m.reset_state();
  }
}

void CompileMetrics::write_results(callbacks::Logs& logs, const std::string& prefix) const {
  for (std::size_t i = 0; i < per_output_.size(); ++i) {
    for (std::size_t j = 0; j < per_output_[i].size(); ++j) {
      const Tensor r = per_output_[i][j].result();
      const std::string& name = log_names_[i][j];
      if (is_scalar(r)) {
        const double v = r.item<double>();
        if (prefix.empty()) {
          logs[name] = v;
        } else {
          logs[prefix + name] = v;
        }
        continue;
      }
      std::vector<double>& values = logs.arrays[prefix + name];
      const std::vector<double> all = r.to_vector<double>();
      values.assign(all.begin(), all.end());
    }
  }
}

std::vector<double> flatten_in_order(const callbacks::Logs& logs,
                                     const std::vector<std::string>& names) {
  std::vector<double> out;
  auto append = [&](const std::string& key) {
    if (auto it = logs.find(key); it != logs.end()) {
      out.push_back(it->second);
      return true;
    }
    if (auto it = logs.arrays.find(key); it != logs.arrays.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return true;
    }
    return false;
  };
  for (const auto& name : names) append(name);
  // The other keys, sorted: both maps are, so merge them.
  auto a = logs.begin();
  auto b = logs.arrays.begin();
  auto listed = [&](const std::string& key) {
    return std::find(names.begin(), names.end(), key) != names.end();
  };
  while (a != logs.end() || b != logs.arrays.end()) {
    const bool take_a = b == logs.arrays.end() || (a != logs.end() && a->first < b->first);
    const std::string& key = take_a ? a->first : b->first;
    if (!listed(key)) append(key);
    if (take_a) {
      ++a;
    } else {
      ++b;
    }
  }
  return out;
}

}  // namespace keras::training
