#pragma once
// A small parser for the Python literals numpy writes into .npy headers
// ({'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }): dicts, tuples,
// lists, strings, integers, True/False/None. The text comes from untrusted
// files, so nesting depth is limited and every error names its offset.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keras::io::detail {

struct PyValue {
  enum class Kind { none, boolean, integer, string, tuple, list, dict };
  Kind kind = Kind::none;
  bool boolean = false;
  std::int64_t integer = 0;
  bool integer_overflows = false;  // the literal does not fit in int64
  std::string text;                // a string's value, or an integer's digits as written
  std::vector<PyValue> items;      // elements of a tuple or list; values of a dict
  std::vector<std::string> keys;   // keys of a dict, in file order (parallel to items)
};

// "a dict", "a tuple", ... for error messages.
std::string_view describe(PyValue::Kind kind);

// Parses text as exactly one literal, surrounded by optional whitespace.
// Throws keras::Error ("expected ':' at offset 9") on anything else.
PyValue parse_python_literal(std::string_view text);

}  // namespace keras::io::detail
