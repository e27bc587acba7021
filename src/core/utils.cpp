#include "keras/utils.hpp"

#include <cctype>
#include <map>
#include <mutex>

namespace keras::utils {

std::mt19937_64& random_generator() {
  static std::mt19937_64 generator(1337);
  return generator;
}

void set_random_seed(std::uint64_t seed) { random_generator().seed(seed); }

}  // namespace keras::utils

namespace keras::backend {

namespace {
struct NameCounters {
  std::mutex mutex;
  std::map<std::string, int> next;
};
NameCounters& counters() {
  static NameCounters c;
  return c;
}
}  // namespace

void clear_session() {
  std::lock_guard<std::mutex> lock(counters().mutex);
  counters().next.clear();
}

std::string to_snake_case(const std::string& class_name) {
  // Keras: drop non-word characters, "_" before an upper-case letter that
  // starts a lower-case run, "_" between a lower-case letter or digit... only
  // lower->upper, then lower-case everything.
  std::string word;
  for (char c : class_name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') word += c;
  }
  std::string first;  // re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
  for (std::size_t i = 0; i < word.size(); ++i) {
    const bool starts_word = i > 0 && std::isupper(static_cast<unsigned char>(word[i])) &&
                             i + 1 < word.size() &&
                             std::islower(static_cast<unsigned char>(word[i + 1]));
    if (starts_word) first += '_';
    first += word[i];
  }
  std::string out;  // re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (i > 0 && std::islower(static_cast<unsigned char>(first[i - 1])) &&
        std::isupper(static_cast<unsigned char>(first[i]))) {
      out += '_';
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(first[i])));
  }
  return out;
}

std::string unique_object_name(const std::string& class_name) {
  const std::string base = to_snake_case(class_name);
  std::lock_guard<std::mutex> lock(counters().mutex);
  int& n = counters().next[base];
  const std::string name = n == 0 ? base : base + "_" + std::to_string(n);
  ++n;
  return name;
}

}  // namespace keras::backend
