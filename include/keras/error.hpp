#pragma once
// keras::Error: the one exception type kerascpp throws for bad input, bad shapes
// and bad files. Its message names what was wrong and where.
#include <stdexcept>
#include <string>

namespace keras {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace keras
